"""The digest and alert messages: what changed since the channel's last digest, status, next 24 hours.

A message is built from the briefing and revision log as they are when it is sent; `covers` is the
newest revision it reports, so the next digest starts after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from msgspec.structs import replace

from bot.core.admin.shown import filled, shown
from bot.core.catalogue import Catalogue
from bot.core.commands.agenda import session_when_where, when_where
from bot.core.commands.overview import cached_when, parties_label, unknown
from bot.core.commands.timeline import noted
from bot.core.context import Context
from bot.core.dates import FuzzyDate
from bot.core.digest.alerts import StatusChange, alert_session
from bot.core.digest.model import ON_TIME, Due
from bot.core.digest.schedule import digest_day
from bot.core.digest.starts import session_data, start_instant
from bot.core.digest.zones import subscription_zone
from bot.core.formatting import day_label, fuzzy_label, local_time_label, minutes_label
from bot.core.index import BriefingIndex
from bot.core.kinds import HEAD, HEAD_LOG, KINDS, Kind
from bot.core.localize import localized_data, said_by
from bot.core.model import AgendaItem, Session, TimelineEvent, Zone
from bot.core.registry import readers_text
from bot.core.replies import Field, Item, Reply, SourceRef
from bot.core.repository import Revision
from bot.core.sessions import WAITING, current, first_moment, is_a_session, last_moment, on_their_day, session_marks
from bot.core.status import status_field, status_today, zone_named
from bot.core.text import one_full_stop, prose_break, shortened

CHANGES_PAGE = 200  # revisions read at a time
CHANGES_SHOWN = 10  # changed items listed; the sessions' status and time lead the text whatever their number
SHORT_VALUE = 60  # a longer value (as shown, quotes and all) is said to be rewritten, not quoted
# The fields whose new value is the news itself, told however long: a session's outcome, and its note, which says why it
# moved or what the sources hedge; cut at a sentence's (else a word's) end within NEWS_VALUE characters.
NEWS_FIELDS = ("outcome", "note")
NEWS_VALUE = 300
NAMED_BY = ("title", "name", "question", "words", "venue")  # the first of these an item has is what readers call it
LATEST_EVENTS = 3
NEXT_HOURS = timedelta(hours=24)
MINUTE = timedelta(minutes=1)
LEAD_FIELDS = ("status", "start", "date")  # a session's fields the digest's text leads with (and a start's zone)


class Composed(msgspec.Struct, frozen=True):
    """A message to send (None: a quiet day, nothing to send) and the newest revision it reports."""

    reply: Reply | None
    covers: int


async def unseen_revisions(ctx: Context, briefing_id: str, seen: int, until: datetime | None = None) -> list[Revision]:
    """Every revision after `seen` (and made by `until`, when given), newest first, read a page at a time.

    All of them: an item's oldest unseen revision holds what the channel last knew of it, and its newest what
    holds now. The store leaves out those already seen: on a quiet day it decodes none (a pack load's revision
    holds the whole pack), where every digest of a fan-out used to decode the newest few and drop them.
    """
    found: list[Revision] = []
    while True:
        older = found[-1].id if found else None
        page = await ctx.repository.revisions(briefing_id, limit=CHANGES_PAGE, before=older, until=until, after=seen)
        found.extend(page)
        if len(page) < CHANGES_PAGE:
            return found


async def compose_digest(ctx: Context, due: Due, until: datetime | None = None) -> Composed:
    """The daily digest for one subscription at `ctx.request.now`; `until` leaves out changes made after it (a preview)."""
    index = await ctx.localized()
    briefing, cat, now = index.briefing, ctx.cat, ctx.request.now
    subscription = due.subscription
    changes = await unseen_revisions(ctx, briefing.id, subscription.seen_revision, until)
    covers = changes[0].id if changes else subscription.seen_revision
    local_day = digest_day(due.key)  # the day it is for: a late digest is still that day's
    # CLDR's date formatting is the costliest step of a quiet day's digest: once per version, language and day.
    day = index.memo(("digest.day", cat.cldr, local_day), lambda: day_label(local_day, cat))
    title = cat("digest.title", title=briefing.title, day=day)
    session = current(briefing, now)
    today = now.astimezone(ZoneInfo(subscription.zone)).date()  # the reader's: "today" on the subscription's clock
    status = status_today(session, now, cat, today)[0]  # beside its When field, as /brief and /meeting say it
    others = _also_today(ctx, index, session, now, today)
    coming = _coming(index, now)
    # A quiet day's one line names after those each other session "Next 24 hours" lists, as the one followed reads:
    # tomorrow's known only by its day went unnamed on a quiet eve, while a digest with news listed it.
    named = {session.id, *(other.id for other, _ in others)}
    also = [*others, *((other, status_today(other, now, cat, today, dated=True)[0].value) for other in coming if other.id not in named)]
    clock = subscription_zone(subscription.zone, cat)  # "(Nueva York)", as the sessions' times below name theirs
    footer = cat("digest.footer", time=subscription.time.strftime("%H:%M"), zone=clock.label, ref=due.nonce)
    # A channel's first digest covers the time since it subscribed: there was no last digest to speak of.
    since = "" if subscription.digested else "_first"
    quiet_day = Composed(
        None if subscription.quiet else Reply(
            title=title, footer=footer, private=False,
            text=" ".join([cat(f"digest.nothing_new{since}", session=session.title, status=status_today(session, now, cat, today, dated=True)[0].value),
                           *(cat("digest.also_session", session=other.title, status=line) for other, line in also)]),
            sources=ctx.source_refs(index, _cited([session, *(other for other, _ in also)])),
        ),
        covers,
    )
    if not changes:
        return quiet_day
    # An import (kind "briefing") may change sessions too.
    lead = _session_sentences(ctx, index, [revision for revision in changes if revision.kind in ("session", "briefing")])
    changed = [group for group in _by_item(changes) if _changed(group)]
    # A session whose status or start alone changed is told in the lead: neither counted nor listed again.
    led: list[list[Revision]] = []
    groups: list[list[Revision]] = []
    for group in changed:
        (led if _led(group, briefing.venue.zone) else groups).append(group)
    if not groups and not lead:  # edits taken back: the channel knows all there is
        return quiet_day
    listed = groups[:CHANGES_SHOWN]
    count = cat(f"digest.changes{since}", n=sum(_told_edits(group) for group in groups))
    if len(groups) > len(listed):
        # `/brief history` on Slack, `/history` on Discord: the command as the channel's readers type it (the sender's form).
        count = readers_text(cat, "digest.changes_more", ctx.request.command_naming, text=count, shown=len(listed))
    upcoming = _upcoming(index, await ctx.index(), now)
    # The status and start shown are of the session in progress or next, which may not be the one the lead names.
    fields = [*(replace(field, name=cat("digest.session_field", field=field.name, session=session.title))
                for field in (status, cached_when(index, ctx, session))),
              *(Field(cat("digest.session_field", field=status.name, session=other.title), line, inline=True) for other, line in others),
              _next_day_field(ctx, index, upcoming, coming, clock)]
    latest = index.latest_events(now.astimezone(ZoneInfo(briefing.venue.zone)).date(), LATEST_EVENTS)
    # Every item the digest shows is cited, as answers cite theirs: the sessions, engagements and events as well as the
    # changed items (and the links and sources their edits gave).
    cited = _cited([session, *(other for other, _ in others), *coming, *upcoming, *latest]) + _changed_sources(index, [*led, *listed])
    if latest:
        fields.append(Field(cat("digest.latest"), "\n".join(_event_line(ctx, index, e) for e in latest)))
    return Composed(
        Reply(
            title=title,
            text="\n\n".join([*lead, count] if groups else lead),
            fields=tuple(fields),
            items=tuple(_change_item(ctx, index, group) for group in listed),
            footer=footer,
            sources=_sources(ctx, index, cited, [revision for group in changed for revision in group]),
            private=False,
        ),
        covers,
    )


def _also_today(ctx: Context, index: BriefingIndex, shown: Session, now: datetime, today: date) -> list[tuple[Session, str]]:
    """Each other session known only by its day whose day it is, with its status line: the timed session in progress
    or next, which the digest follows, would hide it on the one day it is news."""
    return [(other, status_today(other, now, ctx.cat, today, dated=True)[0].value) for other in on_their_day(index.moments.ordered, now) if other.id != shown.id]


def _cited(items: Iterable[Session | AgendaItem | TimelineEvent]) -> tuple[str, ...]:
    """The sources the items cite, each once, in the items' order (answers list them in the pack's)."""
    return tuple(dict.fromkeys(source for item in items for source in item.sources))


def _changed_sources(index: BriefingIndex, groups: list[list[Revision]]) -> tuple[str, ...]:
    """The sources each changed item cites as readers find it now, a source being its own. An item removed, the briefing's
    head and a pack load cite nothing of theirs here: what their edits cited is listed with the rest."""
    found: list[str] = []
    for group in groups:
        kind, item_id = group[0].kind, group[0].item_id
        item = index.items[kind].get(item_id) if kind in KINDS else None
        if item is not None:
            found.extend((item_id,) if kind == "source" else item.sources)
    return tuple(dict.fromkeys(found))


# What a digest tells of an edit of the briefing's head: not its sides (only an import changes them) nor its
# translations, which are not news (`_told`): a `set … lang:` edit alone makes no digest item.
HEAD_TOLD = ("title", "summary", "zones", "evidence", "language")


def _item_data(revision: Revision, side: str) -> Mapping[str, Any]:
    """The item's pack data before or after a revision; empty when it did not exist."""
    held = revision.before if side == "before" else revision.after
    return (held or {}).get("item") or {}


