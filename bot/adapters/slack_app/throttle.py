"""A log line that may repeat thousands of times a second (a flood of junk, an exhausted resource) is written
at most once per interval, with a count of what was held back, so the log stays readable and the disk stays free."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

INTERVAL = 60.0


class Throttled:
    """Writes each kind of message at most once per `interval` seconds; the next one says how many were skipped."""

    def __init__(self, logger: logging.Logger, interval: float = INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        self.logger = logger
        self.interval = interval
        self.clock = clock
        # Keys are fixed strings chosen in code, never request data, so this stays a handful of entries.
        self._last: dict[str, tuple[float, int]] = {}

    def warning(self, key: str, message: str, *args: object) -> None:
        """Log `message` under `key` unless the same key was logged less than `interval` ago."""
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last[0] < self.interval:
            self._last[key] = (last[0], last[1] + 1)
            return
        skipped = last[1] if last is not None else 0
        suffix = f" ({skipped} more like it in the last {self.interval:g} s)" if skipped else ""
        self.logger.warning(message + suffix, *args)
        self._last[key] = (now, 0)
