"""Which fields of an example the editor's form has no box for."""

from __future__ import annotations

from ftstudio.gui.dataset.hidden import hidden_parts, without


def test_preference_example_hidden_fields() -> None:
    value = {
        "input": {
            "messages": [{"role": "user", "content": "Hi", "weight": 1}],
            "tools": [],
        },
        "preferred_output": [{"role": "assistant", "content": "Hello", "x": 1}],
        "non_preferred_output": [{"role": "assistant", "content": "Go"}],
    }
    paths = [h.path for h in hidden_parts(value)]
    assert paths == [
        ("input", "messages", 0, "weight"),
        ("input", "tools"),
        ("preferred_output", 0, "x"),
    ]
    assert without(value, paths[2])["preferred_output"] == [
        {"role": "assistant", "content": "Hello"}
    ]
    assert value["preferred_output"][0]["x"] == 1  # the original is untouched


def test_what_the_form_shows_is_not_listed() -> None:
    value = {
        "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "", "weight": 0, "tool_calls": []},
        ],
        "tools": [],
    }
    assert hidden_parts(value) == []
    assert hidden_parts({"prompt": "a", "completion": "b"}) == []
    assert hidden_parts(["not", "an", "object"]) == []
