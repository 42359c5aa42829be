"""Free-text metrics: token F1 and ROUGE-L over words in any script."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")


def tokens(text: str) -> list[str]:
    """Return the words of ``text``, lower-cased, punctuation dropped.

    Letters and digits of every script count (``rouge-score``'s own tokenizer
    keeps only a-z and 0-9, so a French or Greek answer would score nothing);
    Chinese, Japanese and Korean characters count one by one, since those
    scripts do not put spaces between words.
    """
    return _TOKEN.findall(text.casefold())


def token_f1(expected: str, reply: str) -> float:
    """Return the token F1 of ``reply`` against ``expected`` (SQuAD's answer metric).

    Precision is the share of the reply's words found in the expected answer,
    recall the share of the expected words found in the reply, each word
    counted as often as it occurs in both. Two empty texts agree fully.
    """
    want, got = Counter(tokens(expected)), Counter(tokens(reply))
    if not want or not got:
        return float(want == got)
    common = sum((want & got).values())
    if not common:
        return 0.0
    precision = common / sum(got.values())
    recall = common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


class _Tokenizer:
    """The tokenizer interface ``rouge_score`` expects."""

    def tokenize(self, text: str) -> list[str]:
        return tokens(text)


@cache
def _scorer() -> Any:
    from rouge_score import rouge_scorer  # ~0.25 s (nltk): only when asked for

    return rouge_scorer.RougeScorer(["rougeL"], tokenizer=_Tokenizer())


def rouge_l(expected: str, reply: str) -> float:
    """Return ROUGE-L F-measure: the longest common word sequence, as a share.

    Computed by Google's ``rouge-score``; two empty texts agree fully.
    """
    if not tokens(expected) and not tokens(reply):
        return 1.0
    return float(_scorer().score(expected, reply)["rougeL"].fmeasure)
