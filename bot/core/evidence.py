"""Evidence passages against their sources' texts: found verbatim, up to spacing, quote marks and dashes.

The comparison forgives only what copying from a web page changes by itself (line breaks and runs of
spaces, typographic quotes, dash variants), so a changed word, letter or digit is always a miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from bot.core.model import Briefing, Evidence
from bot.errors import PackProblem

_MARKS = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The text with quote marks and dashes made plain and every run of whitespace one space."""
    return _SPACE.sub(" ", text.translate(_MARKS)).strip()


def contains(haystack: str, needle: str) -> bool:
    """True when `needle` lies in `haystack`, up to whitespace, quote marks and dashes."""
    return normalise(needle) in normalise(haystack)


def evidence_paths(briefing: Briefing) -> Iterator[tuple[str, Evidence]]:
    """Every evidence passage of the briefing with the pack path of the passage."""
    yield from _numbered("briefing.evidence", briefing.summary_evidence)
    yield from _numbered("meeting.evidence", briefing.meeting.evidence)
    for section in ("timeline", "people", "agenda", "quotes", "faq"):
        for n, item in enumerate(getattr(briefing, section)):
            yield from _numbered(f"{section}[{n}].evidence", item.evidence)


def _numbered(path: str, evidence: tuple[Evidence, ...]) -> Iterator[tuple[str, Evidence]]:
    for n, piece in enumerate(evidence):
        yield f"{path}[{n}]", piece


def unfound(briefing: Briefing, texts: Mapping[str, str], file: str) -> list[PackProblem]:
    """A problem for each passage whose source text is given but does not contain it."""
    plain = {source: normalise(text) for source, text in texts.items()}
    return [
        PackProblem(file, f"{path}.passage", "pack.passage_not_found", (("source", piece.source),))
        for path, piece in evidence_paths(briefing)
        if piece.source in plain and normalise(piece.passage) not in plain[piece.source]
    ]
