"""`delegation` (who is who, filtered) and `person` (one person in full)."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from bot.core.catalogue import Catalogue
from bot.core.commands.timeline import noted
from bot.core.context import Context
from bot.core.formatting import fuzzy_label
from bot.core.index import BriefingIndex
from bot.core.localize import quoted_in
from bot.core.model import Briefing, Person, Session
from bot.core.offload import to_thread
from bot.core.registry import Args
from bot.core.replies import ITEMS_KEPT, Field, Item, Reply
from bot.core.repository import Part
from bot.core.sessions import in_order
from bot.core.status import start_line
from bot.core.suggest import closest
from bot.core.text import words
from bot.errors import UserError

# "who is Petro?", "who was Roa": the words of a question around the name.
_QUESTION = re.compile(r"^\s*(?:(?:who|what)\s+)?(?:is|are|was|were)\s+|\?+\s*$", re.IGNORECASE)


def person_item(person: Person, index: BriefingIndex, ctx: Context) -> Item:
    """A person as a list entry: name, role and organisation, side."""
    return _person_entry(person, index.sides.get(person.side, person.side), ctx.cat)


# The same people come up in list after list, on every platform: each entry is written once per language and
# handed out as the same object, which the renderers' own memories then find by identity.
@lru_cache(maxsize=ITEMS_KEPT)
def _person_entry(person: Person, side: str, cat: Catalogue) -> Item:
    """`person_item` of a person on the side labelled `side`."""
    return Item(
        title=person.name,
        text=role_line(person, cat),
        meta=cat("person.meta_delegation", side=side) if person.delegation else side,
        sources=person.sources,
        ref=f"person/{person.id}",
    )


def role_line(person: Person, cat: Catalogue) -> str:
    """A person's role with their organisation, or the role alone where the sources name none (no "not stated" beside it)."""
    return cat("person.role", role=person.role, organisation=person.organisation) if person.organisation else person.role


def _side_id(index: BriefingIndex, ctx: Context, text: str) -> str:
    found = index.side_named(text)
    if found is not None:
        return found
    near = closest(text, index.sides.values(), n=1)
    if near:
        # Offered as it is entered here (`side:"United States"` in a line), in the reader's word for the option (`parte:`).
        raise UserError("people.unknown_side_suggest", side=text, option="side", suggestion=ctx.typed(near[0]), sides=", ".join(index.sides.values()))
    raise UserError("people.unknown_side", side=text, sides=", ".join(index.sides.values()))


def _delegation_note(index: BriefingIndex, ctx: Context, named: int) -> str:
    """What the sources say of the delegation's size, or that it may be larger than those named."""
    size = next((s.delegation for s in index.briefing.sessions if s.delegation), "")  # the first session that gives one
    return ctx.cat("delegation.note_sized", n=named, size=size) if size else ctx.cat("delegation.note", n=named)


def _no_delegation(index: BriefingIndex, ctx: Context) -> str:
    """Why no one is listed: nobody named yet, or (a summit, say) people named on their sides but none visiting, then how to list them."""
    named = index.briefing.people
    if not named:
        return ctx.cat("delegation.empty")
    sides = [index.sides.get(side, side) for side in dict.fromkeys(p.side for p in named)]
    line = ctx.line("delegation", options={"side": sides[0], **({"briefing": ctx.named} if ctx.named else {})}, slash=True)
    return ctx.cat("delegation.none_visiting", n=len(named), line=line, sides=", ".join(sides))


async def delegation(ctx: Context, args: Args) -> Reply:
    """The visiting delegation; with side:, role: or name:, everyone the sources name, filtered."""
    index = await ctx.localized()
    filtered = any(args.get(key) for key in ("side", "role", "name"))
    side = _side_id(index, ctx, args.get("side")) if args.get("side") else None
    people = index.people_with(side, args.get("role")) if filtered else list(index.delegation)
    if args.get("name"):
        narrowed = args.get("side") or args.get("role")
        people = index.people_matching(args.get("name"), people if narrowed else None)
    filters = {key: args.get(key) for key in ("side", "role", "name") if args.get(key)}
    if not people and not filtered:  # an empty section is an answer, not a mistake of the reader's
        return Reply(title=ctx.cat("delegation.title", n=0), text=_no_delegation(index, ctx))
    if not people:
        raise UserError("people.none", filters=ctx.typed_options(filters), people=ctx.slash("delegation"))
    window = ctx.window(len(people), args.page)
    shown = people[window.start : window.stop]
    title = "people.title_filtered" if filtered else "delegation.title"
    return Reply(
        title=ctx.cat(title, n=len(people)),
        text="" if filtered else _delegation_note(index, ctx, len(people)),
        items=tuple(person_item(p, index, ctx) for p in shown),
        sources=ctx.source_refs(index, {sid for p in shown for sid in p.sources}),
        page=ctx.page(window, "delegation", filters),
    )


