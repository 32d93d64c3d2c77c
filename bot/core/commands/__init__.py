"""The public commands, in the order help lists them."""

from __future__ import annotations

from bot.core.admin.commands import add_command, history_command, redo_command, remove_command, set_command, undo_command
from bot.core.admin.kinds import HEAD, KINDS, MEETING_ID
from bot.core.admin.new_briefing import INPUTS, new_briefing
from bot.core.admin.uses import uses_command
from bot.core.checker import ID_LIMIT
from bot.core.commands.agenda import agenda
from bot.core.commands.background import context
from bot.core.commands.briefings import briefings, use
from bot.core.commands.faq import faq
from bot.core.commands.files import calendar_here, export_here
from bot.core.commands.help import help_command
from bot.core.commands.overview import brief, meeting
from bot.core.commands.people import delegation, person
from bot.core.commands.quotes import quotes
from bot.core.commands.search import search
from bot.core.commands.sources import sources
from bot.core.commands.timeline import timeline
from bot.core.commands.why import why
from bot.core.digest.commands import subscribe, subscriptions, unsubscribe
from bot.core.digest.model import ALERTS
from bot.core.i18n import CLDR_LOCALES
from bot.core.kinds import LANGUAGE_LIMIT, ZONE_LIMIT
from bot.core.platforms import CHANNEL_PLATFORMS
from bot.core.registry import MAX_EXTRA, CommandSpec, Option, Registry

PAGE = Option("page", kind="page")
# Any command that reads or writes a briefing may name one; otherwise the channel's choice answers.
BRIEFING = Option("briefing", complete="briefings", limit=ID_LIMIT)
# `meeting` is the admin's word for a briefing's only session (bot/core/admin/commands.py, `_target`).
KIND_CHOICES = (*KINDS, MEETING_ID)
KIND = Option("kind", kind="choice", required=True, choices=KIND_CHOICES)
# What set and history name: `briefing` is the briefing's own head (title, summary, zone; bot/core/admin/head.py).
HEAD_CHOICES = (*KIND_CHOICES, HEAD)
# What add and remove name: `meeting` stays a choice, refused with the way to add or remove a session.
NEW_KIND = Option("kind", kind="choice", required=True, choices=KIND_CHOICES, named=tuple(KINDS))
ITEM_ID = Option("id", complete="items")
BASE = Option("base", kind="number")
PROVENANCE = (Option("source"), Option("reason", limit=500))
# The language of the text `set` is given (bot/core/admin/translated.py): one the bot's readers read.
LANG = Option("lang", kind="choice", choices=tuple(CLDR_LOCALES))
# A passage `set` adds to the item's (or the head's) evidence, keeping those it holds: `evidence:` replaces them all.
PASSAGE = Option("passage", limit=MAX_EXTRA)
# The local operator names the channel; in a chat the channel is where the command runs.
CHANNEL = (Option("channel", limit=64), Option("platform", kind="choice", choices=CHANNEL_PLATFORMS))

