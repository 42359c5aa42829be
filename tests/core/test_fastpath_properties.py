"""The fast path for plain chat lines gives exactly what the full rules give."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftstudio.core.tokens.counting import TokenCounter
from ftstudio.core.validation import linecheck
from ftstudio.core.validation.fastpath import fast_shape

COUNTER = TokenCounter("o200k_base")
texts = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=20
)
message = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["system", "user", "assistant", "developer", "tool"]),
        "content": texts,
    },
    optional={
        "weight": st.sampled_from([0, 1, 2, 0.5, True, None]),
        "name": st.one_of(texts, st.integers()),
    },
)
examples = st.builds(
    lambda m: {"messages": m}, st.lists(message, min_size=1, max_size=6)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(examples)
def test_fast_path_agrees_with_the_full_rules(value: Any) -> None:
    raw = json.dumps(value).encode()
    fast = linecheck.check_line(raw, COUNTER)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(linecheck, "fast_chat", lambda *args: None)
        full = linecheck.check_line(raw, COUNTER)
    assert fast == full


def test_the_fast_path_takes_weighted_and_named_messages() -> None:
    value = {
        "messages": [
            {"role": "user", "content": "Hi", "name": "ann"},
            {"role": "assistant", "content": "Hello", "weight": 0},
            {"role": "user", "content": "Again"},
            {"role": "assistant", "content": "Hello again", "weight": 1},
        ]
    }
    assert fast_shape(value) is not None
    result = linecheck.check_line(json.dumps(value).encode(), COUNTER)
    assert result.findings == ()
    assert 0 < result.assistant < result.tokens