def _session_sentences(ctx: Context, index: BriefingIndex, changes: list[Revision]) -> list[str]:
    """"“Opening session” is now Postponed; it was Scheduled." and the same for its start, per session: what readers act on."""
    cat, sessions = ctx.cat, index.briefing.sessions
    sentences = []
    for session in sessions:
        touching = [r for r in changes if r.kind == "briefing" or r.item_id == session.id]
        if not touching:
            continue
        # What the channel last knew: before the oldest change, or as first loaded if it was loaded since.
        first = session_data(touching[-1], "before", session.id) or session_data(touching[-1], "after", session.id)
        if not first:
            continue
        said = []
        if first.get("status") and first["status"] != session.status:
            said.append(cat("digest.status_changed", session=session.title, now=cat(f"status.{session.status}"),
                            was=cat(f"status.{first['status']}")))
        latest = session_data(touching[0], "after", session.id)
        venue = index.briefing.venue.zone
        if _when(first, venue) != _when(latest, venue):
            now, was = (_when_label(ctx, index, data) for data in (latest, first))
            # A start first announced, or withdrawn, did not move: "it is now not announced" says nothing a reader can use.
            told = "digest.time_changed" if now and was else "digest.time_announced" if now else "digest.time_withdrawn"
            said.append(cat(told, session=session.title, now=now, was=was))
        elif _clock(first) != _clock(latest):
            # The same instant on another zone's clock (11:00 New York → 17:00 Madrid): a zone line alone would hide
            # what the start now reads, and "moved" would send readers to a new time that is not one.
            now, was = (_when_label(ctx, index, data) for data in (latest, first))
            said.append(cat("digest.time_reclocked", session=session.title, now=now, was=was))
        sentences.extend(said)
    return sentences


