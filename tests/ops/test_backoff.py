"""Waiting backs off: exponential backoff with full jitter, capped, ``--interval`` as the base; a throttled describe
call (ThrottlingException after botocore's own retries; Stubber returns it once) is retried by the wait loop, not
fatal, until the timeout. Sleep, clock and randomness are injected.

See: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/ ("Full Jitter":
sleep = random_between(0, min(cap, base * 2 ** attempt))).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import Stubber

from emr_constructs.ops.common import EXIT_AWS, EXIT_TIMEOUT, Failure, TimedOut, wait_for
from emr_constructs.ops.lifecycle import Backoff
from emr_constructs.ops.runtimes import RunState, ServerlessRuntime
from tests.ops.test_wait_states import APP, RUN, FakeClock, _client, _run


def _rands(*values: float) -> Any:
    it = iter(values)
    return lambda: next(it)


def test_full_jitter_windows_double_from_the_base_up_to_the_cap() -> None:
    backoff = Backoff(base=2, cap=15, rand=lambda: 1.0)
    assert [backoff.next_delay() for _ in range(6)] == [2, 4, 8, 15, 15, 15]


def test_each_delay_is_drawn_uniformly_inside_its_window() -> None:
    backoff = Backoff(base=10, cap=60, rand=_rands(0.5, 0.0, 0.25, 0.9))
    assert [backoff.next_delay() for _ in range(4)] == [5.0, 0.0, 10.0, 54.0]


def test_real_jitter_stays_in_the_window_and_varies() -> None:
    draws = [Backoff(base=10, cap=60, attempt=3).next_delay() for _ in range(200)]
    assert all(0 <= d <= 60 for d in draws) and len(set(draws)) > 100


@pytest.mark.parametrize(("base", "cap"), [(0, 60), (-1, 60), (30, 10)])
def test_a_bad_interval_or_cap_is_refused(base: float, cap: float) -> None:
    with pytest.raises(ValueError, match="interval"):
        Backoff(base=base, cap=cap)


@pytest.fixture
def serverless() -> Iterator[tuple[ServerlessRuntime, Stubber]]:
    client = _client("emr-serverless")
    with Stubber(client) as stub:
        yield ServerlessRuntime(client), stub


def _throttle(stub: Stubber) -> None:
    stub.add_client_error("get_job_run", "ThrottlingException", "Rate exceeded", http_status_code=400)


def test_throttled_describe_calls_back_off_with_jitter_and_the_wait_recovers(
    serverless: tuple[ServerlessRuntime, Stubber],
) -> None:
    runtime, stub = serverless
    stub.add_response("get_job_run", _run("RUNNING"))
    for _ in range(3):
        _throttle(stub)
    stub.add_response("get_job_run", _run("SUCCESS"))
    clock, throttles, sleeps, seen = FakeClock(), [], [], []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.sleep(seconds)

    final = wait_for(
        runtime,
        APP,
        RUN,
        timeout=600,
        interval=5,
        max_interval=30,
        clock=clock,
        sleep=sleep,
        rand=_rands(0.5, 0.25, 0.75, 0.5),
        on_change=lambda s, _: seen.append(s.state),
        on_throttle=lambda message, delay: throttles.append((message, delay)),
    )
    assert final.succeeded and seen == ["RUNNING", "SUCCESS"]
    # windows 5, 10, 20, 30 (capped): each sleep is its window times the draw
    assert sleeps == [2.5, 2.5, 15.0, 15.0]
    assert throttles == [("Rate exceeded", 2.5), ("Rate exceeded", 15.0), ("Rate exceeded", 15.0)]
    stub.assert_no_pending_responses()


def test_throttling_until_the_timeout_is_a_timeout_not_an_aws_error(
    serverless: tuple[ServerlessRuntime, Stubber],
) -> None:
    runtime, stub = serverless
    stub.add_response("get_job_run", _run("RUNNING"))
    for _ in range(10):
        _throttle(stub)
    clock = FakeClock()
    with pytest.raises(TimedOut) as err:
        wait_for(
            runtime,
            APP,
            RUN,
            timeout=60,
            interval=10,
            clock=clock,
            sleep=clock.sleep,
            rand=lambda: 1.0,
            on_change=lambda s, _: None,
        )
    assert err.value.code == EXIT_TIMEOUT and err.value.state == RunState("RUNNING", False, False, "RUNNING")
    assert err.value.throttled == 3 and clock.now == 60  # 10 + 20 + 30 (the last sleep stops at the timeout)
    assert "still RUNNING (3 throttled describe calls)" in str(err.value)


def test_other_aws_errors_are_not_retried(serverless: tuple[ServerlessRuntime, Stubber]) -> None:
    from emr_constructs.ops.common import aws_errors

    runtime, stub = serverless
    stub.add_client_error("get_job_run", "AccessDeniedException", "no", http_status_code=403)
    clock = FakeClock()
    with pytest.raises(Failure) as err, aws_errors():
        wait_for(runtime, APP, RUN, timeout=60, interval=10, clock=clock, sleep=clock.sleep, on_change=print)
    assert err.value.code == EXIT_AWS and clock.now == 0


def test_no_sleep_runs_past_the_timeout(serverless: tuple[ServerlessRuntime, Stubber]) -> None:
    runtime, stub = serverless
    for _ in range(3):
        stub.add_response("get_job_run", _run("RUNNING"))
    clock = FakeClock()
    with pytest.raises(TimedOut):
        wait_for(
            runtime,
            APP,
            RUN,
            timeout=25,
            interval=10,
            clock=clock,
            sleep=clock.sleep,
            rand=lambda: 1.0,
            on_change=lambda s, _: None,
        )
    assert clock.now == 25  # 10, then 15 of the 20-second window


@pytest.mark.parametrize("option", [("--interval", "0"), ("--max-interval", "-1"), ("--timeout", "-5")])
def test_a_non_positive_interval_or_negative_timeout_is_a_usage_error(
    option: tuple[str, str], emrctl: Any, world: dict[str, str]
) -> None:
    result = emrctl("eks", "wait", "--target", world["vc_id"], "some-run", *option)
    assert result.code == 2 and option[0] in result.stderr
