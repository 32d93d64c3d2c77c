"""The passages an admin's edit brings, checked against their sources' texts as `validate` checks a pack's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from bot.core.catalogue import Catalogue
from bot.core.kinds import KINDS, PACK_KINDS
from bot.core.model import Briefing, Evidence, Source
from bot.core.passages import departure, elided, normalise
from bot.core.repository import LOAD_PLATFORM, OPERATOR_PLATFORMS, BriefingStore, Revision, SourceText
from bot.core.text import shortened
from bot.errors import UserError

QUOTED = 120  # characters of a passage's unfound part that a refusal quotes
SHOWN_MISSES = 10  # passages a refusal names; past them it counts (an imported pack may bring thousands)
PATH_HISTORY = 50  # a source's revisions searched for the load that set its path (each read back); past them, its path is not read
# A source as its text is read: a load that moves its `text:` path meanwhile makes it another file to read.
TextKey = tuple[str, str | None]
SOURCES = KINDS["source"].section  # where a whole briefing's logged pack data holds its sources
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
        # Quoting a miss searches its source's whole text a few times: only the first SHOWN_MISSES, however many there are.
        named = [_missed(path, piece, found[piece.source], cat, at) for path, piece in missed[:SHOWN_MISSES]]
        more = [cat("admin.passages_more", n=len(missed) - SHOWN_MISSES)] if len(missed) > SHOWN_MISSES else []
        lines = "; ".join(named + more)
        message = cat("admin.passages_not_found", misses=lines)
        raise UserError("admin.passages_not_found", field_errors={"evidence": message}, misses=lines)


def _missed(path: str, piece: Evidence, text: str, cat: Catalogue, at: bool) -> str:
    """One passage the source's text lacks, quoted from where it leaves the text (and named by its path when `at`)."""
    part = departure(text, piece.passage)
    whole = part == normalise(piece.passage)
    said = cat("admin.passage_absent" if whole else "admin.passage_leaves", source=piece.source, part=shortened(part, QUOTED))
    if elided(piece.passage):
        said = cat("admin.passage_elided", miss=said)
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
    if source.text is not None and (unread := await path_unread(store, briefing_id, source)):
        return SourceText(None, unread)
    return await store.source_text(briefing_id, source)


async def pack_texts(
    store: BriefingStore, current: Briefing, incoming: Briefing, pieces: Pieces, *, operator: bool
) -> dict[TextKey, SourceText]:
    """The texts an imported pack's new passages are checked against.

    The operator's import (`operator`: a pack file on the server, its paths placed where the store finds its texts)
    names the paths it changes as a load does, so each is read. An import from a chat never reads a `text:` path it
    brings or changes, as one an admin types in a chat is not (`text_of`): the uploaded file could name any file on
    the server. A path either keeps is read only if what set it may be (an export holds a chat's path too).
    """
    stored = {source.id: source.text for source in current.sources}
    cited = {piece.source for _, piece in pieces}
    return {
        key(source): await text_of(store, current.id, source) if source.text is None or stored.get(source.id, "") == source.text
        else await store.source_text(current.id, source) if operator
        else SourceText(None, "admin.unchecked_named_in_import")
        for source in incoming.sources
        if source.id in cited
    }


async def path_unread(store: BriefingStore, briefing_id: str, source: Source) -> str:
    """Why the source's `text:` path as it is now may not be read (a catalogue key); "" when a pack file on the server set it.

    A path an admin sets in a chat could name any file on the server: passages accepted or refused against it
    would tell its contents word by word. A pack file the operator names sets it as they meant: a load, or an
    import by the operator (`briefbot admin import PATH`, whose paths lead from PATH's folder as a load's do). The
    source's revisions are read back, newest first, to the one that set its path: a revision that left the path as
    it was (an edit of another field, a load's undo that kept it, and a load or import that kept it, such as one of
    an export holding a chat's path) is passed over; an undo or redo that changed it put back the path the revision
    it undoes found, so the search goes on from before that one; a load or the operator's import that changed it
    set it from a pack file; any other change of the path (an edit, an import from a chat) set it, and is not one.
    """
    looked, older_than = 0, None
    while looked < PATH_HISTORY:
        room = PATH_HISTORY - looked
        # One more than is searched: a whole briefing's revision is judged by the change before it (`_moved`).
        found = await store.revisions(briefing_id, "source", source.id, limit=room + 1, before=older_than, data=False)
        if not found:
            break
        for revision, older in zip(found[:room], [*found[1:], None], strict=False):
            looked, older_than = looked + 1, revision.id
            moved = await _moved(store, briefing_id, source, revision, older)
            if moved is None:  # not known to have left the path as it was: what set it cannot be told
                return "admin.unchecked_path_unknown"
            if not moved:
                continue
            if revision.undoes is not None:
                older_than = revision.undoes
                break
            if revision.platform == LOAD_PLATFORM or (revision.action == "import" and revision.platform in OPERATOR_PLATFORMS):
                return ""
            return "admin.unchecked_named_in_edit" if revision.platform in OPERATOR_PLATFORMS else "admin.unchecked_named_in_chat"
    return "admin.unchecked_path_unknown"


async def _moved(store: BriefingStore, briefing_id: str, source: Source, revision: Revision, older: Revision | None) -> bool | None:
    """Whether the revision changed the source's `text:` path; None when a revision it takes cannot be read back.

    A whole briefing's revision (a load logs its whole pack, slow to read back for a large briefing) is read only
    when the change before it is one too: it found the path that change left, none where it brought the source, and
    it left the path the source holds now, as every newer change the search passed over did.
    """
    if revision.kind != "source" and (older is None or older.kind == "source"):
        found = None if older is None else await store.revision(briefing_id, older.id)
        if older is not None and found is None:
            return None
        return (None if found is None else _path(found, found.after, source.id)) != source.text
    logged = await store.revision(briefing_id, revision.id)
    if logged is None:
        return None
    return _path(logged, logged.before, source.id) != _path(logged, logged.after, source.id)


async def kept_unread(store: BriefingStore, current: Briefing, incoming: Briefing) -> list[Source]:
    """The sources a load of `incoming` changes but whose `text:` path it keeps as a chat or an admin edit named it: the
    operator's refusal names them, since their files stay unread after the load (it keeps the path; it does not set it)."""
    stored = {source.id: source for source in current.sources}
    return [
        source for source in incoming.sources
        if source.text is not None and (old := stored.get(source.id)) is not None and old != source and old.text == source.text
        and await path_unread(store, incoming.id, source) in ("admin.unchecked_named_in_chat", "admin.unchecked_named_in_edit")
    ]


async def readable_only(store: BriefingStore, briefing: Briefing) -> tuple[Briefing, list[Source]]:
    """The briefing with only the `text:` paths the store reads (a pack file set them), and the sources whose path it
    left out: what an export writes, since a load of the export, into a fresh store say, would set a chat's path and read it."""
    left_out = [source for source in briefing.sources if source.text is not None and await path_unread(store, briefing.id, source)]
    if not left_out:
        return briefing, []
    sources = tuple(msgspec.structs.replace(source, text=None) if source in left_out else source for source in briefing.sources)
    return msgspec.structs.replace(briefing, sources=sources), left_out


def _path(revision: Revision, side: Mapping[str, Any] | None, source_id: str) -> object:
    """The `text:` path the source held on one side of a revision of it or of the whole briefing (None when absent)."""
    item = (side or {}).get("item") or {}
    if revision.kind == "source":
        return item.get("text")
    return next((source.get("text") for source in item.get(SOURCES, []) if source.get("id") == source_id), None)
