"""Free-text metrics, intervals, comparisons, word diffs and blind mode on hand-computed cases."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ftstudio.core.evaluation.blind import BlindSession
from ftstudio.core.evaluation.results import Answer, ResultsFile
from ftstudio.core.evaluation.scoring import Metric, format_score, score
from ftstudio.core.evaluation.stats import (
    bootstrap_ci,
    compare,
    distribution,
    summarize,
)
from ftstudio.core.evaluation.table import EvalTable
from ftstudio.core.evaluation.testfile import Case
from ftstudio.core.evaluation.text_metrics import rouge_l, token_f1, tokens
from ftstudio.core.evaluation.wordiff import to_html, word_diff


@pytest.mark.parametrize(
    ("expected", "reply", "f1"),
    [
        # 3 shared words; precision 3/3, recall 3/6
        ("the cat sat on the mat", "the cat sat", 2 / 3),
        # punctuation and case do not count; precision 1/3, recall 1
        ("Paris", "It is PARIS.", 0.5),
        # a word counts as often as it occurs in both: 2 of 3 each way
        ("a a b", "a a a", 2 / 3),
        ("red", "blue", 0.0),
        ("", "", 1.0),
        ("something", "", 0.0),
        # letters of every script are words
        ("Grüße aus München", "grüße aus Berlin", 2 / 3),
        # Chinese counts character by character: precision 2/3, recall 1
        ("北京", "北京市", 0.8),
    ],
)
def test_token_f1(expected: str, reply: str, f1: float) -> None:
    assert token_f1(expected, reply) == pytest.approx(f1)
    assert score(Metric.F1, expected, reply) == pytest.approx(f1)


@pytest.mark.parametrize(
    ("expected", "reply", "rouge"),
    [
        # longest common subsequence "the cat" (2): precision 2/4, recall 2/6
        ("the cat sat on the mat", "the mat the cat", 0.4),
        # the same words in reverse: one in order, so 1/4 each way
        ("a b c d", "d c b a", 0.25),
        ("Élan vital", "élan VITAL!", 1.0),
        ("", "", 1.0),
    ],
)
def test_rouge_l(expected: str, reply: str, rouge: float) -> None:
    assert rouge_l(expected, reply) == pytest.approx(rouge)
    assert score(Metric.ROUGE, expected, reply) == pytest.approx(rouge)


def test_word_order_matters_to_rouge_not_to_f1() -> None:
    assert token_f1("a b c d", "d c b a") == 1.0
    assert rouge_l("a b c d", "d c b a") < 0.5


def test_tokens_keep_reading_order_across_scripts() -> None:
    assert tokens("Héllo, wörld! 北京 ok_go") == [
        "héllo",
        "wörld",
        "北",
        "京",
        "ok",
        "go",
    ]


def test_scores_read_as_a_user_reads_them() -> None:
    assert format_score(Metric.EXACT, 1.0) == "✓ pass"
    assert format_score(Metric.CONTAINS, 0.0) == "✗ fail"
    assert format_score(Metric.F1, 2 / 3) == "0.67"
    assert format_score(Metric.JUDGE, 0.75) == "4 / 5"
    assert format_score(Metric.ROUGE, None) == "…"


def test_interval_of_constant_scores_is_that_score() -> None:
    assert bootstrap_ci([0.7] * 10) == pytest.approx((0.7, 0.7))


def test_interval_of_half_passed_matches_the_normal_approximation() -> None:
    # 100 scores, half 1: the mean's standard error is 0.05, so about ±0.098
    low, high = bootstrap_ci([0.0, 1.0] * 50)
    assert low == pytest.approx(0.402, abs=0.02)
    assert high == pytest.approx(0.598, abs=0.02)
    assert bootstrap_ci([0.0, 1.0] * 50) == (low, high)  # the same every time


def test_summary_of_nothing_is_empty() -> None:
    assert summarize([]).mean is None
    with pytest.raises(ValueError, match="no values"):
        bootstrap_ci([])


def test_wins_ties_losses_count_only_examples_scored_for_both() -> None:
    c = compare("base", "tuned", [0, 0, 1, None, 0.5], [1, 0, 0, 1, 1])
    assert (c.wins, c.ties, c.losses) == (2, 1, 1)
    assert c.sentence() == (
        "tuned is better than base on 2 of 4 examples (1 tied); "
        "too few examples to tell it from chance."
    )


def test_a_clear_win_is_larger_than_chance() -> None:
    c = compare("base", "tuned", [0.0] * 12, [1.0] * 9 + [0.0] * 3)
    assert c.beyond_chance
    assert c.sentence() == (
        "tuned is better than base on 9 of 12 examples (3 tied); "
        "the difference is larger than chance."
    )


def test_an_even_split_could_be_chance() -> None:
    c = compare("a", "b", [1.0, 0.0] * 5, [0.0, 1.0] * 5)
    assert not c.beyond_chance
    assert c.sentence() == (
        "b and a are even: each is better on 5 of 10 examples; "
        "the difference could be chance."
    )


def test_a_worse_second_model_is_named_as_worse() -> None:
    c = compare("tuned", "other", [1.0] * 8, [0.0] * 8)
    assert c.sentence().startswith("tuned is better than other on 8 of 8")


def test_distribution_bins() -> None:
    assert distribution([0.0, 1.0, 1.0], 2) == ([0.0, 1.0], [1, 2])
    assert distribution([0.0, 0.25, 1.0, 1.0], 5)[1] == [1, 1, 0, 0, 2]
    assert distribution([0.05, 0.95, 1.0], 10)[1] == [1] + [0] * 8 + [2]


def test_word_diff_marks_missing_and_extra_words() -> None:
    left, right = word_diff("Arr, 3 it be, matey!", "you wrote 3 IT is matey")
    assert "".join(t for _, t in left) == "Arr, 3 it be, matey!"
    assert "".join(t for _, t in right) == "you wrote 3 IT is matey"
    assert [t for k, t in left if k == "missing"] == ["Arr,", "be,"]
    assert [t for k, t in right if k == "extra"] == ["you", "wrote", "is"]
    html = to_html(right)
    assert '<span class="extra"' in html
    assert "IT" in html


def test_word_diff_html_is_escaped() -> None:
    _, right = word_diff("a", "<b>x</b>\nnext")
    html = to_html(right)
    assert "<b>" not in html
    assert "&lt;b&gt;" in html
    assert "<br>" in html


def two_model_table(rows: int = 20) -> EvalTable:
    cases = [
        Case(i, ({"role": "user", "content": f"q{i}"},), f"e{i}") for i in range(rows)
    ]
    answers = {}
    for i in range(rows):
        answers[(i, 0)] = Answer(i, 0, f"base says {i}")
        answers[(i, 1)] = Answer(i, 1, f"tuned says {i}")
    return EvalTable(cases, ["base", "tuned"], answers)


def test_blind_mode_hides_which_model_is_which(tmp_path: Path) -> None:
    table = two_model_table()
    session = BlindSession(table, 0, 1, random.Random(3))
    assert (session.done, session.total) == (0, 20)
    seen_first_as_a = []
    chosen = []
    while (item := session.current()) is not None:
        shown = f"{item.question} {item.expected} {item.reply_a} {item.reply_b}"
        assert "base" not in shown.replace("base says", "")
        assert not hasattr(item, "models")
        seen_first_as_a.append(item.reply_a.startswith("base"))
        # always prefer reply A: the votes follow the hidden order
        vote = session.choose(1)
        chosen.append(vote.winner)
        expected_winner = "base" if item.reply_a.startswith("base") else "tuned"
        assert vote.winner == expected_winner
    assert 0 < sum(seen_first_as_a) < 20  # both orders are shown
    assert (session.done, session.total) == (20, 20)
    first, ties, second = table.human_tally("base", "tuned")
    assert (first, ties, second) == (chosen.count("base"), 0, chosen.count("tuned"))
    with pytest.raises(ValueError, match="every test is judged"):
        session.choose(0)


def test_blind_votes_are_stored_with_the_run(tmp_path: Path) -> None:
    table = two_model_table(3)
    results = ResultsFile(tmp_path / "run.jsonl", table.cases, table.models)
    results.load_all()
    session = BlindSession(table, 0, 1, random.Random(1))
    results.add_vote(session.choose(0))
    results.add_vote(session.choose(2))
    votes = results.load_all().votes
    assert len(votes) == 2
    assert votes[(0, ("base", "tuned"))].winner == ""  # a tie
    again = EvalTable(table.cases, table.models, table.answers, votes=votes)
    resumed = BlindSession(again, 0, 1, random.Random(9))
    assert (resumed.done, resumed.total) == (2, 3)
    assert resumed.current() is not None
    assert resumed.current().row == 2  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="press 1, 2 or 0"):
        resumed.choose(3)
