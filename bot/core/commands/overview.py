"""`brief` (the one-screen overview) and `meeting` (every detail of one session, and the others in brief)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

import msgspec

from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.commands.timeline import noted
from bot.core.context import Context
from bot.core.dates import FuzzyDate
from bot.core.formatting import fuzzy_label
from bot.core.index import BriefingIndex
from bot.core.model import Briefing, Session
from bot.core.registry import Args
from bot.core.replies import ITEMS_KEPT, Field, Reply
from bot.core.sessions import Moments, in_order, named, on_their_day
from bot.core.status import start_line, status_today, when_field

# The commands a brief's footer points to, in the order a newcomer reads on: each kind's list (a session's is `meeting`,
# a person's `delegation`) and `search`. Kept by hand: no rule of the registry picks them (a command says what a one-shot
# answer reads, not which kind it lists; `person` and `why` need a name, `briefings` lists briefings), so a new kind's
# command is added here.
MORE = ("meeting", "timeline", "delegation", "agenda", "quotes", "context", "faq", "search", "sources")


def parties_label(index: BriefingIndex, session: Session, cat: Catalogue) -> str:
    """"Gustavo Petro & Donald Trump", "Gustavo Petro y Donald Trump": the last two joined by the reader's word; "" when
    the sources name none, which each caller says in its own way."""
    names = [index.person_name(pid) for pid in session.parties]
    if len(names) < 2:
        return "".join(names)
    return cat("list.and", first=", ".join(names[:-1]), last=names[-1])


def unknown(value: str, cat: Catalogue) -> str:
    """A session's text as shown in a field: "Not announced" where the sources give none, never an empty field."""
    return value or cat("value.not_announced")


def cached_when(index: BriefingIndex, ctx: Context, session: Session) -> Field:
    """The start in each zone, fixed for a version: once per locale and session, as a digest asks it with no frame above it."""
    return index.memo(("when", ctx.cat.locale, session.id), lambda: when_field(index.briefing, session, ctx.cat))


def who_label(index: BriefingIndex, ctx: Context, session: Session, named: int) -> str:
    """The principals, then the size the source gives in its own words: a visiting delegation's with how many of it the
    sources name, where they name members of one; else the words alone (a summit's "about 40 delegations"), since "a
    delegation of" and "0 of them named" would invent a visiting delegation; the principals alone when neither is given."""
    size = session.delegation
    parties = parties_label(index, session, ctx.cat)
    if not size and not named:
        return unknown(parties, ctx.cat)
    parties = parties or ctx.cat("brief.who_unnamed")
    if not named:
        return ctx.cat("brief.who_size", parties=parties, size=size)
    return ctx.cat("brief.who_sized" if size else "brief.who", parties=parties, n=named, size=size)


def aims_and_topics(session: Session, cat: Catalogue) -> tuple[Field, Field]:
    """A session's stated aims, then its topics: never the topics alone, since an aim may be what hedges them ("such as
    the topics below, according to official sources"), and the bare list would state as fact what the sources report."""
    return (
        Field(cat("field.aims"), "\n".join(f"• {aim}" for aim in session.aims) or cat("value.not_announced")),
        Field(cat("field.topics"), ", ".join(session.topics) or cat("value.not_announced")),
    )


class Span(msgspec.Struct, frozen=True):
    """A brief or meeting and the instants it holds for: from `since` through `through`, both included."""

    since: datetime
    through: datetime
    reply: Reply