COMMANDS = Registry(
    (
        CommandSpec("brief", brief, options=(BRIEFING,), aliases=("overview",), reads=("sessions", "people", "sources", "latest")),
        # Every session is on its page ("Other sessions"): a reader asking for the sessions, in either language, gets it.
        CommandSpec("meeting", meeting, options=(Option("session", complete="sessions", limit=200), BRIEFING), aliases=("sessions", "sesiones"),
                    reads=("sessions", "people", "sources")),
        CommandSpec(
            "timeline",
            timeline,
            options=(
                Option("from", kind="date"),
                Option("to", kind="date"),
                Option("topic", complete="topics"),
                Option("query"),
                PAGE,
                BRIEFING,
            ),
            positional="query",
            remembered=True,
            reads=("sessions", "sources", "topics"),
        ),
        CommandSpec(
            "delegation",
            delegation,
            options=(Option("side", complete="sides"), Option("role", complete="roles"), Option("name", complete="people"), PAGE, BRIEFING),
            aliases=("people",),
            hint="name",
            remembered=True,
            reads=("sessions", "people", "sources"),
        ),
        CommandSpec("person", person, options=(Option("name", required=True, complete="people"), BRIEFING), positional="name", aliases=("who",), remembered=True,
                    reads=("people", "sessions", "agenda", "sources")),
        CommandSpec("agenda", agenda, options=(PAGE, BRIEFING), remembered=True, reads=("agenda", "sources")),
        CommandSpec(
            "quotes", quotes, options=(Option("speaker", complete="speakers"), PAGE, BRIEFING), positional="speaker", remembered=True,
            reads=("quotes", "people", "sources"),
        ),
        CommandSpec("context", context, options=(PAGE, BRIEFING), aliases=("background",), remembered=True, reads=("context", "sources")),
        CommandSpec("faq", faq, options=(Option("question", complete="faq"), PAGE, BRIEFING), positional="question", remembered=True, reads=("faq", "sources")),
        CommandSpec(
            "search", search, options=(Option("text", required=True), PAGE, BRIEFING), positional="text", aliases=("find",),
            reads=("people", "sources", "found"),
        ),
        CommandSpec("sources", sources, options=(PAGE, BRIEFING), remembered=True, reads=("sources",)),
        CommandSpec("briefings", briefings, options=(PAGE,), reads=("sessions",)),
        CommandSpec("use", use, options=(BRIEFING, Option("for", kind="choice", choices=("channel", "space")), Option("language", limit=LANGUAGE_LIMIT)), reads=(),
                    writes=("briefing", "language")),
        # `porque`: a Spanish reader's "why" (`porqué`, and `por qué` in two words: `Registry.joined`), beside `origen`.
        CommandSpec("why", why, options=(Option("item", required=True), PAGE, BRIEFING), positional="item", aliases=("evidence", "porque"), remembered=True,
                    reads=("sources", "sessions", "named")),
        CommandSpec("calendar", calendar_here, options=(BRIEFING,), file=True),
        CommandSpec("help", help_command, options=(Option("command", complete="commands"),), positional="command"),
        CommandSpec(
            "set",
            set_command,
            options=(Option("kind", kind="choice", required=True, choices=HEAD_CHOICES), ITEM_ID, Option("field", complete="fields"), Option("value", limit=MAX_EXTRA), PASSAGE, LANG, BASE, *PROVENANCE, BRIEFING),
            admin=True,
            extra_options=True,
            writes=True,
        ),
        CommandSpec("add", add_command, options=(NEW_KIND, Option("id", required=True), *PROVENANCE, BRIEFING), admin=True, extra_options=True,
                    writes=True),
        CommandSpec("remove", remove_command, options=(NEW_KIND, Option("id", required=True, complete="items"), BASE, *PROVENANCE, BRIEFING),
                    admin=True, writes=True),
        CommandSpec("export", export_here, options=(BRIEFING,), admin=True, file=True),
        CommandSpec("history", history_command, options=(Option("kind", kind="choice", choices=HEAD_CHOICES), ITEM_ID, PAGE, BRIEFING), admin=True),
        CommandSpec("undo", undo_command, options=(Option("revision", kind="number"), Option("reason", limit=500), BRIEFING), positional="revision", admin=True,
                    writes=True),
        CommandSpec("redo", redo_command, options=(Option("reason", limit=500), BRIEFING), admin=True, writes=True),
        CommandSpec("uses", uses_command, options=(KIND, Option("id", required=True, complete="items"), PAGE, BRIEFING), admin=True),
        CommandSpec(
            "subscribe",
            subscribe,
            options=(
                # Any text option's length limit, not HH:MM's five: a short value in another form ("7:30pm") is told the
                # form (`parse_clock`), not that it is too long.
                Option("time"),
                Option("tz", limit=ZONE_LIMIT),
                Option("quiet", kind="choice", choices=("yes", "no")),
                Option("alerts", limit=40, named=ALERTS),
                *CHANNEL,
                BRIEFING,
            ),
            admin=True,
            writes=True,
            posts=True,
        ),
        CommandSpec("unsubscribe", unsubscribe, options=(*CHANNEL, BRIEFING), admin=True, writes=True),
        CommandSpec("subscriptions", subscriptions, options=(PAGE,), admin=True),
        CommandSpec(
            "briefing",
            new_briefing,
            # Each option takes what its input in the modal does: a value typed either way is stopped at the same length.
            options=(Option("action", kind="choice", required=True, choices=("new",)), *(Option(name, limit=limit) for name, limit, _ in INPUTS)),
            positional="action",
            admin=True,
            writes=True,
        ),
    )
)
