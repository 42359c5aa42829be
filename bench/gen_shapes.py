"""Write deterministic JSONL files of other shapes than ``gen_dataset``'s.

``unique``: no text repeats (no shared system prompt); multi-turn examples
whose assistant messages carry ``weight`` 0 or 1, some with a ``name``.
``tools``: tool-calling examples: a ``tools`` list (one of a few tool sets,
with descriptions and enums), assistant ``tool_calls``, ``tool`` answers and
a final reply. Two more, unlike the project's own data, to check that a
speed-up is not tuned to it: ``short``: two-message examples of a few
characters ("ok 17"); ``multilingual``: long documents in Russian, Arabic,
Chinese, Japanese and accented Latin letters with shorter replies. All have a
few bad lines, like ``gen_dataset``.

Usage: ``python bench/gen_shapes.py {unique,tools,short,multilingual} OUT.jsonl
[--size-mb 50]``
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from pathlib import Path

from gen_dataset import _text
from gen_dataset import generate as generate_file

_CITIES = ["Paris", "Lyon", "Berlin", "Tokyo", "Lima", "Oslo", "Cairo", "Quito"]


def _unique(rng: random.Random) -> dict[str, object]:
    messages: list[dict[str, object]] = []
    if rng.random() < 0.5:
        messages.append({"role": "system", "content": _text(rng, rng.randint(1, 3))})
    for turn in range(rng.randint(2, 5)):
        user: dict[str, object] = {
            "role": "user",
            "content": _text(rng, rng.randint(1, 3)),
        }
        if rng.random() < 0.1:
            user["name"] = f"customer_{rng.randint(1, 9999)}"
        messages.append(user)
        reply: dict[str, object] = {
            "role": "assistant",
            "content": _text(rng, rng.randint(2, 6)),
        }
        reply["weight"] = 1 if turn == 0 or rng.random() < 0.5 else 0
        messages.append(reply)
    return {"messages": messages}


def _tool_sets() -> list[list[dict[str, object]]]:
    def tool(name: str, desc: str, props: dict[str, object]) -> dict[str, object]:
        return {
            "type": "function",
            "function": {
                "name": name,
                "description": desc,
                "parameters": {
                    "type": "object",
                    "properties": props,
                    "required": list(props),
                },
            },
        }

    city = {"type": "string", "description": "The city, e.g. Paris."}
    unit = {
        "type": "string",
        "description": "Temperature unit.",
        "enum": ["celsius", "fahrenheit"],
    }
    weather = tool(
        "get_weather",
        "Get the current weather in a city.",
        {"city": city, "unit": unit},
    )
    order = tool(
        "find_order",
        "Look up an order by its number and return its status.",
        {"order_id": {"type": "string", "description": "The order number."}},
    )
    refund = tool(
        "refund",
        "Refund an order in full or in part.",
        {
            "order_id": {"type": "string", "description": "The order number."},
            "amount": {"type": "number", "description": "Amount in euros."},
            "reason": {
                "type": "string",
                "enum": ["damaged", "late", "other"],
                "description": "Why.",
            },
        },
    )
    return [[weather], [order, refund], [weather, order, refund]]


_SETS = _tool_sets()


def _tools(rng: random.Random) -> dict[str, object]:
    tools = rng.choice(_SETS)
    names = [t["function"]["name"] for t in tools]  # type: ignore[index]
    messages: list[dict[str, object]] = [
        {"role": "system", "content": "You are a helpful shop and weather assistant."},
        {"role": "user", "content": _text(rng, rng.randint(1, 3))},
    ]
    calls = []
    for n in range(rng.randint(1, 2)):
        args = {"city": rng.choice(_CITIES), "order_id": str(rng.randint(10**5, 10**6))}
        calls.append(
            {
                "id": f"call_{rng.getrandbits(48):012x}",
                "type": "function",
                "function": {"name": rng.choice(names), "arguments": json.dumps(args)},
            }
        )
        del n
    messages.append({"role": "assistant", "content": None, "tool_calls": calls})
    for c in calls:
        messages.append(
            {"role": "tool", "tool_call_id": c["id"], "content": _text(rng, 1)}
        )
    messages.append({"role": "assistant", "content": _text(rng, rng.randint(1, 4))})
    return {"messages": messages, "tools": tools, "parallel_tool_calls": True}


_SHORT_REPLIES = ["yes", "no", "sure", "done", "ok", "thanks", "later", "maybe"]
# Cyrillic, Arabic, CJK ideographs, hiragana, accented Latin
_SCRIPTS = [(0x0430, 0x044F), (0x0621, 0x064A), (0x4E00, 0x9FA5), (0x3041, 0x3096)]
_LATIN = "abcdefghijklmnopqrstuvwxyzéèàùçäöüßñ"


def _short(rng: random.Random) -> dict[str, object]:
    return {
        "messages": [
            {"role": "user", "content": f"ok {rng.randint(1, 99)}"},
            {
                "role": "assistant",
                "content": f"{rng.choice(_SHORT_REPLIES)} {rng.randint(1, 999)}",
            },
        ]
    }


def _words(rng: random.Random, count: int) -> str:
    if rng.random() < 0.2:
        return " ".join(
            "".join(rng.choice(_LATIN) for _ in range(rng.randint(2, 9)))
            for _ in range(count)
        )
    lo, hi = rng.choice(_SCRIPTS)
    sep = "" if lo >= 0x3041 else " "  # Chinese and Japanese use no spaces
    return sep.join(
        "".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 7)))
        for _ in range(count)
    )


def _multilingual(rng: random.Random) -> dict[str, object]:
    return {
        "messages": [
            {"role": "user", "content": _words(rng, rng.randint(150, 600))},
            {"role": "assistant", "content": _words(rng, rng.randint(20, 120))},
        ]
    }


SHAPES: dict[str, Callable[[random.Random], dict[str, object]]] = {
    "unique": _unique,
    "tools": _tools,
    "short": _short,
    "multilingual": _multilingual,
}


def generate(shape: str, path: Path, size_mb: float, seed: int = 7) -> int:
    """Write about ``size_mb`` MB of ``shape`` examples to ``path``; return lines."""
    return generate_file(path, size_mb, seed, make=SHAPES[shape], blank_lines=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("shape", choices=sorted(SHAPES))
    parser.add_argument("out", type=Path)
    parser.add_argument("--size-mb", type=float, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(f"wrote {generate(args.shape, args.out, args.size_mb, args.seed)} lines")


if __name__ == "__main__":
    main()