def for_now(index: BriefingIndex, key: tuple[object, ...], clock: datetime, build: Callable[[datetime], tuple[Reply, datetime]]) -> Reply:
    """The reply `build` makes at the request's `clock` (given to it in UTC), kept through the last instant `build` says
    it reads the same.

    Asked again at any instant of its span, the answer is the one kept, with no status, countdown or latest
    event worked out again; a request at an instant outside it (later, or earlier: every request brings its
    own clock) builds the answer again.
    """
    # In UTC, as the sessions' instants are: an aware datetime in another zone is asked its offset at every step.
    # A clock in UTC already (as every adapter's is) is taken as it is: `astimezone` parses its arguments first.
    now = clock if clock.tzinfo is UTC else clock.astimezone(UTC)
    spans: dict[tuple[object, ...], Span] = index.memo("clock spans", dict)
    span = spans.get(key)
    if span is not None and span.since <= now <= span.through:
        return span.reply
    reply, through = build(now)
    spans[key] = Span(now, through, reply)
    return reply


async def brief(ctx: Context, args: Args) -> Reply:
    """The one-screen overview: what, when, who, stated aims and topics, latest development, sources."""
    index = await ctx.localized()
    return for_now(index, ("brief", ctx.request.command_naming), ctx.request.now, lambda now: _brief_at(index, ctx, now))


def with_status(frame: Reply, status: Field, *after: Field, beside: tuple[Field, ...] = ()) -> Reply:
    """A brief or meeting with its status (the one field that moves with the clock) second, under its start, `beside`
    under it; `after` last."""
    return msgspec.structs.replace(frame, fields=(frame.fields[0], status, *beside, *frame.fields[1:], *after))


def _brief_at(index: BriefingIndex, ctx: Context, now: datetime) -> tuple[Reply, datetime]:
    """The brief at `now` (UTC) and the last instant it reads the same.

    Its clock parts change only as the clock reaches a session's first or last moment (which session is current and
    whether it began: `edge`), the venue's midnight (the latest event goes by the venue's date) or a new minute of
    the countdown (`status_today`).
    """
    moments = index.moments
    _, edge, session, eve = moments.phase(now)  # the countdown follows the session in progress or next
    _, day, midnight = moments.today(now)
    # The earlier of two: `min` parses keyword arguments at every call, a comparison does not (as for `through` below).
    latest = index.latest_started(day if day < eve else eve)
    # Everything but the status and the latest event stands for the version while the session does: written once,
    # and the latest event's field once per event and language (it moves on with the venue's days, the rest does not).
    frame = index.memo(("brief frame", ctx.cat.locale, session.id, ctx.request.command_naming), lambda: _brief(index, ctx, session))
    status, through = status_today(session, now, ctx.cat)
    through = edge if edge < through else through
    through = midnight if midnight < through else through
    today = others_today(moments, session, now)
    beside = also_today(today, ctx.cat)
    if latest is None and not today:
        return with_status(frame, status, beside=beside), through
    # The latest event and the other sessions of the day rest on their own sources: cited beside the frame's.
    shown = (*today, *((latest,) if latest else ()))
    sources = ctx.source_refs(index, [*_cited(index.briefing, session), *(source for item in shown for source in item.sources)])
    after = (latest_field(latest.date, latest.title, latest.note, ctx.cat.locale),) if latest else ()
    return msgspec.structs.replace(with_status(frame, status, *after, beside=beside), sources=sources), through


def others_today(moments: Moments, shown: Session, now: datetime) -> list[Session]:
    """Each other session known only by its day whose day it is in its zone: the session in progress or next, counted
    down, would otherwise hide it all day. A session's day begins and ends at its moments, so a brief's or meeting's
    `edge` holds for these too."""
    return [other for other in on_their_day(moments.ordered, now) if other.id != shown.id]


def also_today(today: list[Session], cat: Catalogue) -> tuple[Field, ...]:
    """An "Also today" field naming `others_today`, for under the status."""
    return (Field(cat("field.also_today"), "\n".join(cat("brief.also_today", session=other.title) for other in today)),) if today else ()


# A new venue day (every core's first, and any version's) finds its event's field written already.
@lru_cache(maxsize=ITEMS_KEPT)
def latest_field(date: FuzzyDate | None, title: str, note: str, language: str) -> Field:
    """A brief's "Latest" field, from all the event's parts that it shows: its note with its date, as `timeline` shows it."""
    cat = catalogue_for(language)
    return Field(cat("field.latest"), noted(cat("brief.latest", date=fuzzy_label(date, cat), title=title), note, cat))


