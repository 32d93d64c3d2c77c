"""HTTP mode's front door: a request reaches bolt only when Slack signed it, recently, and only once.

bolt parses a body before it checks the signature, and slack_sdk's verifier calls `int()` on the
timestamp header, so junk in either raised a 500 with a traceback. Here the headers are checked for
shape first, the signature with slack_sdk's own verifier, and each accepted signature is remembered
until its timestamp leaves Slack's five-minute window, so a byte-for-byte replay to this process is refused.
The memory is this process's alone: another worker, or this one restarted, accepts a copy inside the window, which
then reads what the original read; a write it asks for is refused by the store, which records each request's
`delivery` with the revision it writes (docs/slack-security.md, "Replays").
"""

from __future__ import annotations

import hashlib
import heapq
import re
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from http import HTTPStatus

from slack_sdk.signature import Clock, SignatureVerifier

# Slack refuses (and so do we) a timestamp more than five minutes from now, in either direction.
WINDOW = 5 * 60
# A signature stays replayable until its timestamp is WINDOW old, so it is kept up to 2 × WINDOW.
# 60,000 keys ≈ 100 signed requests a second for those ten minutes, about 10 MB; far above one workspace.
MAX_SEEN = 60_000
_STAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
# The signed request being answered, as `Request.delivery` names it: set by the web handler once the gate lets it in, so
# its listeners and the tasks they spawn see it; None in Socket Mode, whose envelopes reach this process alone.
DELIVERY: ContextVar[str | None] = ContextVar("slack_delivery", default=None)


def delivery(headers: Mapping[str, str]) -> str:
    """A signed request's key for the store's write guard: a hash of its signature, so the store keeps no signature."""
    signed = f"{headers.get('X-Slack-Request-Timestamp', '')}:{headers.get('X-Slack-Signature', '')}"
    return "slack:" + hashlib.sha256(signed.encode()).hexdigest()


class _Clock(Clock):
    """slack_sdk's verifier reads time through a Clock; this one is injected so tests can move it."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


class SeenSignatures:
    """Signatures accepted while they could still be replayed; at most `limit` of them."""

    def __init__(self, limit: int = MAX_SEEN) -> None:
        self.limit = limit
        self._keys: set[str] = set()
        self._expiries: list[tuple[float, str]] = []

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def forget_before(self, now: float) -> None:
        """Drop every key whose timestamp has left the window: Slack's check refuses those anyway."""
        while self._expiries and self._expiries[0][0] < now:
            _, key = heapq.heappop(self._expiries)
            self._keys.discard(key)

    def add(self, key: str, expires: float) -> None:
        """Remember `key` until `expires`."""
        self._keys.add(key)
        heapq.heappush(self._expiries, (expires, key))

    @property
    def full(self) -> bool:
        """True when one more key would pass the bound."""
        return len(self._keys) >= self.limit


class SlackGate:
    """Decides whether a request may reach bolt; returns the refusal's HTTP status, or None to let it in."""

    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time, limit: int = MAX_SEEN) -> None:
        self.clock = clock
        self.verifier = SignatureVerifier(signing_secret, clock=_Clock(clock))
        self.seen = SeenSignatures(limit)

    def refuse(self, body: bytes, headers: Mapping[str, str]) -> tuple[HTTPStatus, str] | None:
        """(status, reason) for a request that must not reach bolt; None when Slack sent it and it is new."""
        stamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not _STAMP.fullmatch(stamp) or not _SIGNATURE.fullmatch(signature):
            return HTTPStatus.UNAUTHORIZED, "missing or malformed signature headers"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return HTTPStatus.BAD_REQUEST, "a body that is not UTF-8"
        if not self.verifier.is_valid(text, stamp, signature):
            return HTTPStatus.UNAUTHORIZED, "a bad signature or a timestamp outside the window"
        now = self.clock()
        self.seen.forget_before(now)
        key = f"{stamp}:{signature}"
        if key in self.seen:
            return HTTPStatus.UNAUTHORIZED, "a replayed request"
        if self.seen.full:
            # Fail closed: forgetting a live signature early would let it be replayed. Slack retries events.
            return HTTPStatus.SERVICE_UNAVAILABLE, "the replay memory is full"
        self.seen.add(key, int(stamp) + WINDOW)
        return None
