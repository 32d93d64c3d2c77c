"""Importing a whole pack: a dry run that lists what would change, then the change as one revision."""

from __future__ import annotations

import shlex
from bisect import bisect_left
from collections.abc import Mapping
from typing import Any

import msgspec
from msgspec.structs import replace

from bot.core.admin import cited
from bot.core.admin.authors import author_words
from bot.core.admin.head import LANGUAGE, language_note
from bot.core.admin.shown import TRANSLATIONS, revision_titles, translated_fields
from bot.core.catalogue import Catalogue
from bot.core.context import Context
from bot.core.formatting import utc_time_label
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.core.kinds import HEAD, HEAD_LOG, PACK_KINDS
from bot.core.localize import language_name_in
from bot.core.model import Briefing
from bot.core.offload import to_thread
from bot.core.pack import changed_items, pack_mapping, section_changes
from bot.core.registry import readers_text
from bot.core.replies import Approval, Field, Reply, joined
from bot.core.repository import BriefingWriter, Change, TakenBack
from bot.errors import UserError

LIST_SECTIONS = tuple(kind.section for kind in PACK_KINDS)
SHOWN_IDS = 12
# Hex digits of the digest an apply gives back: enough that an edited file is never taken for the one checked.
DIGEST_LENGTH = 8


class Compared(msgspec.Struct, frozen=True):
    """The stored briefing and the pack as pack data, what differs (one field per part, and the items), a digest of the
    pack as it would be stored, and the passages it brings."""

    before: dict[str, Any]
    after: dict[str, Any]
    diff: tuple[Field, ...]
    items: list[tuple[str, str]]
    digest: str
    pieces: cited.Pieces


def pack_diff(before: Briefing, after: Briefing, cat: Catalogue) -> tuple[Field, ...]:
    """One field per part that differs, for an import's dry run and its answer."""
    return tuple(Field(name, text) for name, text in pack_changes(pack_mapping(before), pack_mapping(after), cat))


def pack_changes(old: Mapping[str, Any], new: Mapping[str, Any], cat: Catalogue) -> list[tuple[str, str]]:
    """(part, what changed) for each part of two packs' data that differs: the language its text is written in, changed
    keys of the briefing and of each session, ids added, removed, changed (with their keys) and moved in each list; the
    dry run and history say it alike, and an import applies nothing it does not say."""
    changes = []
    # The language the pack's text is written in decides which readers see it marked untranslated: said first.
    was, now = (pack.get("language", DEFAULT_LANGUAGE) for pack in (old, new))
    if was != now:
        changes.append(("language", cat("import.language", before=language_name_in(was, cat), after=language_name_in(now, cat))))
    # A session's status or time is what readers act on, so a changed session is named by its id with its keys.
    kept = {s["id"]: s for s in old.get("sessions", [])}
    sessions = new.get("sessions", [])
    parts = [("briefing", old.get("briefing", {}), new.get("briefing", {})), *((s["id"], kept[s["id"]], s) for s in sessions if s["id"] in kept)]
    for name, was_part, now_part in parts:
        keys = _changed_keys(was_part, now_part, cat)
        if keys:
            changes.append((name, cat("import.changed_keys", keys=", ".join(keys))))
    for section in LIST_SECTIONS:
        added, removed, changed = section_changes(old, new, section)
        olds = {item["id"]: item for item in old.get(section) or []}
        news = {item["id"]: item for item in new.get(section) or []}
        described = [f"{i} ({', '.join(_changed_keys(olds[i], news[i], cat))})" for i in changed]
        lines = [
            cat(key, ids=_ids(ids))
            for key, ids in (
                ("import.added", added), ("import.removed", removed), ("import.changed", [] if section == "sessions" else described),
                ("import.reordered", _moved(list(olds), list(news))),
            )
            if ids
        ]
        if lines:
            changes.append((section, "\n".join(lines)))
    return changes


