"""Evidence passages against their sources' texts: found verbatim, up to Unicode normal form, spacing, quote marks and dashes.

The comparison forgives only what copying from a web page or saving a file changes by itself (an accent
composed or decomposed, line breaks and runs of spaces, typographic quotes, dash variants, a word the text
splits at a line's end), so a changed word, letter or digit is always a miss (bot/core/passages.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from bot.core.kinds import PACK_KINDS
from bot.core.model import Briefing, Evidence
from bot.core.pack import LEGACY_MEETING
from bot.core.passages import composed, contains, elided, normalise, rejoined
from bot.errors import PackProblem

__all__ = ["contains", "evidence_paths", "misses", "normalise", "unfound"]


def evidence_paths(briefing: Briefing, meeting: bool = False) -> Iterator[tuple[str, Evidence]]:
    """Every evidence passage of the briefing with the pack path of the passage (`meeting`: the file's one session is `meeting:`)."""
    yield from _numbered("briefing.evidence", briefing.summary_evidence)
    for kind in PACK_KINDS:
        if "evidence" in kind.by_name:
            for n, item in enumerate(getattr(briefing, kind.section)):
                path = LEGACY_MEETING if meeting and kind.section == "sessions" else f"{kind.section}[{n}]"
                yield from _numbered(f"{path}.evidence", item.evidence)


def _numbered(path: str, evidence: tuple[Evidence, ...]) -> Iterator[tuple[str, Evidence]]:
    for n, piece in enumerate(evidence):
        yield f"{path}[{n}]", piece


def unfound(briefing: Briefing, texts: Mapping[str, str], file: str, meeting: bool = False) -> list[PackProblem]:
    """A problem for each passage whose source text is given but does not contain it."""
    if not texts:  # nothing to look in: no walk over every passage (120k at 100k events)
        return []
    return [
        PackProblem(file, f"{path}.passage", "pack.passage_elided" if elided(piece.passage) else "pack.passage_not_found", (("source", piece.source),))
        for path, piece in misses(evidence_paths(briefing, meeting), texts)
    ]


def misses(pieces: Iterable[tuple[str, Evidence]], texts: Mapping[str, str]) -> list[tuple[str, Evidence]]:
    """Each (path, passage) whose source's text is given but does not hold it: `validate`'s check, and an admin edit's."""
    plain: dict[str, str] = {}  # a text normalised only once a passage is not in it as it is: normalising an article is most of an edit's check
    nfc: dict[str, bool] = {}  # whether a text is composed, where a passage found as it is is found (`contains`)
    joined: dict[str, tuple[str, ...]] = {}  # a text with the words it splits at lines' ends whole, once a passage is not in it
    missed = []
    for path, piece in pieces:
        text = texts.get(piece.source)
        if text is None:
            continue
        if piece.source not in nfc:
            nfc[piece.source] = composed(text)
        if nfc[piece.source] and piece.passage in text:
            continue
        if piece.source not in plain:
            plain[piece.source] = normalise(text)
        passage = normalise(piece.passage)
        if passage in plain[piece.source]:
            continue
        if piece.source not in joined:
            joined[piece.source] = rejoined(text)
        if not any(passage in whole for whole in joined[piece.source]):
            missed.append((path, piece))
    return missed
