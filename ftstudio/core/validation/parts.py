"""Content given as a list of parts: allowed part types per role, image rules.

Follows the content part schemas of OpenAI's spec (``ChatCompletionRequest*
MessageContentPart``): system, developer and tool messages take text parts,
user messages text, image, audio and file parts, assistant messages text and
refusal parts. Images follow OpenAI's vision fine-tuning guide: JPEG, PNG or
WEBP, at most 10 MB each and 10 per example, only in user messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ftstudio.core.validation.findings import Finding
from ftstudio.core.validation.words import E, finding, short

PART_TYPES = {
    "system": frozenset({"text"}),
    "developer": frozenset({"text"}),
    "user": frozenset({"text", "image_url", "input_audio", "file"}),
    "assistant": frozenset({"text", "refusal"}),
    "tool": frozenset({"text"}),
}
_PAYLOAD = {
    "text": "text",
    "refusal": "refusal",
    "image_url": "image_url",
    "input_audio": "input_audio",
    "file": "file",
}
DETAILS = frozenset({"auto", "low", "high"})
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGES = 10
_DATA_URL = re.compile(r"data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?P<b64>;base64)?,", re.I)
_IMAGE_TYPES = frozenset({"image/jpeg", "image/jpg", "image/png", "image/webp"})


@dataclass
class Seen:
    """What the parts of one example held so far (images for the vision rules)."""

    images: int = 0


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _type_words(allowed: frozenset[str]) -> str:
    return " or ".join(sorted(allowed))


def _image_problem(image: Any) -> str | None:
    """Say what is wrong with an ``image_url`` object, or None."""
    if not isinstance(image, dict):
        return 'needs "image_url": {"url": ...}'
    url = image.get("url")
    if not isinstance(url, str) or not url.strip():
        return 'has no "url": give a web address or a data: URL of the image'
    detail = image.get("detail", "auto")
    if detail not in DETAILS:
        return f'has the detail {short(detail)}: use "low", "high" or "auto"'
    if url.startswith(("http://", "https://")):
        return None
    match = _DATA_URL.match(url[:200])
    if match is None:
        return (
            "is neither a web address (https://…) nor a data: URL; OpenAI cannot "
            "read a file path on your computer"
        )
    mime = (match.group("mime") or "").lower()
    if mime not in _IMAGE_TYPES:
        return f"is a {mime or 'typeless'} data URL: OpenAI takes JPEG, PNG or WEBP"
    if match.group("b64") is None:
        return "is a data URL without ;base64: encode the image in base64"
    size = (len(url) - match.end()) * 3 // 4
    if size > MAX_IMAGE_BYTES:
        return (
            f"is {size / 1e6:.1f} MB; OpenAI takes images of at most 10 MB: "
            "make it smaller"
        )
    return None


def check_parts(
    parts: list[Any], role: str, where: str, seen: Seen, out: list[Finding]
) -> None:
    """Check the content parts of one message (``parts`` is a non-empty list)."""
    allowed = PART_TYPES.get(role)
    for i, part in enumerate(parts, 1):
        at = f"Part {i} of {where.lower()}"
        kind = part.get("type") if isinstance(part, dict) else None
        if not isinstance(kind, str):
            out.append(
                finding(
                    "invalid_content_part",
                    E,
                    f'{at} has no "type": each part needs one, such as '
                    '{"type": "text", "text": "…"}.',
                )
            )
            continue
        if kind not in _PAYLOAD:
            out.append(
                finding(
                    "invalid_content_part",
                    E,
                    f"{at} has the unknown type {short(kind)}: OpenAI knows text, "
                    "image_url, input_audio, file and refusal parts.",
                )
            )
            continue
        if allowed is not None and kind not in allowed:
            out.append(
                finding(
                    "invalid_content_part",
                    E,
                    f"{at} is {_a(kind)} {kind} part, but {role} messages may only hold "
                    f"{_type_words(allowed)} parts"
                    + (
                        ": images go in user messages."
                        if kind == "image_url"
                        else ": remove it."
                    ),
                )
            )
            continue
        _check_payload(part, kind, at, seen, out)


def _check_payload(
    part: dict[str, Any], kind: str, at: str, seen: Seen, out: list[Finding]
) -> None:
    payload = part.get(_PAYLOAD[kind])
    if kind in ("text", "refusal"):
        if not isinstance(payload, str) or not payload.strip():
            out.append(
                finding(
                    "missing_content",
                    E,
                    f'{at} is {_a(kind)} {kind} part with no {kind}: write it in "{kind}" '
                    "or delete the part.",
                )
            )
        return
    if kind == "image_url":
        seen.images += 1
        problem = _image_problem(payload)
        if problem:
            out.append(
                finding("invalid_image", E, f"The image in {at.lower()} {problem}.")
            )
        return
    if not isinstance(payload, dict):
        out.append(
            finding(
                "invalid_content_part",
                E,
                f'{at} is {_a(kind)} {kind} part without its "{kind}" object: add it or '
                "delete the part.",
            )
        )
        return
    if kind == "input_audio" and not (
        isinstance(payload.get("data"), str) and payload.get("format") in ("wav", "mp3")
    ):
        out.append(
            finding(
                "invalid_content_part",
                E,
                f'{at} is audio without "data" (base64) and a "format" of wav or mp3.',
            )
        )


def too_many_images(seen: Seen) -> Finding | None:
    """Return the finding for an example with more images than OpenAI takes."""
    if seen.images <= MAX_IMAGES:
        return None
    return finding(
        "too_many_images",
        E,
        f"This example has {seen.images} images; OpenAI takes at most {MAX_IMAGES} "
        "per example: split it into several examples.",
    )