def _when(data: Mapping[str, Any], venue: str) -> tuple[datetime | None, str | None]:
    """When a session's pack data says it is: the instant of its start and its date, one often standing in for the
    other. A start is on its zone's clock (the venue's when it names none): 02:30 in Madrid and 02:30 in New York
    are six hours apart, while 11:00 in New York and 11:00 in Toronto (or US/Eastern) are the same instant."""
    return start_instant(data, venue), data.get("date") or None


def _clock(data: Mapping[str, Any]) -> datetime | None:
    """What a session's start reads on its own zone's clock, whichever zone that is."""
    start = data.get("start") or None
    return datetime.fromisoformat(start) if start else None


def _zone(data: Mapping[str, Any], venue: str) -> str:
    """The zone a session's start is on: its own, else the venue's."""
    return str(data.get("zone") or venue)


def _when_label(ctx: Context, index: BriefingIndex, data: Mapping[str, Any]) -> str:
    """A session's start in words, on the wall clock of the zone that data names ("Tue 3 February 2026, 11:00 EST
    (Washington)": a start from before a move reads in its own city), else its date as precise as it is
    ("10 January 2027 (time not announced)", "February 2027"); "" when it is not announced."""
    start, day = _when(data, index.briefing.venue.zone)
    if start:
        return local_time_label(start, zone_named(index.briefing, _zone(data, index.briefing.venue.zone), ctx.cat), ctx.cat)
    if day:
        when = FuzzyDate.parse(day)
        label = fuzzy_label(when, ctx.cat)
        return ctx.cat("digest.day_no_time", day=label) if when.precision == "day" else label
    return ""


