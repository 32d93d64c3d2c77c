"""An item as a revision logged it: what history shows, a stale edit's refusal compares, and a form read at its revision."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.i18n import DEFAULT_LANGUAGE
from bot.core.kinds import HEAD_LOG, Kind, decode_logged, item_data
from bot.core.pack import pack_mapping, parse_pack
from bot.core.repository import Revision
from bot.errors import PackError


def at_revision(revision: Revision | None, kind: Kind | None, item_id: str, venue_zone: str) -> Mapping[str, Any] | None:
    """The item (None: the head) as `revision` left it, when that revision is of it or a pack load; None when it tells nothing of it.

    `venue_zone`: the briefing's first zone, the clock of an item logged without its own (`read_today`)."""
    if revision is None:
        return None
    if revision.kind == "briefing":
        found = part(revision.after, kind, item_id)
    else:
        name = HEAD_LOG if kind is None else kind.name
        found = logged(revision.after) if (revision.kind, revision.item_id) == (name, item_id) else None
    return found if kind is None else read_today(kind, found, venue_zone)


def read_today(kind: Kind, item: Mapping[str, Any] | None, venue_zone: str) -> dict[str, Any] | None:
    """A logged item as the kind reads it today, so it compares with (and is put back as) what the store holds: a field
    a later migration gave every stored item (evidence, 008) takes the value the migration gave it, and a zone an add
    did not log is the venue's, `venue_zone`, as the store gave it (`kinds.decode_logged`)."""
    return None if item is None else item_data(kind, decode_logged(kind, item, venue_zone))


def pack_today(pack: Mapping[str, Any]) -> Mapping[str, Any]:
    """A logged whole pack as the store holds it since, so it compares with what a briefing holds: read as a load reads
    it, in today's form, its items without passages as migration 008 left them (`parse_pack`'s `held`). As logged when
    it no longer reads at all (a rule tightened since): then no briefing holds it."""
    try:
        return pack_mapping(parse_pack(pack, "log", held=True))
    except PackError:
        return pack


def logged(side: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The item (or pack) a revision logged on one side, None when absent."""
    return side["item"] if side else None


def part(side: Mapping[str, Any] | None, kind: Kind | None, item_id: str) -> Mapping[str, Any] | None:
    """One item's pack data (None: the head's) within an import's logged pack, None when the pack lacks it."""
    pack = logged(side)
    if pack is None:
        return None
    if kind is None:  # logged as a head edit logs it (`head_state`): the pack's language is the head's
        return {**pack["briefing"], "language": pack.get("language", DEFAULT_LANGUAGE)}
    return next((item for item in pack.get(kind.section, []) if item.get("id") == item_id), None)
