"""Importing a whole pack: a dry run that lists what would change, then the change as one revision."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec.structs import replace

from bot.core.admin import cited
from bot.core.admin.head import LANGUAGE, language_note
from bot.core.admin.policy import TRUSTED_PLATFORMS
from bot.core.catalogue import Catalogue
from bot.core.context import Context
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.core.kinds import PACK_KINDS
from bot.core.localize import language_name_in
from bot.core.model import Briefing
from bot.core.offload import to_thread
from bot.core.pack import pack_mapping, section_changes
from bot.core.replies import Field, Reply
from bot.core.repository import Change
from bot.errors import UserError

LIST_SECTIONS = tuple(kind.section for kind in PACK_KINDS)
SHOWN_IDS = 12


def pack_diff(before: Briefing, after: Briefing, cat: Catalogue) -> tuple[Field, ...]:
    """One field per part that differs, for an import's dry run and its answer."""
    return tuple(Field(name, text) for name, text in pack_changes(pack_mapping(before), pack_mapping(after), cat))


def pack_changes(old: Mapping[str, Any], new: Mapping[str, Any], cat: Catalogue) -> list[tuple[str, str]]:
    """(part, what changed) for each part of two packs' data that differs: the language its text is written in, changed
    keys of the briefing and of each session, ids added, removed and changed in each list; the dry run and history say it alike."""
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
        keys = sorted(k for k in {**was_part, **now_part} if was_part.get(k) != now_part.get(k))
        if keys:
            changes.append((name, cat("import.changed_keys", keys=", ".join(keys))))
    for section in LIST_SECTIONS:
        added, removed, changed = section_changes(old, new, section)
        lines = [
            cat(key, ids=_ids(ids))
            for key, ids in (("import.added", added), ("import.removed", removed), ("import.changed", [] if section == "sessions" else changed))
            if ids
        ]
        if lines:
            changes.append((section, "\n".join(lines)))
    return changes


async def import_pack(ctx: Context, incoming: Briefing, apply: bool, checked_version: int | None = None, file: str = "") -> Reply:
    """Compare the pack with the stored briefing; with `apply`, replace it as one revision.

    `checked_version` is the version a dry run was shown against: if the briefing changed since, the
    diff the admin approved is no longer the one that would be applied, so nothing is. An apply
    without it gets the dry run instead: every path applies only a diff somebody saw.
    """
    index = await ctx.index()
    current = index.briefing
    if incoming.id != current.id:
        stored = any(summary.id == incoming.id for summary in await ctx.repository.briefings())
        raise UserError("import.other_stored" if stored else "import.other_briefing", incoming=incoming.id, current=current.id)
    if apply and checked_version is not None and checked_version != current.version:
        raise UserError("import.changed_since", checked=checked_version, current=current.version)
    # Each step over the whole pack runs off the loop's thread (a large pack's take seconds), the store's reads between them on it.
    before, after, diff, pieces = await to_thread(_compared, current, incoming, ctx.cat)
    if not diff:
        return Reply(title=ctx.cat("import.same"))
    # The passages the pack brings are checked as an admin's edit checks its own, the dry run's included: readers
    # see them as their sources' words. Texts are read before the write, which refuses if the briefing moved meanwhile.
    texts = await cited.pack_texts(ctx.repository, current, incoming, pieces, operator=ctx.request.platform in TRUSTED_PLATFORMS)
    notice = await to_thread(_checked, incoming, pieces, texts, ctx.cat)
    if not apply or checked_version is None:
        dry = Reply(
            title=ctx.cat("import.dry_run", n=len(diff)), fields=diff, text=notice,
            footer=ctx.cat(ctx.request.import_hint, version=current.version, file=file), version=current.version,
        )
        return replace(dry, text="\n\n".join(filter(None, (ctx.cat("import.version_needed"), notice))), kind="error") if apply else dry

    def change(now: Briefing) -> Change:
        if now.version != current.version:  # changed since the diff was shown: show it again
            raise UserError("import.moved")
        return Change(
            briefing=incoming, kind="briefing", item_id=current.id, action="import", before=before,
            after=after, item=incoming, actor=ctx.request.user_id, platform=ctx.request.platform,
            at=ctx.request.now,
        )

    number, _ = await ctx.repository.apply(current.id, change)
    said = language_note(incoming, {LANGUAGE: current.language}, {LANGUAGE: incoming.language}, ctx.cat)
    return Reply(
        title=ctx.cat("import.applied", number=number), text="\n\n".join(filter(None, (notice, said))), fields=diff,
        footer=await next_steps(ctx, "import", number),
    )


async def next_steps(ctx: Context, action: str, number: int) -> str:
    """What undo and redo do next, as typed here and naming the briefing changed when this place reads another: after an
    undo, undo walks back the change before the one undone, not this revision."""
    key = {"undo": "admin.undone_hint", "redo": "admin.redone_hint"}.get(action, "admin.undo_hint")
    pinned = await ctx.pinned()
    return ctx.cat(key, number=number, undo=ctx.line("undo", options=pinned), redo=ctx.line("redo", options=pinned))


def _compared(current: Briefing, incoming: Briefing, cat: Catalogue) -> tuple[dict[str, Any], dict[str, Any], tuple[Field, ...], cited.Pieces]:
    """Both briefings as pack data, one field per part that differs, and the passages the incoming one brings (none
    when nothing differs)."""
    before, after = pack_mapping(current), pack_mapping(incoming)
    diff = tuple(Field(name, text) for name, text in pack_changes(before, after, cat))
    return before, after, diff, cited.pack_passages(before, after) if diff else []


def _checked(incoming: Briefing, pieces: cited.Pieces, texts: cited.Texts, cat: Catalogue) -> str:
    """Refuse the pack's new passages not in their sources' texts (each named by its path); else what the answer must
    say of those that could not be checked."""
    cited.check(incoming, pieces, texts, cat, at=True)
    return cited.unchecked(incoming, pieces, texts, cat)


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f" (+{len(ids) - SHOWN_IDS})" if len(ids) > SHOWN_IDS else "")

