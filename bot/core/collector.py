"""The young generations collected every few requests: once a bot's caches are full, CPython's own trigger stops firing.

CPython collects its youngest generation when allocations minus deallocations since the last collection
pass the first threshold. A bot whose bounded caches are full frees an old entry for each one it stores,
so that difference stays near zero while what the new entries hold piles up in the young generations,
never walked; the collection that finally comes walks tens of thousands of objects and stalls the request
that set it off. Collected every YOUNG_EVERY requests, they hold a few hundred objects, walked in no time.
The rest of the collector's policy: docs/architecture.md, "Garbage collection".
"""

from __future__ import annotations

import gc

YOUNG_EVERY = 32


class YoungCollector:
    """Counts requests; every YOUNG_EVERY-th collects generations 0 and 1, in a process that runs the collector at all."""

    __slots__ = ("_requests",)

    def __init__(self) -> None:
        self._requests = 0

    def request(self) -> None:
        """One more request; on every YOUNG_EVERY-th, the young generations are collected before it is answered."""
        self._requests += 1
        if self._requests < YOUNG_EVERY:
            return
        self._requests = 0
        # Generation 1 too: collecting generation 0 alone moves its survivors into generation 1, which the
        # same trigger would then never collect either. A one-shot `ask`, or a build that paused the
        # collector (bot/core/kept.py), wants no collection.
        if gc.isenabled():
            gc.collect(1)