def _cited(briefing: Briefing, session: Session) -> tuple[str, ...]:
    """The sources a brief's frame rests on: its summary's passages' and its session's, not every source of the briefing."""
    return (*(piece.source for piece in briefing.summary_evidence), *session.sources)


def _brief(index: BriefingIndex, ctx: Context, session: Session) -> Reply:
    briefing, cat = index.briefing, ctx.cat
    delegation = [p for p in briefing.people if p.delegation]
    fields = (
        cached_when(index, ctx, session),
        Field(cat("field.where"), unknown(session.venue, cat), inline=True),
        Field(cat("field.who"), who_label(index, ctx, session, len(delegation)), inline=True),
        *aims_and_topics(session, cat),
    )
    return Reply(
        title=briefing.title,
        text=briefing.summary,
        fields=fields,
        footer=cat("brief.footer", commands=" · ".join(ctx.slash(command) for command in MORE)),
        sources=ctx.source_refs(index, _cited(briefing, session)),
    )


async def meeting(ctx: Context, args: Args) -> Reply:
    """One session in full (the one named, else the one in progress, else the next, else the last), the others in brief."""
    index = await ctx.localized()
    wanted = args.get("session")
    return for_now(index, ("meeting", wanted), ctx.request.now, lambda now: _meeting_at(index, ctx, wanted, now))


def _meeting_at(index: BriefingIndex, ctx: Context, wanted: str, now: datetime) -> tuple[Reply, datetime]:
    """The meeting at `now` (UTC) and the last instant it reads the same: as a brief's, but for the venue's midnight
    (it shows no latest event)."""
    _, edge, current, _ = index.moments.phase(now)
    session = named(index.briefing, wanted) if wanted else current
    frame = index.memo(("meeting frame", ctx.cat.locale, session.id), lambda: _meeting(index, ctx, session))
    status, through = status_today(session, now, ctx.cat)
    return with_status(frame, status, beside=also_today(others_today(index.moments, session, now), ctx.cat)), edge if edge < through else through


def _meeting(index: BriefingIndex, ctx: Context, session: Session) -> Reply:
    briefing, cat = index.briefing, ctx.cat
    stakes = "\n".join(f"• {index.person_name(s.party)}: {s.text}" for s in session.stakes)
    fields = [
        cached_when(index, ctx, session),
        Field(cat("field.where"), unknown(session.venue, cat), inline=True),
        Field(cat("field.format"), unknown(session.format, cat), inline=True),
        Field(cat("field.parties"), unknown(parties_label(index, session, cat), cat), inline=True),
        *aims_and_topics(session, cat),
        Field(cat("field.stakes"), stakes or cat("value.not_announced")),
        Field(cat("field.outcome"), session.outcome or cat("value.no_outcome")),
    ]
    # A one-session briefing's meeting is headed by the session's own title; an old pack's one `meeting:` takes the
    # briefing's, which the brief is headed by already: its parties say more, where the sources name them.
    subject = session.title if session.title != briefing.title else parties_label(index, session, cat) or session.title
    title = cat("meeting.title", subject=subject)
    ordered = in_order(briefing.sessions)
    if len(ordered) > 1:
        title = cat("meeting.session_title", title=session.title, n=ordered.index(session) + 1, total=len(ordered))
        others = [
            cat("meeting.other", title=other.title, when=start_line(briefing, other, cat), status=cat(f"status.{other.status}"), id=other.id)
            for other in ordered if other is not session
        ]
        fields.append(Field(cat("field.other_sessions"), "\n".join(others)))
    return Reply(
        title=title,
        fields=tuple(fields),
        sources=ctx.source_refs(index, session.sources),
    )
