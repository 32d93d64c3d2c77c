"""What refers to an item (a person named by quotes, a source cited by events), so a removal can say why not."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.admin.edits import item_data, no_item
from bot.core.admin.kinds import KINDS, Kind
from bot.core.catalogue import Catalogue
from bot.core.context import Context
from bot.core.kinds import PACK_KINDS, naming
from bot.core.model import Briefing
from bot.core.pack import pack_mapping
from bot.core.registry import Args, local_choice
from bot.core.replies import Item, Reply
from bot.errors import UserError

# The fields that name an item of each kind that can be named.
# (Stakes name people too, but only an import changes them, so they never stand in a removal's way.)
REFERRING = {named: naming(named) for named in ("person", "source")}
SECTIONS = tuple(kind.section for kind in PACK_KINDS if kind.name != "source")
# Each naming item is shown as `kind/id`, what `why`, `remove kind:… id:…` and the passage menu take ("quote/…", not "quotes/…").
_KIND_OF = {kind.section: kind.name for kind in PACK_KINDS}
SHOWN_IDS = 5


def uses_of(briefing: Briefing, kind: Kind, item_id: str) -> list[tuple[str, str, str]]:
    """Every (section, item id, field) of the briefing that names the item, in pack order: for a source, the summary's
    evidence first ("briefing", "summary", "evidence"), which only an import changes, then each item's sources and evidence."""
    fields = REFERRING.get(kind.name)
    if not fields:
        return []
    data = pack_mapping(briefing)
    found = []
    if kind.name == "source" and _cites(data["briefing"].get("evidence", []), item_id):
        found.append(("briefing", "summary", "evidence"))
    for section in SECTIONS:
        items: list[Mapping[str, Any]] = data[section]
        for item in items:
            for field in sorted(fields & item.keys()):
                value = item[field]
                if item_id == value or (isinstance(value, list) and item_id in value):
                    found.append((section, str(item["id"]), field))
            # Every item's passages come from its own sources (`kinds._evidence_cited`), but one stored before that rule
            # may quote another: `remove` refuses to leave its passage without a source, so it is listed here too.
            if kind.name == "source" and item_id not in item.get("sources", ()) and _cites(item.get("evidence", []), item_id):
                found.append((section, str(item["id"]), "evidence"))
    return found


def _cites(evidence: list[Mapping[str, Any]], source_id: str) -> bool:
    """Whether a passage of `evidence` is quoted from the source."""
    return any(piece.get("source") == source_id for piece in evidence)


def uses_line(ctx: Context, kind: Kind, item_id: str, pinned: Mapping[str, str]) -> str:
    """The `uses` line listing what names the item, as the reader types it here ("usos tipo:persona id:…"), with the
    briefing (`Context.pinned`) when this place reads another."""
    return ctx.line("uses", options={"kind": local_choice(kind.name, ctx.request.command_words or ctx.cat.locale), "id": item_id, **pinned}, slash=True)


def in_use(briefing: Briefing, kind: Kind, item_id: str, cat: Catalogue, see: str) -> UserError | None:
    """The refusal of a removal while anything names the item: a count per section, a few ids, the command for all (`see`)."""
    found = uses_of(briefing, kind, item_id)
    if not found:
        return None
    counts = {section: sum(1 for s, *_ in found if s == section) for section in dict.fromkeys(s for s, *_ in found)}
    summary = ", ".join(cat(f"admin.uses_{section}", n=n) for section, n in counts.items())
    ids = list(dict.fromkeys(_shown(section, item) for section, item, _ in found))
    shown = ", ".join(ids[:SHOWN_IDS]) + ("…" if len(ids) > SHOWN_IDS else "")
    return UserError("admin.in_use", item=f"{kind.name}/{item_id}", uses=summary, ids=shown, command=see, n=len(ids))


async def uses_command(ctx: Context, args: Args) -> Reply:
    """Every item that names a person or a source: what stands in the way of removing it."""
    kind = KINDS[args.get("kind")]
    if kind.name not in REFERRING:
        raise UserError("admin.uses_kinds", choices=tuple(REFERRING))  # in the reader's words ("persona, fuente"), as typed after tipo:
    index = await ctx.index()
    if item_data(index.briefing, kind, args.get("id")) is None:  # "nothing names it" would read as "it can be removed"
        raise no_item(index.briefing, kind, args.get("id"))
    found = uses_of(index.briefing, kind, args.get("id"))
    if not found:  # an answer, not a refusal: the item is free to remove
        return Reply(title=ctx.cat("admin.uses_none", item=f"{kind.name}/{args.get('id')}"))
    window = ctx.window(len(found), args.page)
    return Reply(
        title=ctx.cat("admin.uses_title", item=f"{kind.name}/{args.get('id')}", n=len(found)),
        items=tuple(Item(title=_shown(section, item), text=field) for section, item, field in found[window.start : window.stop]),
        page=ctx.page(window, "uses", {"kind": kind.name, "id": args.get("id")}),
    )


def _shown(section: str, item_id: str) -> str:
    """`quote/…` for an item, as `why` and `remove` take it; `summary` for the briefing's own evidence."""
    return "summary" if section == "briefing" else f"{_KIND_OF[section]}/{item_id}"
