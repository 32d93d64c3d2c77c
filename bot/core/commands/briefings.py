"""`/use` (which briefing and language answer here, and an admin's choice of them) and `/briefings` (those there are)."""

from __future__ import annotations

from datetime import datetime

from msgspec.structs import replace

from bot.core.admin.authors import author_words
from bot.core.catalogue import catalogue_for
from bot.core.choosing import Choice, ChoiceStore, Resolved, find_briefing, resolve
from bot.core.context import Context, Window
from bot.core.digest.commands import still_sending
from bot.core.formatting import fuzzy_label, utc_time_label
from bot.core.i18n import CLDR_LOCALES, language_name, spoken_language
from bot.core.kinds import KINDS, LANGUAGE_LIMIT
from bot.core.listing import Listing
from bot.core.localize import item_in, title_in
from bot.core.model import Briefing, Session
from bot.core.registry import Args, local_option, readers_text
from bot.core.replies import Field, Item, Reply
from bot.core.repository import BriefingSummary
from bot.core.sessions import current, first_moment, in_order, last_moment, on_their_day
from bot.core.status import start_line
from bot.errors import UserError


def _choices(ctx: Context) -> ChoiceStore:
    if ctx.choices is None:
        raise UserError("use.unavailable")
    return ctx.choices


async def use(ctx: Context, args: Args) -> Reply:
    """Which briefing and language answer in this channel and why; an admin chooses them with briefing: and language:."""
    if not args.get("briefing") and not args.get("language"):
        return await _here(ctx)
    request = ctx.request
    if not ctx.administers:  # anyone may ask what applies; only an admin changes it
        # Named as the reader typed it (`usar informe:`): plain `use` is theirs too, so the options are what is refused.
        words = ctx.request.command_words or ctx.cat.locale
        raise ctx.denied("use", " ".join(f"{local_option(n, words)}:" for n in ("briefing", "language") if args.get(n)))
    if not request.team_id:
        raise UserError("use.no_space")
    scope = args.get("for") or "channel"
    language = _language(args.get("language"), scope)
    chosen = None
    held = await ctx.repository.briefings()
    if args.get("briefing"):
        chosen = find_briefing(held, args.get("briefing"), ctx.cat.locale)
        if chosen.archived:  # readable by name, but not to be the briefing a channel reads from now on
            raise UserError("use.archived", briefing=chosen.id)
    if scope == "channel" and not request.channel_id:
        raise UserError("use.no_channel")
    channel = (request.channel_id or "") if scope == "channel" else ""
    choice = Choice(request.platform, request.team_id, channel, chosen.id if chosen else None, request.user_id, request.now, language)
    await _choices(ctx).choose(choice)
    # A thread's own choice: said so, since the rest of its channel still reads the channel's.
    where = "thread" if scope == "channel" and request.parent_id else scope
    # All of it in the language just fixed, if one was: what this channel (or thread alone) reads from now on.
    cat = catalogue_for(language) if language else ctx.cat
    said = [cat(f"use.set_{where}", title=chosen.title_in(cat.locale), briefing=chosen.id)] if chosen else []
    if language:
        key = "use.set_language_thread" if where == "thread" else "use.set_language"
        said.append(cat(key, language=language_name(language)))
    still = await _digests_elsewhere(ctx, held, chosen.id) if chosen and scope == "channel" else ()
    text = readers_text(cat, "use.still_digests", ctx.request.command_naming, briefings="; ".join(still)) if still else ""
    return Reply(title=" ".join(said), text=text)


async def _digests_elsewhere(ctx: Context, held: list[BriefingSummary], reads: str) -> list[str]:
    """The briefings, other than the one it now reads, whose digests and alerts this channel (or thread) still gets:
    a subscription follows the briefing it was made for, not the channel's choice, so `/use` alone does not move it."""
    if ctx.digests is None:
        return []
    team = await ctx.digests.subscriptions(ctx.request.platform, ctx.request.team_id or "")
    return still_sending([s for s in team if s.channel_id == ctx.request.channel_id], held, reads, ctx.cat)


def _language(value: str, scope: str) -> str:
    """The language to fix ("" none asked), any variant accepted (es-MX → es); a user error naming the choices otherwise."""
    if not value:
        return ""
    if scope != "channel":  # a space's language is its readers' platform's, which the reader's own beats
        raise UserError("use.language_channel_only")
    try:
        return spoken_language(value)
    except ValueError:
        raise UserError("use.language_unknown", language=value[:LANGUAGE_LIMIT], known=", ".join(CLDR_LOCALES)) from None