async def import_pack(ctx: Context, incoming: Briefing, apply: bool, approval: Approval | None = None, file: str = "") -> Reply:
    """Compare the pack with the stored briefing; with `apply`, replace it as one revision.

    `approval` is what the dry run showed: the version it was shown against and the digest of the pack it compared.
    If the briefing or the pack changed since, the diff the admin approved is no longer the one that would be applied,
    so nothing is; nor is an import that takes back edits made since the last load, unless the approval says the admin
    accepts that, as the dry run named them. An apply without an approval gets the dry run instead: every path applies
    only a diff somebody saw.
    """
    index = await ctx.index()
    current = index.briefing
    if incoming.id != current.id:
        stored = any(summary.id == incoming.id for summary in await ctx.repository.briefings())
        # Its `briefbot load FILE` is pasted into a shell: quoted as load's own hint quotes it, a name with spaces is one word.
        raise UserError("import.other_stored" if stored else "import.other_briefing", incoming=incoming.id, current=current.id, file=shlex.quote(file))
    if apply and approval is not None and approval.version != current.version:
        raise UserError("import.changed_since", checked=approval.version, current=current.version)
    # Each step over the whole pack runs off the loop's thread (a large pack's take seconds), the store's reads between them on it.
    compared = await to_thread(_compared, current, incoming, ctx.cat)
    if not compared.diff:
        return Reply(title=ctx.cat("import.same"))
    # The passages the pack brings are checked as an admin's edit checks its own, the dry run's included: readers
    # see them as their sources' words. Texts are read before the write, which refuses if the briefing moved meanwhile.
    texts = await cited.pack_texts(ctx.repository, current, incoming, compared.pieces, operator=ctx.request.operator)
    notice = await to_thread(_checked, incoming, compared.pieces, texts, ctx.cat)
    # What it would take back is read at the version the diff was worked out from: the write refuses if it moved.
    taken = await ctx.repository.taken_back(current.id, compared.items)
    shown = Approval(current.version, compared.digest, discard_edits=taken is not None)
    refused = "" if not apply else (
        "import.version_needed" if approval is None
        else "import.changes_differ" if approval.changes != compared.digest
        else "import.discard_needed" if taken is not None and not approval.discard_edits
        else ""
    )
    if not apply or refused:
        named = [] if taken is None else [
            ctx.cat("import.taken_back", briefing=current.id, n=taken.total, file=file),
            *await taken_back_lines(ctx.repository, taken, ctx.cat), overwritten_line(taken, ctx.cat),
        ]
        hint = ctx.request.import_hint + ("_discard" if taken is not None else "")
        dry = Reply(
            title=ctx.cat("import.dry_run", n=len(compared.diff)), fields=compared.diff, text=joined("\n\n", filter(None, (joined("\n", named), notice))),
            footer=readers_text(ctx.cat, hint, ctx.request.command_naming, version=current.version, changes=compared.digest, file=shlex.quote(file),
                                options=ctx.request.given_options),
            approval=shown,
        )
        return replace(dry, text=joined("\n\n", filter(None, (ctx.cat(refused), dry.text))), kind="error") if refused else dry

    def change(now: Briefing) -> Change:
        if now.version != current.version:  # changed since the diff was shown: show it again
            raise UserError("import.moved")
        return Change(
            briefing=incoming, kind="briefing", item_id=current.id, action="import", before=compared.before,
            after=compared.after, item=incoming, actor=ctx.request.user_id, platform=ctx.request.platform,
            at=ctx.request.now, delivery=ctx.request.delivery,
        )

    number, _ = await ctx.repository.apply(current.id, change)
    said = language_note(incoming, {LANGUAGE: current.language}, {LANGUAGE: incoming.language}, ctx.cat)
    return Reply(
        title=ctx.cat("import.applied", number=number), text="\n\n".join(filter(None, (notice, said))), fields=compared.diff,
        footer=await next_steps(ctx, "import", number),
    )


async def taken_back_lines(repository: BriefingWriter, taken: TakenBack, cat: Catalogue) -> list[str]:
    """The revisions a pack would take back, newest first, each as history names it with when, where and who; the
    older ones counted: what a load's refusal and an import's dry run list alike."""
    lines = []
    for revision, title in zip(taken.edits, await revision_titles(repository, taken.edits, cat), strict=True):
        meta = cat.marked("admin.history_meta", at=utc_time_label(revision.at, cat), **author_words(cat, revision.actor, revision.platform))
        lines.append(joined(" · ", (f"  {title}", meta)))
    if taken.total > len(taken.edits):
        lines.append("  " + cat("load.older", n=taken.total - len(taken.edits)))
    return lines