def _by_item(changes: list[Revision]) -> list[list[Revision]]:
    """The revisions of each item together, newest first, the most recently changed item first."""
    groups: dict[tuple[str, str], list[Revision]] = {}
    for revision in changes:
        groups.setdefault((revision.kind, revision.item_id), []).append(revision)
    return list(groups.values())


def _changed(group: list[Revision]) -> bool:
    """Whether an item differs after its newest revision from before its oldest: an edit and its undo are no news."""
    return _told(_item_data(group[-1], "before")) != _told(_item_data(group[0], "after"))


def _told_edits(group: list[Revision]) -> int:
    """How many of an item's revisions changed what a digest tells: one that set a translation alone is not told, so a
    count of it would name an edit the reader cannot find."""
    return sum(_told(_item_data(revision, "before")) != _told(_item_data(revision, "after")) for revision in group)


def _led(group: list[Revision], venue: str) -> bool:
    """Whether a session was edited in its status or start (time, day or month, or a time's zone) alone, which the
    lead sentences tell."""
    was, now = _told(_item_data(group[-1], "before")), _told(_item_data(group[0], "after"))
    return group[0].kind == "session" and bool(was) and bool(now) and all(
        key in _lead_fields(was, now, venue) for key in dict.fromkeys([*was, *now]) if was.get(key) != now.get(key)
    )


def _lead_fields(was: Mapping[str, Any], now: Mapping[str, Any], venue: str) -> tuple[str, ...]:
    """The fields of a session that the lead sentences tell: a timed one's zone too when its start moved or reads
    another clock time, since each start reads in its own zone (a zone renamed on the same instant and clock time, or
    a day's zone, is not told there: a changed one is listed)."""
    told = now.get("start") and (_when(was, venue)[0] != _when(now, venue)[0] or _clock(was) != _clock(now))
    return (*LEAD_FIELDS, "zone") if told else LEAD_FIELDS