async def _answering(ctx: Context) -> Resolved:
    """The briefing that answers here and why: the console's or CLI's --briefing beats every choice, as it does for reading."""
    found = await resolve(replace(ctx.request, briefing_id=None), "", ctx.repository, ctx.choices)
    # The request reads the briefing dispatch put in it: the choice found here, or one the surface was started with.
    started = ctx.request.briefing_id
    if started is not None and started != found.briefing_id:
        return Resolved(started, "named", language_choice=found.language_choice)
    return found


async def _here(ctx: Context) -> Reply:
    """What applies here: the briefing and the language, and who or what chose each."""
    found = await _answering(ctx)
    briefing = await ctx.repository.briefing(found.briefing_id, ctx.part)  # its title: a one-shot `ask` reads the head alone
    # A server's or workspace's own page, no channel of it (Slack's Home tab): what they read where no channel chose, and
    # how a channel chooses, rather than words about a channel that is not there.
    spaced = bool(ctx.request.team_id) and not ctx.request.channel_id and found.why in ("space", "default")
    why = ctx.cat(f"use.why_{found.why}" + ("_no_channel" if spaced else ""))
    if found.choice is not None:
        by = author_words(ctx.cat, found.choice.chosen_by, found.choice.platform)["actor"]  # an erased user in the reader's words
        why = ctx.cat.marked("use.why_by", why=why, by=by, at=utc_time_label(found.choice.chosen_at, ctx.cat))
    footer = readers_text(ctx.cat, "use.footer_no_channel", ctx.request.command_naming) if spaced else ctx.cat("use.footer", briefings=ctx.slash("briefings"))
    return Reply(
        title=ctx.cat("use.here", title=title_in(briefing, ctx.cat.locale), briefing=briefing.id),
        text=why,
        fields=_language_field(ctx, found.language_choice),
        footer=footer,
    )


def _language_field(ctx: Context, fixed: Choice | None) -> tuple[Field, ...]:
    """The language in force and why; only in a channel, the one place an admin can fix it (not the console, CLI)."""
    if not (ctx.request.team_id and ctx.request.channel_id):
        return ()
    language = language_name(ctx.cat.locale)
    if fixed is not None:  # when, in words and, where the platform can, in the reader's own clock
        # A thread fixing none reads its channel's: credit that channel, not the thread.
        key = "use.language_fixed" if fixed.channel_id == ctx.request.channel_id else "use.language_fixed_parent"
        at = utc_time_label(fixed.chosen_at, ctx.cat)
        by = author_words(ctx.cat, fixed.chosen_by, fixed.platform)["actor"]  # a colleague named, an erased user in words
        return (Field(ctx.cat("use.language"), ctx.cat.marked(key, language=language, by=by, at=at), moment=fixed.chosen_at),)
    return (Field(ctx.cat("use.language"), ctx.cat("use.language_yours", language=language)),)


async def briefings(ctx: Context, args: Args) -> Reply:
    """Every stored briefing: title, status, next session, last change; the one answering here is marked.

    A page is remembered with its listing (bot/core/listing.py), keyed by everything else it follows from:
    where it is asked (which briefing answers here), the language and how commands are typed there, the window, and each shown briefing's
    version and current session (which moves with the clock). Asked again, it is the same reply, which
    the renderers' own memories then find at once.
    """
    listing = ctx.listings.current(await ctx.repository.briefings())
    held = listing.listed
    if not held:
        raise UserError("briefing.none")
    here = ctx.request.briefing_id  # what answers here: --briefing's, else the channel's or space's choice (None: the default)
    window = ctx.window(len(held), args.page)
    shown = [(summary, await _shown(ctx, listing, summary.id)) for summary in held[window.start : window.stop]]
    now = ctx.request.now
    sessions = [current(briefing, now) for _, briefing in shown]
    lines = tuple(_line(session, now) for session in sessions)
    # Each other session known only by its day whose day it is: the session listed, timed that day, hid it (as in /brief).
    also = [tuple(o for o in in_order(on_their_day(b.sessions, now)) if o.id != s.id) for (_, b), s in zip(shown, sessions, strict=True)]
    how = _how(ctx)
    key = (here, ctx.cat.locale, ctx.request.command_naming, how, window, ctx.named, lines, tuple((b.version, s.id) for (_, b), s in zip(shown, sessions, strict=True)),
           tuple(tuple(o.id for o in others) for others in also))
    reply = listing.pages.get(key)
    if reply is None:
        reply = listing.pages[key] = _listed(ctx, here, how, window, len(held), shown, list(zip(sessions, lines, also, strict=True)))
    return reply


