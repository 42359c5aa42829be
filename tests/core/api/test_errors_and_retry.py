"""SDK failures become plain messages; retries wait as asked and stop at once on cancel."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx2
import openai
import pytest

from ftstudio.core.api.errors import to_ft_error
from ftstudio.core.api.retry import RetryNotice, run_to_end, with_retries
from ftstudio.core.cancel import Cancelled, CancelToken
from ftstudio.core.errors import FtError

FAKE_KEY = "sk-test-not-a-real-key-000000"


def client_for(handler: Callable[[httpx2.Request], httpx2.Response]) -> openai.OpenAI:
    transport = httpx2.MockTransport(handler)
    return openai.OpenAI(
        api_key=FAKE_KEY,
        base_url="http://127.0.0.1:9/v1",
        max_retries=0,
        http_client=httpx2.Client(transport=transport),
    )


def error_response(
    status: int, message: str, code: str | None = None, **headers: str
) -> httpx2.Response:
    body = {
        "error": {
            "message": message,
            "type": "invalid_request_error",
            "param": None,
            "code": code,
        }
    }
    return httpx2.Response(status, json=body, headers=headers)


def failure_of(handler: Callable[[httpx2.Request], httpx2.Response]) -> FtError:
    with pytest.raises(openai.OpenAIError) as info:
        client_for(handler).models.list()
    return to_ft_error(info.value)


@pytest.mark.parametrize(
    ("status", "message", "code", "kind", "words", "retryable"),
    [
        (
            401,
            "Incorrect API key provided: sk-test-***",
            "invalid_api_key",
            "auth",
            "key was refused",
            False,
        ),
        (
            403,
            "You do not have access to fine-tuning: your organization is not eligible.",
            None,
            "eligibility",
            "no longer create fine-tuning jobs",
            False,
        ),
        (
            403,
            "Project does not have access to model",
            None,
            "permission",
            "no permission",
            False,
        ),
        (404, "No such job", None, "not_found", "does not know", False),
        (413, "Request too large", None, "too_large", "too large", False),
        (429, "Rate limit reached", "rate_limit_exceeded", "rate_limit", "busy", True),
        (
            429,
            "You exceeded your current quota",
            "insufficient_quota",
            "quota",
            "run out of credit",
            False,
        ),
        (500, "boom", None, "server", "problem on its side", True),
        (
            400,
            "Invalid value for n_epochs",
            None,
            "invalid",
            "Invalid value for n_epochs",
            False,
        ),
    ],
)
def test_status_errors_become_plain_messages(
    status: int, message: str, code: str | None, kind: str, words: str, retryable: bool
) -> None:
    error = failure_of(lambda _r: error_response(status, message, code))
    assert error.kind == kind
    assert words in error.message
    assert error.retryable is retryable
    assert f"HTTP {status}" in error.detail


def test_network_loss_is_retryable_and_says_so() -> None:
    def refuse(_request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused")

    error = failure_of(refuse)
    assert error.kind == "network"
    assert error.retryable
    assert "internet connection" in error.message


def test_keys_never_reach_the_details() -> None:
    error = failure_of(
        lambda _r: error_response(401, f"Incorrect API key provided: {FAKE_KEY}")
    )
    assert FAKE_KEY not in error.detail
    assert FAKE_KEY not in error.message


def test_retry_honours_retry_after_then_succeeds() -> None:
    calls: list[int] = []

    def handler(_request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        if len(calls) < 3:
            return error_response(
                429, "slow down", "rate_limit_exceeded", **{"retry-after": "0.05"}
            )
        return httpx2.Response(200, json={"object": "list", "data": []})

    client = client_for(handler)
    notices: list[RetryNotice] = []
    result = run_to_end(with_retries(client.models.list), notices.append)
    assert list(result) == []
    assert len(calls) == 3
    assert [n.delay for n in notices] == [0.05, 0.05]
    assert "attempt 2 of" in notices[0].text


def test_non_retryable_error_is_raised_at_once() -> None:
    calls: list[int] = []

    def handler(_request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        return error_response(401, "bad key")

    with pytest.raises(FtError) as info:
        run_to_end(with_retries(client_for(handler).models.list))
    assert info.value.kind == "auth"
    assert len(calls) == 1


def test_cancel_stops_the_wait_immediately() -> None:
    client = client_for(lambda _r: error_response(503, "down", **{"retry-after": "30"}))
    token = CancelToken()
    gen = with_retries(client.models.list, token)
    notice = next(gen)
    assert notice.delay == 30
    threading.Timer(0.1, token.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        next(gen)
    assert time.monotonic() - started < 5


def test_a_lost_answer_is_looked_up_before_the_call_is_repeated() -> None:
    created: list[str] = []
    lookups: list[int] = []

    def create() -> str:
        created.append("job")
        if len(created) == 1:
            raise openai.APIConnectionError(request=httpx2.Request("POST", "http://x"))
        return "second job"

    def look() -> Any:
        lookups.append(1)
        if len(lookups) == 1:  # the look-up itself fails once: still no blind repeat
            raise openai.APIConnectionError(request=httpx2.Request("GET", "http://x"))
        return "the first job"

    gen = with_retries(create, before_retry=look)
    gen_result = run_to_end(gen)
    assert gen_result == "the first job"
    assert created == ["job"]
    assert len(lookups) == 2
