"""The life of one run as ``emrctl`` sees it: an idempotency token per submission, backoff while waiting, and the
signals that stop a wait.

- Tokens. EMR Serverless and EMR on EKS ``StartJobRun`` take a ``clientToken``: a request that reuses a token gets the
  run that token first started (whatever its state, FAILED included) instead of a new one. boto3 fills a fresh random
  token when none is given, so a retried ``submit`` would start a second copy; emrctl derives a deterministic one
  instead (``derive_token``). EMR on EC2 ``AddJobFlowSteps`` takes no token: emrctl writes a marker of the token into
  the step's name (``step_name``) and follows a PENDING/RUNNING step that carries it rather than adding another.
- Backoff. ``Backoff`` is exponential backoff with full jitter, capped.
  See: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
- Signals. ``interrupt_signals`` turns SIGINT/SIGTERM into ``Interrupted`` only while it is active, so the wait can
  cancel the run before emrctl exits; the previous handlers come back afterwards.

boto3 only (no aws_cdk): the CLI must start in well under a second.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
"""What both services accept as ``clientToken``: EMR Serverless allows 1-64 of ``[A-Za-z0-9._-]`` (EMR on EKS any 1-64
characters with a non-space), from botocore's service models (``ClientToken`` shapes of emr-serverless 2021-07-13 and
emr-containers 2020-10-01)."""
TOKEN_PREFIX = "emrctl-"
STEP_NAME_MAX = 256
"""``AddJobFlowSteps`` ``Steps[].Name``: at most 256 characters (botocore's emr model, ``XmlStringMaxLen256``)."""
MARKER_TOKEN_MAX = 40
THROTTLING_CODES = frozenset({"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"})
DEFAULT_INTERVAL = 10.0
DEFAULT_MAX_INTERVAL = 60.0


def check_token(token: str) -> str:
    """``token`` if both services accept it as a ``clientToken``; ``ValueError`` naming the rule otherwise."""
    if not TOKEN_PATTERN.fullmatch(token):
        raise ValueError(f"--token: got {token!r}; expected 1-64 characters of A-Z a-z 0-9 . _ -")
    return token


def derive_token(runtime: str, target_id: str, job_name: str, request: Mapping[str, Any], run_key: str = "") -> str:
    """A deterministic ``clientToken``: ``emrctl-`` and 40 hex digits of SHA-256 over the runtime, the target, the job
    name, the rendered request (keys sorted) and ``run_key``. The same job submitted again to the same target gets the
    same token (so a retry never starts a second copy); running it again on purpose needs another ``run_key``."""
    material = json.dumps(
        {"runtime": runtime, "target": target_id, "name": job_name, "request": request, "run_key": run_key},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return TOKEN_PREFIX + hashlib.sha256(material.encode()).hexdigest()[:40]


def step_marker(token: str) -> str:
    """The marker of ``token`` in an EMR on EC2 step name: `` [emrctl TOKEN]``; a token longer than 40 characters is
    shortened to ``sha256:`` and 16 hex digits of its hash so the job's name keeps most of the 256 characters."""
    shown = token if len(token) <= MARKER_TOKEN_MAX else "sha256:" + hashlib.sha256(token.encode()).hexdigest()[:16]
    return f" [emrctl {shown}]"


def step_name(name: str, token: str) -> str:
    """``name`` with the marker of ``token`` at its end, the name cut so the whole stays within 256 characters."""
    marker = step_marker(token)
    return name[: STEP_NAME_MAX - len(marker)] + marker


@dataclass
class Backoff:
    """Exponential backoff with full jitter: the ``n``-th delay (from 0) is uniform in ``[0, min(cap, base * 2**n)]``.

    ``rand`` returns a float in ``[0, 1)`` (``random.random`` by default; tests pass their own).
    See: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/ ("Full Jitter")
    """

    base: float = DEFAULT_INTERVAL
    cap: float = DEFAULT_MAX_INTERVAL
    rand: Callable[[], float] = field(default=random.random)
    attempt: int = 0

    def __post_init__(self) -> None:
        if not self.base > 0:
            raise ValueError(f"--interval: got {self.base}; expected a number of seconds > 0")
        if not self.cap >= self.base:
            raise ValueError(f"--max-interval: got {self.cap}; expected at least --interval ({self.base})")

    def ceiling(self) -> float:
        """The upper bound of the next delay."""
        return float(min(self.cap, self.base * 2.0 ** min(self.attempt, 62)))

    def next_delay(self) -> float:
        delay = self.rand() * self.ceiling()
        self.attempt += 1
        return delay


def is_throttling(err: BaseException) -> bool:
    """A botocore ``ClientError`` that says the caller is throttled (after botocore's own retries)."""
    response = getattr(err, "response", None)
    return isinstance(response, dict) and response.get("Error", {}).get("Code") in THROTTLING_CODES


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived while ``interrupt_signals`` was active. A ``BaseException`` like
    ``KeyboardInterrupt``, so no ``except Exception`` on the way swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.name = signal.Signals(signum).name


@dataclass
class InterruptGuard:
    """Handed out by ``interrupt_signals``: ``disarm()`` makes further signals no-ops (while the run is cancelled)."""

    armed: bool = True
    received: list[str] = field(default_factory=list)

    def disarm(self) -> None:
        self.armed = False


@contextmanager
def interrupt_signals(signums: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[InterruptGuard]:
    """While active, the first SIGINT/SIGTERM raises ``Interrupted`` in the main thread; later ones (and any after
    ``disarm()``) are recorded and ignored, so a second Ctrl-C cannot abort the cancel. The previous handlers are
    restored on exit. Off the main thread (where Python cannot set handlers) it does nothing."""
    guard = InterruptGuard()
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        guard.received.append(signal.Signals(signum).name)
        if guard.armed:
            guard.armed = False
            raise Interrupted(signum)

    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield guard
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


__all__ = [
    "DEFAULT_INTERVAL",
    "DEFAULT_MAX_INTERVAL",
    "THROTTLING_CODES",
    "TOKEN_PATTERN",
    "Backoff",
    "InterruptGuard",
    "Interrupted",
    "check_token",
    "derive_token",
    "interrupt_signals",
    "is_throttling",
    "step_marker",
    "step_name",
]
