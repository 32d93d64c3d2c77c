"""A small mapping that keeps only its most recently used entries, so memory follows what is in use."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

# Briefings held in memory at once (snapshots in the store, indexes in the core): the default and the
# ones channels are reading now. A 50-item briefing with its index and memos is about 70 KB, so 64
# cost about 4 MB however many briefings the store holds, where all 1,000 cost 64 MB; a briefing
# let go comes back with one read (1.5 ms for 50 items). See docs/benchmarks.md (issue #14).
BRIEFINGS_HELD = 64


class Recent(Generic[K, V]):
    """Up to `size` entries; storing one more drops the least recently used (read or stored)."""

    __slots__ = ("_entries", "size")

    def __init__(self, size: int = BRIEFINGS_HELD) -> None:
        """Hold at most `size` (at least one) entries."""
        self.size = max(1, size)
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The entry, marked as just used; None when it is not held."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
