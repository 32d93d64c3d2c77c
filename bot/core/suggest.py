""""Did you mean": the closest few of a set of names to what a reader typed, accents and case aside."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

from bot.core.text import fold

# "Did you mean" weighs every id of the kind, on the event loop: past this many, an admin's refusal
# names none (Discord's autocomplete or the kind's list finds the id), nor does a pack's problem (200 of them among 100k ids
# would take minutes).
SUGGESTED_AMONG = 400
CUTOFF = 0.75  # difflib's ratio: "sanction"/"sanctions" 0.94, "tpoic"/"topic" 0.8, "xyz"/"visa" 0.0


def closest(typed: str, names: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` names the reader may have meant: a near spelling of the whole name or of one of its words,
    or its initials ("us" for "United States")."""
    wanted = fold(typed)
    if not wanted:
        return []
    letters = tuple(Counter(wanted).items())
    scored: dict[str, float] = {}
    for name in names:
        folded = fold(name)
        parts = folded.split()
        candidates = [folded, *parts, *(" ".join(parts[i:]) for i in range(1, len(parts)))]
        best = max(_ratio(wanted, letters, candidate) for candidate in candidates)
        if len(parts) > 1 and wanted.replace(" ", "") == "".join(part[0] for part in parts):
            best = 1.0
        if best >= CUTOFF and best > scored.get(name, 0.0):
            scored[name] = best
    return sorted(scored, key=lambda name: -scored[name])[:n]


def _ratio(wanted: str, letters: tuple[tuple[str, int], ...], candidate: str) -> float:
    """difflib's ratio, or 0.0 when a cheap upper bound of it is below CUTOFF (as `difflib.get_close_matches` prunes).

    Both bounds are difflib's own (`real_quick_ratio`: lengths; `quick_ratio`: letters in common), so
    every name that scores at least CUTOFF scores as before; among 10,000 names the full comparison
    then runs for a handful, not for every word of every name, which held the event loop far too long.
    """
    total = len(wanted) + len(candidate)
    if 2 * min(len(wanted), len(candidate)) < CUTOFF * total:
        return 0.0
    common = sum(min(n, candidate.count(letter)) for letter, n in letters)
    if 2 * common < CUTOFF * total:
        return 0.0
    return difflib.SequenceMatcher(None, wanted, candidate).ratio()
