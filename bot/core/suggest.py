""""Did you mean": the closest few of a set of names to what a reader typed, accents and case aside."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from bot.core.text import fold

CUTOFF = 0.75  # difflib's ratio: "sanction"/"sanctions" 0.94, "tpoic"/"topic" 0.8, "xyz"/"visa" 0.0


def closest(typed: str, names: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` names the reader may have meant: a near spelling of the whole name or of one of its words,
    or its initials ("us" for "United States")."""
    wanted = fold(typed)
    if not wanted:
        return []
    scored: dict[str, float] = {}
    for name in names:
        folded = fold(name)
        parts = folded.split()
        candidates = [folded, *parts, *(" ".join(parts[i:]) for i in range(1, len(parts)))]
        best = max(difflib.SequenceMatcher(None, wanted, candidate).ratio() for candidate in candidates)
        if len(parts) > 1 and wanted.replace(" ", "") == "".join(part[0] for part in parts):
            best = 1.0
        if best >= CUTOFF and best > scored.get(name, 0.0):
            scored[name] = best
    return sorted(scored, key=lambda name: -scored[name])[:n]
