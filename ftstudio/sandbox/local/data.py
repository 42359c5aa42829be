"""OpenAI training lines as token ids and loss masks, exactly as OpenAI trains on them.

Supervised chat: every token is context, and only the tokens of assistant replies
whose ``weight`` is not 0 carry loss (the reply and the template's end-of-turn
marker, so the model learns to stop). Legacy prompt/completion: the completion
carries loss. DPO lines become TRL's conversational preference rows.

Where each reply lies in the rendered conversation is found by rendering the
conversation up to it with the model's own chat template (``messages[:i]`` with a
generation prompt, then ``messages[:i + 1]``). Templates whose earlier turns do
not render as a prefix of later ones (Harmony ends a last reply with
``<|return|>``, an earlier one with ``<|end|>``) fall back to finding the reply's
text after the generation prompt, plus one special token that closes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ftstudio.sandbox.training import content_text

_KEEP_KEYS = ("role", "content", "name", "tool_calls", "tool_call_id", "thinking")


@dataclass
class Tokenized:
    """Token rows ready for TRL, and what the user should hear about them."""

    rows: list[dict[str, list[int]]] = field(default_factory=list)
    tokens: int = 0
    trained_tokens: int = 0
    truncated: int = 0
    skipped: int = 0


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def clean_message(message: dict[str, Any]) -> dict[str, Any]:
    """Return the message as chat templates expect it (text content, no weight)."""
    out = {k: message[k] for k in _KEEP_KEYS if k in message}
    out["content"] = content_text(message.get("content"))
    return out


def _render(
    tokenizer: Any, messages: list[dict[str, Any]], gen: bool, tools: Any
) -> str:
    text: str = tokenizer.apply_chat_template(
        messages, tools=tools, tokenize=False, add_generation_prompt=gen
    )
    return text


def _closing_token(tokenizer: Any, text: str, end: int) -> int:
    for token in sorted(tokenizer.all_special_tokens, key=len, reverse=True):
        if token and text.startswith(token, end):
            return end + len(token)
    return end


def reply_spans(
    tokenizer: Any, messages: list[dict[str, Any]], tools: Any = None
) -> tuple[str, list[tuple[int, int, bool]]]:
    """Return the rendered conversation and each assistant reply's span.

    Each span is ``(start, end, trained)`` in characters of the rendered text.
    """
    clean = [clean_message(m) for m in messages]
    full = _render(tokenizer, clean, False, tools)
    spans: list[tuple[int, int, bool]] = []
    cursor = 0
    for i, message in enumerate(messages):
        if message.get("role") != "assistant":
            continue
        trained = message.get("weight", 1) != 0
        start = end = -1
        if i > 0:
            before = _render(tokenizer, clean[:i], True, tools)
            upto = _render(tokenizer, clean[: i + 1], False, tools)
            if full.startswith(upto) and upto.startswith(before):
                start, end = len(before), len(upto)
            elif full.startswith(before):
                start = len(before)
        text = clean[i]["content"]
        if end < 0:
            found = full.find(text, max(cursor, start))
            if found < 0:
                continue
            start = found if start < 0 else start
            end = _closing_token(tokenizer, full, found + len(text))
        spans.append((start, end, trained))
        cursor = end
    return full, spans


def tokenize_chat(
    tokenizer: Any, line: dict[str, Any], max_length: int
) -> tuple[list[int], list[int]]:
    """Return ``(input_ids, assistant_masks)`` of one chat line."""
    full, spans = reply_spans(tokenizer, line["messages"], line.get("tools"))
    enc = tokenizer(full, add_special_tokens=False, return_offsets_mapping=True)
    ids: list[int] = list(enc["input_ids"])
    mask = [0] * len(ids)
    trained = [(s, e) for s, e, t in spans if t]
    for j, (a, b) in enumerate(enc["offset_mapping"]):
        if b > a and any(s <= a < e for s, e in trained):
            mask[j] = 1
    return ids[:max_length], mask[:max_length]


def tokenize_completion(
    tokenizer: Any, line: dict[str, Any], max_length: int
) -> tuple[list[int], list[int]]:
    """Return ``(input_ids, assistant_masks)`` of one legacy prompt/completion line."""
    prompt = tokenizer(str(line.get("prompt", "")), add_special_tokens=False)
    completion = tokenizer(str(line.get("completion", "")), add_special_tokens=False)
    tail = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
    ids = list(prompt["input_ids"]) + list(completion["input_ids"]) + tail
    mask = [0] * len(prompt["input_ids"]) + [1] * (len(ids) - len(prompt["input_ids"]))
    return ids[:max_length], mask[:max_length]


def tokenize_supervised(
    tokenizer: Any, lines: list[dict[str, Any]], max_length: int
) -> Tokenized:
    """Tokenize supervised lines (chat or prompt/completion) for TRL's SFT trainer."""
    out = Tokenized()
    for line in lines:
        if "messages" in line:
            ids, mask = tokenize_chat(tokenizer, line, max_length + 1)
        else:
            ids, mask = tokenize_completion(tokenizer, line, max_length + 1)
        if len(ids) > max_length:
            out.truncated += 1
            ids, mask = ids[:max_length], mask[:max_length]
        if not any(mask):
            out.skipped += 1  # nothing to learn from: it would only cost time
            continue
        out.rows.append({"input_ids": ids, "assistant_masks": mask})
        out.tokens += len(ids)
        out.trained_tokens += sum(mask)
    return out


def preference_rows(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return OpenAI DPO lines as TRL conversational preference rows."""
    rows = []
    for line in lines:
        prompt = [clean_message(m) for m in line["input"]["messages"]]
        rows.append(
            {
                "prompt": prompt,
                "chosen": [clean_message(m) for m in line["preferred_output"]],
                "rejected": [clean_message(m) for m in line["non_preferred_output"]],
            }
        )
    return rows