def _line(session: Session, now: datetime) -> str:
    """The key of a briefing's line for its current session: "next" only while it has not begun, so a past one is named
    as a session, not announced again; and a session known only by its day, on that day in its zone, is today (as
    /brief says), neither begun nor merely ahead; one known only by its month (year, span of days) is expected then, no
    day announced, until that is over: "session: April 2026" read as begun from the 1st."""
    if on_their_day((session,), now):
        return "briefings.line_today"
    over = last_moment(session)
    if over is not None and session.starts_at is None and session.date is not None and session.date.precision != "day" and now <= over:
        return "briefings.line_expected"
    begun = (start := first_moment(session)) is not None and start <= now
    return "briefings.line_begun" if begun else "briefings.line"


# How to read another briefing where `/use` cannot choose one (no server or workspace), by where a new briefing is told to
# be chosen (`Request.choose_hint`): a direct message, the console, the command line.
_HOW_ELSEWHERE = {
    "briefing_new.choose_channel": "briefings.how_text_channel",
    "briefing_new.choose_console": "briefings.how_text_console",
    "briefing_new.choose_cli": "briefings.how_text_cli",
}


def _how(ctx: Context) -> str:
    """The key of the "Reading another" hint: `/use` where it can choose this channel's (as `briefing new` says), else this place's way."""
    return "briefings.how_text" if ctx.request.team_id else _HOW_ELSEWHERE[ctx.request.choose_hint]


async def _shown(ctx: Context, listing: Listing, briefing_id: str) -> Briefing:
    """A briefing a page shows: the one this listing read before, else read now and kept with the listing."""
    briefing = listing.shown.get(briefing_id)
    if briefing is None:
        # Its head and sessions: what a one-shot `ask` reads of each (`ctx.part`); a running bot holds each whole.
        briefing = listing.shown[briefing_id] = await ctx.repository.briefing(briefing_id, ctx.part)
    return briefing


def _listed(ctx: Context, here: str | None, how: str, window: Window, total: int,
            shown: list[tuple[BriefingSummary, Briefing]], sessions: list[tuple[Session, str, tuple[Session, ...]]]) -> Reply:
    """One page of `/briefings`: each shown briefing's title, status, current session (with its line's key: `_line`), the
    other sessions due today at a time not announced, and last change; `how`, the key of its hint on reading another."""
    items = []
    for (summary, briefing), (session, line, others) in zip(shown, sessions, strict=True):
        status = ctx.cat("briefings.archived") if summary.archived else ctx.cat(f"status.{session.status}")
        when = start_line(briefing, session, ctx.cat, inline=True)  # a time in the session's zone, else its day or month
        # Each named with its day, as line_today names it: "today" is the session's zone's, and the reader's day may be another.
        today = [ctx.cat("briefings.also_today", session=item_in(o, KINDS["session"], ctx.cat.locale).title, day=fuzzy_label(o.date, ctx.cat)) for o in others]
        changed = utc_time_label(summary.updated_at, ctx.cat) if summary.updated_at else "—"
        marks = [ctx.cat("briefings.changed", at=changed)]
        marks += [ctx.cat("briefings.here")] if summary.id == here or (here is None and summary.is_default) else []
        marks += [ctx.cat("briefings.default")] if summary.is_default else []
        items.append(Item(
            title=f"{title_in(briefing, ctx.cat.locale)} ({summary.id})",
            text=" · ".join([ctx.cat(line, status=status, session=when), *today]),
            meta=" · ".join(marks),
        ))
    return Reply(
        title=ctx.cat("briefings.title", n=total),
        items=tuple(items),
        fields=(Field(ctx.cat("briefings.how"), ctx.cat(how, use=ctx.slash("use"))),),
        page=ctx.page(window, "briefings", {}),
    )
