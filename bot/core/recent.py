"""A small mapping that keeps only its most recently used entries, so memory follows what is in use."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

# Briefings held in memory at once (snapshots in the store, indexes in the core): the default and the
# ones channels are reading now. A 50-item briefing with its index and memos is about 70 KB, so 64
# cost about 4 MB however many briefings the store holds, where all 1,000 cost 64 MB; a briefing
# let go comes back with one read.
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


class Stamped(Generic[K, V]):
    """Entries that hold for one look at the store (`BriefingRepository.stamp`), asked by `(stamp, key)`: a newer look finds none.

    Every new stamp empties it, so it needs no order of use: past `size` entries, the oldest stored goes.
    """

    __slots__ = ("_entries", "_stamp", "get", "size")

    def __init__(self, size: int) -> None:
        """Hold at most `size` (at least one) entries, all of one stamp."""
        self.size = max(1, size)
        self._stamp: int | None = None
        self._entries: dict[tuple[int, K], V] = {}
        # The entry kept for (stamp, key), else None: the dictionary's own lookup, as this is asked on every request.
        self.get: Callable[[tuple[int | None, K]], V | None] = self._entries.get  # type: ignore[assignment]

    def put(self, stamp: int | None, key: K, value: V) -> None:
        """Keep `value` at `stamp` (nothing when the store cannot say: None); a new stamp first drops every older entry."""
        if stamp is None:
            return
        if stamp != self._stamp:
            self._stamp = stamp
            self._entries.clear()
        elif len(self._entries) >= self.size and (stamp, key) not in self._entries:
            del self._entries[next(iter(self._entries))]
        self._entries[stamp, key] = value
