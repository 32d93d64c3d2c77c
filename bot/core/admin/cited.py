"""The passages an admin's edit brings, checked against their sources' texts as `validate` checks a pack's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.admin.policy import TRUSTED_PLATFORMS
from bot.core.catalogue import Catalogue
from bot.core.kinds import PACK_KINDS
from bot.core.model import Briefing, Evidence, Source
from bot.core.passages import departure, normalise
from bot.core.repository import LOAD_PLATFORM, BriefingStore, SourceText
from bot.core.text import shortened
from bot.errors import UserError

QUOTED = 120  # characters of a passage's unfound part that a refusal quotes
PATH_HISTORY = 50  # a source's latest revisions searched for the load that set its path; past them, its path is not read
# A source as its text is read: a load that moves its `text:` path meanwhile makes it another file to read.
TextKey = tuple[str, str | None]
Texts = Mapping[TextKey, SourceText]


class NeedTexts(Exception):
    """The edit cites sources whose texts are not read yet: nothing was written; read them and build the edit again."""

    def __init__(self, sources: tuple[Source, ...]) -> None:
        super().__init__(sources)
        self.sources = sources


def key(source: Source) -> TextKey:
    """What a read text is kept under."""
    return source.id, source.text


Pieces = Sequence[tuple[str, Evidence]]  # passages with their pack paths


def new_passages(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, at: str = "") -> list[tuple[str, Evidence]]:
    """The passages the item holds after the edit and did not hold before, with their paths: a kept one was checked (or loaded) already."""
    held = {(piece["source"], piece["passage"]) for piece in (before or {}).get("evidence", [])}
    return [
        (f"{at}evidence[{n}]", Evidence(piece["source"], piece["passage"]))
        for n, piece in enumerate((after or {}).get("evidence", []))
        if (piece["source"], piece["passage"]) not in held
    ]


def pack_passages(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, Evidence]]:
    """The passages an imported pack gives an item (found by id) that it did not hold, with the paths `validate` names."""
    pieces = new_passages(before.get("briefing"), after.get("briefing"), "briefing.")
    for kind in PACK_KINDS:
        if "evidence" in kind.by_name:
            kept = {item["id"]: item for item in before.get(kind.section, [])}
            for n, item in enumerate(after.get(kind.section, [])):
                pieces += new_passages(kept.get(item["id"]), item, f"{kind.section}[{n}].")
    return pieces


def check(briefing: Briefing, pieces: Pieces, texts: Texts, cat: Catalogue, *, at: bool = False) -> None:
    """Refuse new passages (`new_passages`, `pack_passages`) not in their sources' texts, each named by its path when `at`;
    NeedTexts while a cited source's text is not read yet."""
    if not pieces:
        return
    from bot.core.evidence import misses  # `validate`'s own check, loaded by an edit that brings passages, not by every read
    sources = {source.id: source for source in briefing.sources}
    cited = {piece.source: sources[piece.source] for _, piece in pieces}  # the edit was validated: each is a source of the briefing
    unread = tuple(source for source in cited.values() if key(source) not in texts)
    if unread:
        raise NeedTexts(unread)
    found = {sid: text for sid, source in cited.items() if (text := texts[key(source)].text) is not None}
    missed = misses(pieces, found)
    if missed:
        lines = "; ".join(_missed(path, piece, found[piece.source], cat, at) for path, piece in missed)
        message = cat("admin.passages_not_found", misses=lines)
        raise UserError("admin.passages_not_found", field_errors={"evidence": message}, misses=lines)


def _missed(path: str, piece: Evidence, text: str, cat: Catalogue, at: bool) -> str:
    """One passage the source's text lacks, quoted from where it leaves the text (and named by its path when `at`)."""
    part = departure(text, piece.passage)
    whole = part == normalise(piece.passage)
    said = cat("admin.passage_absent" if whole else "admin.passage_leaves", source=piece.source, part=shortened(part, QUOTED))
    return cat("admin.passage_at", path=f"{path}.passage", miss=said) if at else said


def unchecked(briefing: Briefing, pieces: Pieces, texts: Texts, cat: Catalogue) -> str:
    """What an answer must say of the new passages that could not be checked, and why; "" when each was."""
    sources = {source.id: source for source in briefing.sources}
    why = dict.fromkeys(
        cat(read.missing, source=sid, text=sources[sid].text or "")
        for sid in dict.fromkeys(piece.source for _, piece in pieces)
        if (read := texts[key(sources[sid])]).text is None
    )
    return cat("admin.passages_unchecked", reasons="; ".join(why)) if why else ""


async def text_of(store: BriefingStore, briefing_id: str, source: Source) -> SourceText:
    """The source's text to check passages against; only a file that a pack load named is read."""
    if source.text is not None and not await _path_loaded(store, briefing_id, source.id):
        return SourceText(None, "admin.unchecked_named_in_chat")
    return await store.source_text(briefing_id, source)


async def pack_texts(
    store: BriefingStore, current: Briefing, incoming: Briefing, pieces: Pieces, *, operator: bool
) -> dict[TextKey, SourceText]:
    """The texts an imported pack's new passages are checked against.

    The operator's import (`operator`: a pack file on the server, its paths placed where the store finds its texts)
    names them as a load does, so each is read. An import from a chat never reads a `text:` path it brings or changes,
    as one an admin types in a chat is not (`text_of`): the uploaded file could name any file on the server.
    """
    stored = {source.id: source.text for source in current.sources}
    cited = {piece.source for _, piece in pieces}
    return {
        key(source): await store.source_text(current.id, source) if operator
        else await text_of(store, current.id, source) if source.text is None or stored.get(source.id, "") == source.text
        else SourceText(None, "admin.unchecked_named_in_import")
        for source in incoming.sources
        if source.id in cited
    }


async def _path_loaded(store: BriefingStore, briefing_id: str, source_id: str) -> bool:
    """Whether a pack file on the server, not a chat, set the source's `text:` path as it is now.

    A path an admin sets in a chat could name any file on the server: passages accepted or refused against it
    would tell its contents word by word. A pack file the operator names sets it as they meant: a load, or an
    import by the operator (`briefbot admin import PATH`, whose paths lead from PATH's folder as a load's do). The
    source's own edits since then are read back (each a small item) to find whether one changed the path; an
    import from a chat that changed the source counts as one.
    """
    for revision in await store.revisions(briefing_id, "source", source_id, limit=PATH_HISTORY, data=False):
        if revision.platform == LOAD_PLATFORM or (revision.action == "import" and revision.platform in TRUSTED_PLATFORMS):
            return True
        if revision.kind != "source":
            return False
        logged = await store.revision(briefing_id, revision.id)
        if logged is None or _path(logged.before) != _path(logged.after):
            return False
    return False


def _path(side: Mapping[str, Any] | None) -> Any:
    """The `text:` path a logged source held on one side of its revision (None when absent)."""
    return (side or {}).get("item", {}).get("text")
