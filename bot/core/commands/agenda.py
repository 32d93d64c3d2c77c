"""`agenda`: the visit's other engagements, with time and place where announced."""

from __future__ import annotations

from functools import lru_cache

from bot.core.catalogue import Catalogue
from bot.core.context import Context
from bot.core.dates import FuzzyDate
from bot.core.formatting import fuzzy_label, local_time_label
from bot.core.index import BriefingIndex
from bot.core.model import AgendaItem, Session, Zone
from bot.core.registry import Args
from bot.core.replies import ITEMS_KEPT, Item, Reply
from bot.core.status import zone_named


def when_where(item: AgendaItem, ctx: Context, index: BriefingIndex) -> str:
    """"3 February 2026 · 11:00 Washington time · The White House", "not announced" for every unknown."""
    return _when_where(item.date, item.time, item.place, _zone_label(item, ctx, index), ctx.cat)


def session_when_where(session: Session, zone: Zone, cat: Catalogue) -> str:
    """A session as the digest's next 24 hours list it beside the engagements: its start on the channel's clock, `zone`
    ("Fri 10 April 2026, 09:00 EDT (New York) · Hall"), else its day alone ("10 April 2026 · time not announced · Hall")."""
    if session.starts_at is None:
        return _when_where(session.date, None, session.venue, "", cat)  # no time, so no clock to name
    return f"{local_time_label(session.starts_at, zone, cat)} · {session.venue or cat('agenda.place_unknown')}"


def _zone_label(item: AgendaItem, ctx: Context, index: BriefingIndex) -> str:
    """The place the item's clock is known by: the briefing's label for its zone, else its city as CLDR names it ("Bogotá"),
    never the bare IANA id, as every other clock an answer shows."""
    return zone_named(index.briefing, item.zone, ctx.cat).label


def _when_where(day: FuzzyDate | None, time: str | None, place: str | None, zone: str, cat: Catalogue) -> str:
    day_text = fuzzy_label(day, cat) if day else cat("agenda.date_unknown")
    clock = cat("agenda.time", time=time, place=zone) if time else cat("agenda.time_unknown")
    return cat("agenda.meta", date=day_text, time=clock, place=place or cat("agenda.place_unknown"))


# Every page of every version lists the same engagements again, on every platform: each entry is written once per
# language and handed out as the same object, which the renderers' own memories then find by identity. It is found by
# what it shows, not by the item: a new snapshot's items are equal to the last one's but not the same objects, and
# telling them equal compared their evidence and translations too, at every asking.
@lru_cache(maxsize=ITEMS_KEPT)
def _entry(
    item_id: str, title: str, detail: str, day: FuzzyDate | None, time: str | None, place: str | None, zone: str, sources: tuple[str, ...], cat: Catalogue,
) -> Item:
    """The engagement's list entry; `zone`: the label of its time zone."""
    return Item(title=title, text=detail, meta=_when_where(day, time, place, zone, cat), sources=sources, ref=f"agenda/{item_id}")


async def agenda(ctx: Context, args: Args) -> Reply:
    """Every engagement around the meeting, in date order; unknown dates last."""
    index = await ctx.localized()
    return ctx.section(
        index, "agenda", index.agenda, args.page,
        lambda item: _entry(item.id, item.title, item.detail, item.date, item.time, item.place, _zone_label(item, ctx, index), item.sources, ctx.cat),
    )