async def find_person(index: BriefingIndex, name: str, commands: Collection[str] = ()) -> Person:
    """Exactly one person matching `name`, or a user error listing the candidates or the names meant."""
    asked = _QUESTION.sub("", name).strip() or name
    found = index.people_matching(asked)
    if not found:
        mentioned = [command for command in commands if command in words(asked)]
        if mentioned:  # "who is in the delegation?": a question another command answers
            raise UserError("person.command_meant", name=asked, command=mentioned[0])
        # Comparing the spelling with 10,000 names takes tenths of a second: off the event loop's thread.
        near = await to_thread(closest, asked, [p.name for p in index.briefing.people])
        if near:
            raise UserError("person.none_suggest", name=asked, suggestions=", ".join(near))
        raise UserError("person.none", name=asked)
    if len(found) > 1:
        raise UserError("person.ambiguous", name=name, candidates=", ".join(p.name for p in found[:8]))
    return found[0]


async def person(ctx: Context, args: Args) -> Reply:
    """One person: role, side, what they said (a page of it, and where the rest is) and where they appear in the timeline
    and agenda."""
    index = await ctx.localized()
    who = await find_person(index, args.get("name"), [spec.name for spec in ctx.registry.public()])
    cat, briefing = ctx.cat, index.briefing
    side = index.sides.get(who.side, who.side)
    fields = [
        Field(cat("field.role"), who.role, inline=True),
        Field(cat("field.organisation"), who.organisation or cat("person.organisation_unknown"), inline=True),
        Field(cat("field.side"), side, inline=True),
    ]
    # Said only where the pack says so: nobody marked, a summit's people are in no visiting delegation to say "No" of,
    # and a person left unmarked beside a delegation may be in it unnamed ("it may be larger").
    if who.delegation:
        fields.append(Field(cat("field.delegation"), cat("value.yes"), inline=True))
    # The sessions that name them: among the parties, or in the stakes (the links a session's data makes to people).
    sessions = [s for s in in_order(briefing.sessions) if who.id in s.parties or any(stake.party == who.id for stake in s.stakes)]
    if sessions:
        fields.append(Field(cat("field.sessions"), "\n".join(_session_line(briefing, s, who, cat) for s in sessions)))
    about = await ctx.more(index, Part(frozenset(), person=who.id))  # a one-shot `ask` reads their events and quotes now
    events = about.events_by_person.get(who.id, [])
    if events:
        lines = "\n".join(noted(f"• {fuzzy_label(e.date, cat)}: {e.title}", e.note, cat) for e in events)
        fields.append(Field(cat("field.timeline"), lines))
    engagements = [a for a in briefing.agenda if who.id in a.people]
    if engagements:
        fields.append(Field(cat("field.agenda"), "\n".join(f"• {a.title}" for a in engagements)))
    said = about.quotes_by_speaker.get(who.id, [])
    # A page of them, as `quotes` shows: every one would overflow a chat message (Slack's 50 blocks), cut from its end.
    quotes = said[: ctx.page_size]
    if quotes:
        shown = [f"• {quoted_in(about, q, cat)}" for q in quotes]
        if len(said) > len(quotes):
            # The briefing named, as a page's line names it: the answer is remembered for every place that names it.
            line = ctx.line("quotes", options={"speaker": who.name, **({"briefing": ctx.named} if ctx.named else {})}, slash=True)
            shown.append(cat("person.more_quotes", n=len(said) - len(quotes), line=line))
        fields.append(Field(cat("field.quotes"), "\n".join(shown)))
    # Every entry shown names its sources: the sessions, events, engagements and the page of quotes alike.
    lists = (who.sources, *(s.sources for s in sessions), *(e.sources for e in events), *(a.sources for a in engagements), *(q.sources for q in quotes))
    cited = set().union(*lists)
    return Reply(title=who.name, fields=tuple(fields), sources=ctx.source_refs(index, cited))


def _session_line(briefing: Briefing, session: Session, who: Person, cat: Catalogue) -> str:
    """A session on a person's card: its title, start and status, as /meeting lists the others; "named in its stakes"
    where they are not among its parties, since a stake says what the author thinks they want, not that they attend."""
    key = "person.session" if who.id in session.parties else "person.session_stake"
    return cat(key, title=session.title, when=start_line(briefing, session, cat), status=cat(f"status.{session.status}"))