def _told(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a reader is told of: translations are not news, and an empty value is no value (logs from before
    no-op edits were refused hold "" on one side and nothing on the other)."""
    return {key: value for key, value in filled(data).items() if key != "translations"}


def _change_item(ctx: Context, index: BriefingIndex, group: list[Revision]) -> Item:
    """One changed item in a sentence: added, removed, or which fields now say what (a session's status
    and start apart: the text leads with those)."""
    cat, newest, oldest = ctx.cat, group[0], group[-1]
    if newest.kind == "briefing":
        return Item(title=cat("digest.pack_title"), text=cat("digest.pack_loaded"))
    if newest.kind == HEAD_LOG:  # the briefing's own title, summary, passages or clock, as it reads in the pack's language
        was, now = _told(_item_data(oldest, "before")), _told(_item_data(newest, "after"))
        keys = [key for key in HEAD_TOLD if was.get(key) != now.get(key)]
        title = cat("digest.item_title", kind=cat(f"kind.{HEAD}"), name=index.briefing.title)
        return Item(title=title, text=" ".join(_field_sentence(ctx, index, key, was.get(key), now.get(key)) for key in keys))
    kind, original = KINDS[newest.kind], index.briefing.language
    venue = index.briefing.venue.zone
    before, after = (localized_data(kind, data, cat, original, venue) if data else {} for data in (_item_data(oldest, "before"), _item_data(newest, "after")))
    title = cat("digest.item_title", kind=cat(f"kind.{kind.name}"), name=_name(index, kind, newest.item_id, after or before, cat))
    if not before:
        text = cat("digest.item_added")
    elif not after:
        text = cat("digest.item_removed")
    else:
        was, now = _told(_item_data(oldest, "before")), _told(_item_data(newest, "after"))
        keys = [k for k in dict.fromkeys([*was, *now]) if was.get(k) != now.get(k)]
        if kind.name == "session":
            keys = [k for k in keys if k not in _lead_fields(was, now, venue)]
        # An empty value is none (None), however the log spelled it.
        text = " ".join(
            _field_sentence(ctx, index, key, before.get(key) if key in was else None, after.get(key) if key in now else None) for key in keys
        )
    edits = _told_edits(group)
    meta = cat("digest.item_edits", n=edits) if edits > 1 else ""
    return Item(title=title, text=text, meta=meta)


def _name(index: BriefingIndex, kind: Kind, item_id: str, logged: Mapping[str, Any], cat: Catalogue) -> str:
    """What readers call an item, in their language as answers show it: its title, name or question (as last logged,
    when it is gone); its id when it has none."""
    item = index.items[kind.name].get(item_id)
    held = logged if item is None else {key: getattr(item, key, None) for key in NAMED_BY}
    for key in NAMED_BY:
        value = held.get(key)
        if isinstance(value, str) and key == "words":
            # A quote by its speaker and quoted words, those the source gave translated labelled as its translation.
            spoken, speaker = (logged.get(k) if item is None else getattr(item, k, None) for k in ("translated_from", "speaker"))
            person = index.people.get(str(speaker))
            return said_by(person.name if person else str(speaker), shortened(value, SHORT_VALUE), spoken, cat)
        if isinstance(value, str):
            untranslated = _untranslated(value, cat)
            if untranslated is None:
                return shortened(value, SHORT_VALUE)
            # The cut takes words, never the marker saying the title is in the pack's language, not the reader's.
            return cat("content.untranslated", text=shortened(untranslated, SHORT_VALUE))
    return item_id


def _untranslated(value: str, cat: Catalogue) -> str | None:
    """The text inside the "(untranslated)" marker `localized_data` put around a value; None for a value not so marked."""
    before, after = cat("content.untranslated", text="\0").split("\0")
    if len(value) > len(before) + len(after) and value.startswith(before) and value.endswith(after):
        return value[len(before) : len(value) - len(after)]
    return None


def _field_sentence(ctx: Context, index: BriefingIndex, key: str, before: Any, after: Any) -> str:
    """"Venue: now “Oval Office”; it was “The White House”." — or "Answer: rewritten."; values as `history` shows them
    (yes/no, names for ids), labelled as the reader reads the field; None: no value."""
    field = ctx.cat(f"label.{key}")
    if after is None:
        return ctx.cat("digest.field_cleared", field=field)
    was, now = (_shown(ctx, index, key, value) for value in (before, after))
    if len(now) > SHORT_VALUE or len(was) > SHORT_VALUE:
        if key in NEWS_FIELDS and isinstance(after, str):  # "Outcome: rewritten." would keep the news from its readers
            return one_full_stop(ctx.cat("digest.field_set", field=field, now=_news(ctx, after)))
        return ctx.cat("digest.field_rewritten", field=field)
    if before is None:
        return one_full_stop(ctx.cat("digest.field_set", field=field, now=now))
    return one_full_stop(ctx.cat("digest.field_changed", field=field, now=now, was=was))


def _news(ctx: Context, value: str) -> str:
    """An outcome or note as a digest tells it: quoted whole when it fits NEWS_VALUE, else up to the last sentence's end
    in it (a word's where none ends in its second half) and marked cut; a text left untranslated keeps its marker."""
    untranslated = _untranslated(value, ctx.cat)
    text = value if untranslated is None else untranslated
    if len(text) > NEWS_VALUE:
        at = prose_break(text[:NEWS_VALUE])
        cut = text[:at].rstrip(" ,;:-–—")
        text = (f"{cut} …" if cut.endswith((".", "?", "!")) else f"{cut}…") if at else shortened(text, NEWS_VALUE)
    quoted = ctx.cat("admin.value", value=text)
    return quoted if untranslated is None else ctx.cat("content.untranslated", text=quoted)


def _shown(ctx: Context, index: BriefingIndex, key: str, value: Any) -> str:
    """A value as `history` shows it, but a date as readers read dates ("3 February 2026", "2025"), never as stored, and
    a text left untranslated quoted as written, its marker outside the quotes: “Former President” (untranslated)."""
    if key == "date" and isinstance(value, str):
        try:
            return fuzzy_label(FuzzyDate.parse(value), ctx.cat)
        except ValueError:  # a log from before dates were checked: shown as it was written
            pass
    untranslated = _untranslated(value, ctx.cat) if isinstance(value, str) else None
    if untranslated is not None:
        return ctx.cat("content.untranslated", text=shown(key, untranslated, ctx.cat, index.briefing))
    return shown(key, value, ctx.cat, index.briefing)


def compose_alert(ctx: Context, index: BriefingIndex, due: Due, change: StatusChange | None) -> Reply | None:
    """A session alert: a day or an hour before, at the start, or a change of status; it names its session (in the reader's
    language). None when that session was removed."""
    cat, briefing = ctx.cat, index.briefing
    kind, wanted = due.key.split(":")[1], alert_session(due.key)
    meeting = next((s for s in briefing.sessions if s.id == wanted), None)
    if meeting is None:  # removed since the alert was planned: no other session's news goes out under its name
        return None
    parties = parties_label(index, meeting, cat)  # none named: the title alone, with no dash left hanging
    named = {"session": cat("alert.named", session=meeting.title, parties=parties) if parties else meeting.title}
    if change is not None:
        title = cat("alert.status", **named, before=cat(f"status.{change.before}"), after=cat(f"status.{change.after}"))
    elif kind == "status":  # the revision has left the recent log since it was planned: say what holds now
        title = cat("alert.status_now", **named, status=cat(f"status.{meeting.status}"))
    else:
        title = _timed_title(ctx, meeting, due, kind, named)
    fields = (cached_when(index, ctx, meeting), status_field(meeting, ctx.request.now, cat), Field(cat("field.where"), unknown(meeting.venue, cat), inline=True))
    text = meeting.outcome if change is not None and meeting.outcome else ""
    return Reply(
        title=title,
        text=text,
        fields=fields,
        footer=cat("alert.footer", ref=due.nonce),
        sources=ctx.source_refs(index, meeting.sources),
        private=False,
    )


def _timed_title(ctx: Context, meeting: Session, due: Due, kind: str, named: Mapping[str, str]) -> str:
    """"In 24 hours: …" on time; after downtime, or for a session moved earlier, the time really left, in the
    status line's words ("In 18 hours 59 minutes: …", "Started 55 minutes ago: …"), so title and status agree."""
    now, start = ctx.request.now, meeting.starts_at
    if now - due.at < ON_TIME or start is None:
        return ctx.cat(f"alert.{kind}", **named)
    left = start - now
    if left > timedelta(0):
        return ctx.cat("alert.ahead", span=minutes_label(left // MINUTE, ctx.cat.locale), **named)
    late = "alert.started" if meeting.status == "in_progress" else "alert.overdue"
    return ctx.cat(late, span=minutes_label(-left // MINUTE, ctx.cat.locale), **named)


def _upcoming(index: BriefingIndex, stored: BriefingIndex, now: datetime) -> list[AgendaItem]:
    """The agenda items that fall in the next 24 hours (those with a day or days but no time count if a day does), but
    those that are a session, which the sessions' lines name (the shipped pack's meeting was listed twice). Which are
    is read in the pack's own words (`stored`), as the calendar reads it: a venue translated and a place not, or the
    other way round, is still the same place."""
    briefing = stored.briefing
    marks = session_marks(briefing.sessions)
    sessions = {item.id for item in briefing.agenda if is_a_session(item, item.zone or briefing.venue.zone, marks)}
    return [item for item in index.briefing.agenda if item.id not in sessions and _within(item, now, now + NEXT_HOURS)]


def _coming(index: BriefingIndex, now: datetime) -> list[Session]:
    """The scheduled sessions that may begin in the next 24 hours, in order: a start within them, or a day known alone
    that one of them falls on in its zone (the day before it too: a reader must see it coming); a month says too little."""
    stop, found = now + NEXT_HOURS, []
    for session in index.moments.ordered:
        first, last = first_moment(session), last_moment(session)
        known = session.starts_at is not None or (session.date is not None and session.date.precision == "day")
        if session.status in WAITING and known and first is not None and last is not None and first < stop and now <= last:
            found.append(session)
    return found


def _next_day_field(ctx: Context, index: BriefingIndex, upcoming: list[AgendaItem], coming: list[Session], clock: Zone) -> Field:
    """The sessions that may begin in the next 24 hours (a start on the channel's `clock`, else the day alone), then the
    engagements, each with when and where; that there are none only when none is due: "Nothing on the agenda" the day
    before a session read as no session."""
    if not upcoming and not coming:
        return Field(ctx.cat("digest.next_24h"), ctx.cat("digest.next_24h_none"))
    lines = [*(f"• {session.title} — {session_when_where(session, clock, ctx.cat)}" for session in coming),
             *(f"• {item.title} — {when_where(item, ctx, index)}" for item in upcoming)]
    return Field(ctx.cat("digest.next_24h"), "\n".join(lines))


def _within(item: AgendaItem, start: datetime, stop: datetime) -> bool:
    """True when the item happens in [start, stop), as far as its date and time are known: a day or a range of days
    (one engagement over several) counts when one of its days does; a month or a year says too little to."""
    if item.date is None or item.date.text.count("-") != (4 if item.date.precision == "range" else 2):
        return False  # a day, or a range of days ("2026-03-11/2026-03-12": two dashes each side)
    zone = ZoneInfo(item.zone)
    if item.time is None:  # a range has none
        first: date = start.astimezone(zone).date()
        last: date = stop.astimezone(zone).date()
        return item.date.overlaps(first, last)
    hours, minutes = (int(part) for part in item.time.split(":"))
    at = datetime(item.date.first.year, item.date.first.month, item.date.first.day, hours, minutes, tzinfo=zone)
    return start <= at < stop


def _event_line(ctx: Context, index: BriefingIndex, event: TimelineEvent) -> str:
    """An event as the digest lists it: its date, what happened, then its topics, as `timeline` puts the title before them,
    and its note under them."""
    date = fuzzy_label(event.date, ctx.cat)
    if not event.tags:
        return noted(ctx.cat("digest.latest_line", date=date, title=event.title), event.note, ctx.cat)
    tags = ", ".join(map(index.topic_label, event.tags))
    return noted(ctx.cat("digest.latest_line_tagged", date=date, title=event.title, tags=tags), event.note, ctx.cat)


def _sources(ctx: Context, index: BriefingIndex, cited: tuple[str, ...], revisions: list[Revision]) -> tuple[SourceRef, ...]:
    """The sources the items shown cite and those the changes cite, each once: briefing sources by id (in the pack's
    order, as answers list them), then the changes' links as themselves."""
    ids = [*cited, *(r.source for r in revisions if r.source and r.source in index.sources)]
    links = list(dict.fromkeys(r.source for r in revisions if r.source.startswith(("https://", "http://"))))
    return ctx.source_refs(index, ids) + tuple(SourceRef(link, link, link) for link in links)