def overwritten_line(taken: TakenBack, cat: Catalogue) -> str:
    """The items edited since the last load that the pack changes, as an admin names them (`kind/id`)."""
    return cat("load.overwritten", items=", ".join(f"{HEAD if kind == HEAD_LOG else kind}/{item_id}" for kind, item_id in taken.items))


async def next_steps(ctx: Context, action: str, number: int) -> str:
    """What undo and redo do next, as typed here and naming the briefing changed when this place reads another: after an
    undo, undo walks back the change before the one undone, not this revision."""
    key = {"undo": "admin.undone_hint", "redo": "admin.redone_hint"}.get(action, "admin.undo_hint")
    pinned = await ctx.pinned()
    return ctx.cat(key, number=number, undo=ctx.line("undo", options=pinned, slash=True), redo=ctx.line("redo", options=pinned, slash=True))


def _compared(current: Briefing, incoming: Briefing, cat: Catalogue) -> Compared:
    """Both briefings as pack data, what differs, the digest an apply must give back and the passages the incoming one
    brings (none when nothing differs)."""
    import hashlib  # here: its import loads OpenSSL, which a cold `ask`, never importing a pack, need not pay for

    before, after = pack_mapping(current), pack_mapping(incoming)
    diff = tuple(Field(name, text) for name, text in pack_changes(before, after, cat))
    # The version fixes what the pack is compared with; the digest, what it holds (its order too): the diff, in short.
    digest = hashlib.sha256(msgspec.json.encode(after, order="sorted")).hexdigest()[:DIGEST_LENGTH]
    pieces = cited.pack_passages(before, after) if diff else []
    return Compared(before, after, diff, changed_items(before, after) if diff else [], digest, pieces)


def _changed_keys(was: Mapping[str, Any], now: Mapping[str, Any], cat: Catalogue) -> list[str]:
    """The keys of one part or item that differ, then its translations that do, each named by its language and field
    as history names it ("the Spanish translation of title was removed")."""
    keys = sorted(k for k in {**was, **now} if k != "id" and was.get(k) != now.get(k))
    if TRANSLATIONS not in keys:
        return keys
    keys.remove(TRANSLATIONS)
    return keys + (translated_fields(was.get(TRANSLATIONS) or {}, now.get(TRANSLATIONS) or {}, cat) or [TRANSLATIONS])


def _moved(was: list[str], now: list[str]) -> list[str]:
    """The ids both lists hold whose place among the others changed, in the new order: all but the longest run of them
    still in their old order (a longest increasing subsequence), so one item moved to the top names that one item."""
    place = {item_id: n for n, item_id in enumerate(was)}
    kept = [item_id for item_id in now if item_id in place]
    tails: list[int] = []  # for each run length, the index in `kept` of the smallest last place of such a run
    lasts: list[int] = []  # those places, for the search
    previous = [-1] * len(kept)
    for n, item_id in enumerate(kept):
        length = bisect_left(lasts, place[item_id])
        previous[n] = tails[length - 1] if length else -1
        if length == len(tails):
            tails.append(n)
            lasts.append(place[item_id])
        else:
            tails[length], lasts[length] = n, place[item_id]
    stay, n = set(), tails[-1] if tails else -1
    while n >= 0:
        stay.add(n)
        n = previous[n]
    return [item_id for n, item_id in enumerate(kept) if n not in stay]


def _checked(incoming: Briefing, pieces: cited.Pieces, texts: cited.Texts, cat: Catalogue) -> str:
    """Refuse the pack's new passages not in their sources' texts (each named by its path); else what the answer must
    say of those that could not be checked."""
    cited.check(incoming, pieces, texts, cat, at=True)
    return cited.unchecked(incoming, pieces, texts, cat)


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f" (+{len(ids) - SHOWN_IDS})" if len(ids) > SHOWN_IDS else "")
