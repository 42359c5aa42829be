"""Write a deterministic chat JSONL dataset of a given size for the benchmarks.

Realistic on purpose: most examples share one of a few long system prompts (as
real fine-tuning sets do), user and assistant text varies, some examples have
several turns, and a handful of lines are bad (invalid JSON, a missing
assistant reply, a blank line) so the validator has something to find.

Usage: ``python bench/gen_dataset.py OUT.jsonl [--size-mb 100] [--seed 7]``
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "you",
    "that",
    "it",
    "he",
    "was",
    "for",
    "on",
    "are",
    "as",
    "with",
    "his",
    "they",
    "at",
    "be",
    "this",
    "have",
    "from",
    "or",
    "one",
    "had",
    "by",
    "word",
    "but",
    "not",
    "what",
    "all",
    "were",
    "we",
    "when",
    "your",
    "can",
    "said",
    "there",
    "use",
    "an",
    "each",
    "which",
    "she",
    "do",
    "how",
    "their",
    "if",
    "will",
    "up",
    "other",
    "about",
    "out",
    "many",
    "then",
    "them",
    "these",
    "so",
    "some",
    "her",
    "would",
    "make",
    "like",
    "him",
    "into",
    "time",
    "has",
    "look",
    "two",
    "more",
    "write",
    "go",
    "see",
    "number",
    "no",
    "way",
    "could",
    "people",
    "my",
    "than",
    "first",
    "water",
    "been",
    "call",
    "who",
    "oil",
    "its",
    "now",
    "find",
    "long",
    "down",
    "day",
    "did",
    "get",
    "come",
    "made",
    "may",
    "part",
    "order",
    "invoice",
    "refund",
    "shipping",
    "account",
    "password",
    "reset",
    "delivery",
    "tracking",
    "package",
    "warranty",
    "return",
    "exchange",
    "subscription",
    "billing",
    "address",
    "payment",
    "card",
    "declined",
    "upgrade",
    "downgrade",
    "plan",
    "customer",
    "support",
    "thanks",
    "please",
    "sorry",
    "unfortunately",
    "certainly",
    "absolutely",
    "happy",
    "help",
    "today",
    "tomorrow",
    "Monday",
    "Friday",
    "weekend",
    "morning",
    "evening",
    "Paris",
    "London",
    "Berlin",
    "Tokyo",
    "model",
    "training",
    "dataset",
    "example",
    "assistant",
    "answer",
    "question",
    "receipt",
    "discount",
    "coupon",
    "stock",
    "size",
]

_SYSTEM_PROMPTS = [
    "You are Sunny, the friendly support assistant of Brightside Outdoor Gear. "
    "Answer in two or three short sentences, be warm but precise, never invent "
    "order numbers, and if the customer is angry apologise once and then solve "
    "the problem. Our return window is 30 days, shipping is free above 50 euros, "
    "and warranty claims need a photo of the product and the receipt. " * 2,
    "You are a careful legal-writing assistant. Rewrite the user's text in plain "
    "English at a reading age of twelve, keep every obligation and every date, "
    "and list any ambiguity you notice at the end under the heading 'Check'. " * 2,
    "You translate customer e-mails from English to French for a travel agency. "
    "Keep names, dates and booking references unchanged; use the polite 'vous'. " * 2,
]


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(1, 99999)))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".?!.")


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, 5, 18) for _ in range(sentences))


def _example(rng: random.Random) -> dict[str, object]:
    messages: list[dict[str, object]] = []
    if rng.random() < 0.9:
        messages.append({"role": "system", "content": rng.choice(_SYSTEM_PROMPTS)})
    for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 4)):
        messages.append({"role": "user", "content": _text(rng, rng.randint(1, 4))})
        messages.append({"role": "assistant", "content": _text(rng, rng.randint(2, 8))})
    return {"messages": messages}


def generate(
    path: Path,
    size_mb: float,
    seed: int = 7,
    make: Callable[[random.Random], Any] | None = None,
    blank_lines: bool = True,
) -> int:
    """Write about ``size_mb`` MB of JSONL to ``path``; return the line count.

    ``make`` builds one example (this file's chat shape by default); about one
    line in 5,000 is broken, and with ``blank_lines`` one in 10,000 is blank.
    """
    make = make or _example
    rng = random.Random(seed)
    target = int(size_mb * 1024 * 1024)
    written = lines = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        while written < target:
            roll = rng.random()
            if roll < 0.0002:
                line = '{"messages": [{"role": "user", "content": "unfinished'
            elif roll < 0.0004:
                line = json.dumps({"messages": [{"role": "user", "content": "hi"}]})
            elif blank_lines and roll < 0.0005:
                line = ""
            else:
                line = json.dumps(make(rng), ensure_ascii=False)
            out.write(line + "\n")
            written += len(line) + 1
            lines += 1
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    lines = generate(args.out, args.size_mb, args.seed)
    print(f"wrote {lines} lines to {args.out}")


if __name__ == "__main__":
    main()
