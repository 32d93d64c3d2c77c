"""What `/healthz` answers: the store answers a query, and Slack's Web API answered `auth.test` recently.

"Recently" is FRESH seconds: a probe within that time of the last success reuses it, so a load
balancer polling every few seconds costs Slack one `auth.test` a minute, not one per poll.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_app.token import rejected
from bot.errors import StoreError

log = logging.getLogger(__name__)
FRESH = 60.0
PROBE_TIMEOUT = 5.0
StoreProbe = Callable[[], Awaitable[object]]
_NAMES = {"store": "the store", "slack": "Slack"}


def _outage(error: Exception) -> str | None:
    """What an expected outage was, in a few words (`HTTP 503`); None for a failure nobody expected."""
    if isinstance(error, SlackApiError):
        return f"HTTP {error.response.status_code}"
    if isinstance(error, TimeoutError):
        return f"no answer within {PROBE_TIMEOUT:g} s"
    if isinstance(error, (OSError, StoreError)):  # unreachable, refused, a store that is busy or gone: said in its words
        return f"{type(error).__name__}: {error}"
    return None


class Health:
    """Probes the store on every call and Slack at most once per FRESH seconds; logs only when a state flips."""

    def __init__(self, store_answers: StoreProbe, client: AsyncWebClient, clock: Callable[[], float] = time.monotonic) -> None:
        self.store_answers = store_answers
        self.client = client
        self.clock = clock
        self._slack_ok_at: float | None = None
        self._slack_lock = asyncio.Lock()
        self._state: dict[str, bool] = {}

    async def report(self) -> dict[str, bool]:
        """`{"ok", "store", "slack"}`: each part True when it answered; `ok` only when both did."""
        store = await self._probe("store", self.store_answers)
        slack = await self._slack()
        return {"ok": store and slack, "store": store, "slack": slack}

    async def _slack(self) -> bool:
        async with self._slack_lock:  # concurrent probes share one auth.test instead of each sending their own
            if self._slack_ok_at is not None and self.clock() - self._slack_ok_at < FRESH:
                return True
            ok = await self._probe("slack", self._auth_test)
            if ok:
                self._slack_ok_at = self.clock()
            return ok

    async def _auth_test(self) -> None:
        # slack_sdk raises SlackApiError on `ok: false`, so an invalid token counts as down.
        await self.client.auth_test()

    async def _probe(self, name: str, probe: StoreProbe) -> bool:
        """True when `probe` answers within PROBE_TIMEOUT; a change of state is logged once, an outage in one line, anything else with its traceback."""
        try:
            async with asyncio.timeout(PROBE_TIMEOUT):
                await probe()
        except Exception as error:
            if self._state.get(name, True):
                refused = rejected(error)
                why = _outage(error)
                if refused:  # the operator's to fix, said in words: no traceback
                    log.warning("healthz: %s", refused)
                elif why:  # an outage, expected: its traceback would point at no code to fix
                    log.warning("healthz: %s stopped answering (%s)", _NAMES[name], why)
                else:
                    log.warning("healthz: %s stopped answering", _NAMES[name], exc_info=True)
            self._state[name] = False
            return False
        if not self._state.get(name, True):
            log.info("healthz: %s answers again", _NAMES[name])
        self._state[name] = True
        return True
