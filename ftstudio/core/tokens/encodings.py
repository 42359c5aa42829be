"""Build tiktoken encodings from the bundled files, never from the network.

``tiktoken.get_encoding(name)`` downloads the rank file on first use, which fails
offline, and in a frozen app it cannot even find its plugin. The rank files ship
in ``resources/tokenizers/``; their sha256 is checked before use. The patterns and
special tokens below are those of ``tiktoken_ext.openai_public`` (a test checks
they stay equal).
"""

from __future__ import annotations

import binascii
import hashlib
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ftstudio.core.errors import ErrorKind, FtError
from ftstudio.core.resources import resource_path

if TYPE_CHECKING:
    import tiktoken

ENDOFTEXT = "<|endoftext|>"
ENDOFPROMPT = "<|endofprompt|>"


@dataclass(frozen=True)
class EncodingSpec:
    """What it takes to build one encoding."""

    name: str
    sha256: str
    pat_str: str
    special_tokens: dict[str, int]


_O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)

SPECS: dict[str, EncodingSpec] = {
    "o200k_base": EncodingSpec(
        name="o200k_base",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str=_O200K_PATTERN,
        special_tokens={ENDOFTEXT: 199999, ENDOFPROMPT: 200018},
    ),
    "cl100k_base": EncodingSpec(
        name="cl100k_base",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
        special_tokens={
            ENDOFTEXT: 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            ENDOFPROMPT: 100276,
        },
    ),
}

_lock = threading.Lock()
_loaded: dict[str, tiktoken.Encoding] = {}


def load_ranks(name: str) -> dict[bytes, int]:
    """Read and check the bundled rank file of encoding ``name``.

    Raises
    ------
    FtError
        If the encoding is unknown, or its file is missing or damaged.
    """
    spec = SPECS.get(name)
    if spec is None:
        known = ", ".join(sorted(SPECS))
        raise FtError(
            ErrorKind.TOKENIZER, f"Unknown tokenizer {name!r} (known: {known})."
        )
    path = resource_path("tokenizers", f"{name}.tiktoken")
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"The tokenizer file for {name} is missing from the app's resources."
        raise FtError(ErrorKind.TOKENIZER, msg, str(exc)) from exc
    if hashlib.sha256(data).hexdigest() != spec.sha256:
        msg = f"The tokenizer file for {name} is damaged (checksum mismatch)."
        raise FtError(ErrorKind.TOKENIZER, msg, str(path))
    # Each line is "<base64 token> <rank>", and the ranks of every shipped file
    # run 0, 1, 2… in line order (the checksum pins the files; a test checks
    # the order), so the ranks need no parsing: half the load time.
    tokens = data.split()[0::2]
    return dict(zip(map(binascii.a2b_base64, tokens), range(len(tokens)), strict=True))


def get_encoding(name: str) -> tiktoken.Encoding:
    """Return the encoding ``name`` built from bundled files (cached, thread-safe)."""
    with _lock:
        enc = _loaded.get(name)
        if enc is None:
            import tiktoken  # lazy: the first window does not need it

            spec = SPECS.get(name)
            ranks = load_ranks(name)
            assert spec is not None  # load_ranks raised otherwise
            enc = tiktoken.Encoding(
                name=spec.name,
                pat_str=spec.pat_str,
                mergeable_ranks=ranks,
                special_tokens=spec.special_tokens,
            )
            _loaded[name] = enc
        return enc
