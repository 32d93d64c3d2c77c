"""The one entry point every adapter calls: `dispatch` a request, `complete` an option."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import msgspec
from msgspec.structs import replace

from bot.core.admin.cited import readable_only
from bot.core.admin.imports import import_pack
from bot.core.admin.kinds import HEAD, HEAD_FIELDS, KINDS, MEETING_ID
from bot.core.admin.policy import AdminPolicy
from bot.core.admin.translated import settable
from bot.core.args import ParsedLine, parse_line, parse_words
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.choosing import Choice as SpaceChoice
from bot.core.choosing import ChoiceStore, Here, choices_here, chosen_here, elsewhere, resolve
from bot.core.collector import YoungCollector
from bot.core.commands import COMMANDS
from bot.core.commands.help import example_line
from bot.core.commands.why import named_keys
from bot.core.context import Context, IndexCache
from bot.core.digest.ledger import DigestStore
from bot.core.index import BriefingIndex
from bot.core.listing import Listings, id_tag
from bot.core.model import Briefing
from bot.core.offload import to_thread
from bot.core.pack import problem_lines
from bot.core.recent import Recent, Stamped
from bot.core.registry import (
    Args,
    CommandSpec,
    Registry,
    in_readers_words,
    local_choice,
    local_command,
    local_field,
    local_option,
)
from bot.core.replies import Approval, Reply, quote_option
from bot.core.repository import ASKING, Asking, BriefingStore, Part
from bot.core.requests import Request
from bot.core.sessions import in_order
from bot.core.settings import CoreSettings
from bot.core.surrogates import refuse_surrogates
from bot.core.text import match_score, search_query
from bot.errors import SERVER_DOWN, DamagedStore, PackError, StoreError, StoreUnreachable, UserError

if TYPE_CHECKING:
    from bot.core.admin.forms import Form

# Parses pack text (YAML) into a validated Briefing: (text, file name) → Briefing, or PackError.
PackReader = Callable[[str, str], Briefing]
# Writes a briefing as pack text (YAML) that the reader loads back to the same briefing.
PackWriter = Callable[[Briefing], str]
# Reads the pack file an operator imports as `load` reads it, its sources' `text:` paths leading from the folder the
# store finds them from.
PackReading = Callable[[], Awaitable[Briefing]]


class PackFile(msgspec.Struct, frozen=True):
    """An exported pack: the file name to offer and its text."""

    name: str
    text: str
    # What the answer must say beside the file, in the reader's language, since the file alone does not ("" for nothing):
    # the `text:` paths an export leaves out.
    note: str = ""

log = logging.getLogger(__name__)

# The same lines come again and again (every page button re-asks its line): each is split once. A
# ParsedLine is immutable; a line that does not parse raises every time, as lru_cache keeps no exception.
_parsed = lru_cache(maxsize=256)(parse_line)

# Answers remembered per briefing version and language (see `_remembered`): a page of a list answer is
# about 1.6 KB beyond the briefing's own texts, which it shares, so this is at most ~0.8 MB per version
# asked that much (the shipped pack's lines and their pages are about 300, more than 256).
REPLIES_KEPT = 512
# A request's place: platform, space, channel, the channel it is a thread of (None: none) and the reader's language,
# what its channel's choices are kept by.
Place = tuple[str, str | None, str | None, str | None, str]
# Places whose choices and index are kept at the store's current look.
PLACES_KEPT = 1024
# Options bound per command, options and words (binding is pure, and the same lines come again and again).
BINDINGS_KEPT = 1024


class Choice(msgspec.Struct, frozen=True):
    """An autocomplete suggestion: what the user sees and the value that gets sent."""

    label: str
    value: str
    # The label's end that must stay whole when a platform shortens it: the id that tells a title apart from another
    # briefing's same title (`TitleIndex`), else nothing.
    keep: str = ""


class Bound(msgspec.Struct, frozen=True):  # built in C: a NamedTuple's `__new__` is Python, paid on every new line
    """A command's options, bound once: its arguments, the briefing its `briefing:` option names, its answers' key."""

    args: Args
    named: str
    key: tuple[object, ...]


class BriefingCore:
    """Answers every command from a repository; holds no platform knowledge."""

    def __init__(
        self,
        repository: BriefingStore,
        settings: CoreSettings | None = None,
        registry: Registry = COMMANDS,
        policy: AdminPolicy | None = None,
        pack_reader: PackReader | None = None,
        pack_writer: PackWriter | None = None,
        digests: DigestStore | None = None,
        choices: ChoiceStore | None = None,
        warm_indexes: bool = True,
        ends_on_store_errors: bool = False,
    ) -> None:
        self.repository = repository
        self.settings = settings or CoreSettings()
        self.policy = policy or AdminPolicy()
        # Parsing a pack's text (YAML) happens outside the core; the composition root passes the reader.
        self.pack_reader = pack_reader
        self.pack_writer = pack_writer
        self.registry = registry
        self.digests = digests
        self.choices = choices
        self._indexes = IndexCache(warm_indexes)  # False for one command in a process of its own (`ask`)
        # True for a process that answers one command (`ask`, `admin`): a store failure ends it, not a reply.
        self._ends_on_store_errors = ends_on_store_errors
        self._bound: Recent[tuple[str, tuple[tuple[str, str], ...], str], Bound] = Recent(BINDINGS_KEPT)
        self._here: Stamped[Place, Here] = Stamped(PLACES_KEPT)
        self._young = YoungCollector()
        self._listings = Listings()  # the listing of briefings last seen, and what was built from it

    def context(self, request: Request) -> Context:
        """What a handler gets for this request: digests compose their messages with it too."""
        return self._context(request)

    async def resolved(self, request: Request, named: str = "", here: Sequence[SpaceChoice] | None = None) -> Request:
        """The request with the briefing that answers it: named, else the channel's or space's choice, else the default."""
        found = await resolve(request, named, self.repository, self.choices, here)
        # `replace` rebuilds all 17 fields; most requests already name the briefing that answers them.
        return request if found.briefing_id == request.briefing_id else replace(request, briefing_id=found.briefing_id)

    async def _placed(self, request: Request, stamp: int | None) -> tuple[Request, Here, Place]:
        """What the request's channel decides at the look `stamp`; the request in the channel's fixed language; its place.

        Kept per place and look at the store: a channel already asked at this look reaches its index in one lookup.
        The channel's fixed language beats the reader's own (an admin fixed it for everyone there); it is set
        first, so even a refusal or a mistyped option is answered in it.
        """
        where = (request.platform, request.team_id, request.channel_id, request.parent_id, request.locale)
        here = self._here.get((stamp, where))
        if here is None:
            # Read once for both the language and the briefing: in a chat each read is a trip to the store's
            # thread, and under a burst those trips, queued, were what kept Discord answers from leaving in time.
            here = Here.of(await choices_here(request, self.choices))
            self._here.put(stamp, where, here)
        if here.language and here.language != request.locale:
            request = replace(request, locale=here.language)
            # Placed again in that language (an adapter's request, then its dispatch), it is found, not read again.
            placed = (request.platform, request.team_id, request.channel_id, request.parent_id, request.locale)
            if self._here.get((stamp, placed)) is None:
                self._here.put(stamp, placed, here)
        return request, here, where

    async def in_language_here(self, request: Request) -> Request:
        """The request in the language its answer will be in (a channel's fixed one beats the reader's), so a surface
        writes its own words (page buttons, labels, its forms) in that language too."""
        return (await self._placed(request, self.repository.stamp()))[0]

    def _context(
        self, request: Request, named: str = "", shown: BriefingIndex | None = None, part: Part | None = None, chosen_here: str | None = None,
    ) -> Context:
        return Context(
            request=request,
            cat=catalogue_for(request.locale),
            repository=self.repository,
            settings=self.settings,
            indexes=self._indexes,
            registry=self.registry,
            policy=self.policy,
            digests=self.digests,
            choices=self.choices,
            named=named,
            chosen_here=chosen_here,
            shown=shown,
            listings=self._listings,
            part=part,
        )

    def _part(self, spec: CommandSpec, request: Request, args: Args) -> Part | None:
        """What a process answering this one command reads of the briefing (`CommandSpec.reads`); None: all of it."""
        if spec.reads is None:
            return None
        near = BriefingIndex.latest_near(request.now) if "latest" in spec.reads else None
        # The search's hits, read as `Context.search` will ask for them (a Spanish reader's "O" is OR).
        found = search_query(args.get("text"), catalogue_for(request.locale).locale) if "found" in spec.reads else None
        keys = named_keys(args.get("item")) if "named" in spec.reads else ()
        topics = "topics" in spec.reads and bool(args.get("topic"))  # a topic is checked against every tag
        return Part(frozenset(spec.reads) - {"latest", "found", "named", "topics"}, near, found, keys, topics=topics)

    async def dispatch(self, request: Request) -> Reply:
        """Run one command; user errors become their message, anything else a logged generic reply."""
        self._young.request()
        asking = ASKING.set(Asking())
        try:
            refuse_surrogates(request)
            stamp = self.repository.stamp()
            request, here, where = await self._placed(request, stamp)
            admin = self.policy.allows(request)
            # "Did you mean" offers only what the reader may run: an admin, this surface's own commands too.
            spec = self.registry.resolve(request.command, admin, request.own_commands if admin else ())
            if spec.admin and not admin:
                log.warning("denied %s to %s user %s", spec.name, request.platform, request.user_id)
                raise self._denied(request)
            try:
                bound = self._bind(spec, request)
            except UserError as error:
                raise await self._exampled(error, spec, request, here.briefing_id) from None
            named = bool(bound.named or request.briefing_id)
            read_here = here.briefing_id  # what a line that names none reads here
            # The briefing an answer's hints must name: the line's, or a one-shot's --briefing, which its next run lacks.
            pinned = bound.named or ("" if request.briefing_stays else request.briefing_id or "")
            if named:
                if bound.named and request.briefing_id and request.briefing_stays:  # the console's --briefing, outranked by briefing:
                    read_here = (await self.resolved(request, "", here.choices)).briefing_id
                request = await self.resolved(request, bound.named, here.choices)  # a name is looked up in the store
            elif here.briefing_id is not None:
                request = replace(request, briefing_id=here.briefing_id)
            part = None if self._indexes.warm else self._part(spec, request, bound.args)  # a running bot reads every section
            shown = None if named or part is not None else here.read()
            index: BriefingIndex | None
            if spec.remembered:
                reply, index = await self._remembered(request, spec, bound, part, shown)
            else:
                ctx = self._context(request, (request.briefing_id or "") if pinned else "", shown, part, read_here)
                reply = ctx.noted(await spec.handler(ctx, bound.args))
                index = ctx.shown
            if shown is None and index is not None and not named and part is None:
                # Read at or after the look `stamp` was taken at: a request that wrote has moved the store past it.
                self._here.put(stamp, where, here.showing(index))
            return reply
        except UserError as error:
            if isinstance(error, StoreError):  # a busy, read-only or full store: the operator's to see, in one line
                log.warning("command %r refused for %s user %s: %s", request.command[:40], request.platform, request.user_id, error)
            return error_reply(catalogue_for(request.locale), error, request)
        except Exception as error:  # noqa: BLE001 - logged (or, ending a one-command process, raised) by `_failed`
            return self._failed(catalogue_for(request.locale), error, "command %r failed for %s user %s", request.command[:40], request.platform, request.user_id)
        finally:
            ASKING.reset(asking)

    def _failed(self, cat: Catalogue, error: Exception, doing: str, *args: object) -> Reply:
        """The generic reply to a failure nobody expected, logged; a store failure ends a one-command process instead.

        A damaged file is logged in its one line, which names the file, and an unreachable server in a warning's: their
        tracebacks would point at no code to fix.
        """
        if self._ends_on_store_errors and isinstance(error, StoreError):
            raise error  # the CLI says it in one line, exit status 2, as a failure at open (docs/troubleshooting.md)
        if isinstance(error, StoreUnreachable):  # an outage, expected: every command fails alike until the server is back
            log.warning("%s: %s", doing % args, error, extra=SERVER_DOWN)  # the console says it once an outage
        elif isinstance(error, DamagedStore):
            log.error("%s: %s", doing % args, error)
        else:
            log.error(doing, *args, exc_info=error)
        return generic_error(cat)

    async def left_space(self, platform: str, space_id: str) -> None:
        """The bot was removed from a server or workspace: its subscriptions end and its choices go, so no digest is tried
        there again and no briefing is held by a space nobody can reach (`briefbot briefings remove`). Never raises: the
        platform's event has nobody to answer, so a failure is logged."""
        if self.choices is None:
            return
        try:
            forgotten = await self.choices.forget_space(platform, space_id)
        except Exception:  # the operator's `briefbot briefings forget-space` does it again
            log.exception("forgetting %s space %s, which removed the bot, failed", platform, space_id)
            return
        log.info("left %s space %s: subscriptions ended %d, briefing choices forgotten %d", platform, space_id, *forgotten)

    def refusal(self, request: Request) -> Reply | None:
        """The admin gate asked for `request`'s admin command before a surface opens its form (a new briefing), so nobody
        fills one in only to be refused; None when the policy lets them (the core asks again when the form comes back)."""
        if self.policy.allows(request):
            return None
        log.warning("denied %s to %s user %s before its form or file", request.command[:20], request.platform, request.user_id)
        return error_reply(catalogue_for(request.locale), self._denied(request), request)

    def _denied(self, request: Request) -> UserError:
        """The gate's refusal naming the command as typed, with the value of a positional choice that says what it does
        (`/briefing action:new`): a surface's own word (`edit`, `import`) as it is."""
        ctx = self._context(request)
        try:
            spec = self.registry.resolve(request.command)
            option = spec.options_by_name.get(spec.positional or "")
            value = self._bind(spec, request).args.get(option.name) if option is not None and option.choices else None
        except UserError:  # a surface's own word, or options that do not bind: the command alone
            return ctx.denied(request.command)
        if option is None or not value:
            return ctx.denied(spec.name)
        words = request.command_words or ctx.cat.locale
        return ctx.denied(spec.name, quote_option(local_option(option.name, words), local_choice(str(value), words)))

    async def _exampled(self, error: UserError, spec: CommandSpec, request: Request, briefing_id: str | None) -> UserError:
        """A missing value's error with help's example from the briefing read here (`person Gustavo Petro`), where it has one."""
        if error.key != "args.missing_positional":
            return error
        ctx = self._context(request if request.briefing_id else replace(request, briefing_id=briefing_id))
        try:
            example = example_line(ctx.cat, spec, await ctx.localized())
        except UserError:  # no briefing here: the error as it was
            return error
        if not example:
            return error
        # Typed as commands are here ("/brief person Gustavo Petro" on Slack): the example's first word is the command's.
        return UserError("args.missing_positional_example", **error.params, example=ctx.slash(spec.name, example.partition(" ")[2]))

    def _bind(self, spec: CommandSpec, request: Request) -> Bound:
        """The request's options bound by its command (a user error naming the first bad one), each set bound once."""
        key = (spec.name, tuple(request.options.items()), request.text)
        bound = self._bound.get(key)
        if bound is None:
            args = spec.bind(request.options, request.text)
            named = args.values.get("briefing", "") if "briefing" in spec.options_by_name else ""
            values = tuple(args.values.items())  # one option or none (most lines) needs no sort
            bound = self._bound[key] = Bound(args, named, (spec.name, tuple(sorted(values)) if len(values) > 1 else values))
        return bound

    async def _remembered(
        self, request: Request, spec: CommandSpec, bound: Bound, part: Part | None, shown: BriefingIndex | None,
    ) -> tuple[Reply, BriefingIndex]:
        """The command's answer for this version of the briefing, in the reader's language, built once; and that index.

        Only for a command whose answer follows from those and its options alone (`CommandSpec.remembered`):
        the same page asked again costs a lookup, and the reply is the same object, so the renderers' own
        memories find it at once. The last REPLIES_KEPT answers of each version are kept; a new version
        starts with none, so an edit is seen at once. A refusal (a user error) is never kept.
        """
        index = shown or await self._indexes.get(self.repository, request.briefing_id, catalogue_for(request.locale), part)
        kept = index.memo("replies", _replies_kept)
        # The index is the briefing's version in the reader's language, so the key needs neither; a `briefing:`
        # option is among the values, so an answer that names its briefing in its page buttons is its own. A command an
        # answer tells the reader to type is in their menu's words and entered as there (a person's "more quotes" line).
        key = (bound.key, request.page_size, request.command_naming, request.options_in_fields)
        reply = kept.get(key)
        if reply is None:
            ctx = self._context(request, (request.briefing_id or "") if bound.named else "", index, part)
            reply = kept[key] = ctx.noted(await spec.handler(ctx, bound.args))
        return reply, index

    async def dispatch_line(self, line: str | Sequence[str], template: Request) -> Reply:
        """Parse a `command key:value …` line (console, Slack `/brief`), or take its words already split, each as it is
        (`briefbot admin`'s arguments, which the shell split), and dispatch it."""
        try:
            parsed = self._line(line) if isinstance(line, str) else self.registry.joined(parse_words(line))
        except UserError as error:
            return error_reply(catalogue_for(template.locale), error, template)
        return await self.dispatch(template.asking(parsed.command, dict(parsed.options), parsed.text))

    def _line(self, line: str) -> ParsedLine:
        """A line as every path reads it (run, posted, repeated), its command's name typed in two words joined (`por qué`)."""
        return self.registry.joined(_parsed(line))

    async def dispatch_again(self, line: str, template: Request) -> Reply:
        """Run a line a button carries again for whoever clicked (Slack's Post to channel); a line that changes something, or
        whose answer is a file, is refused, whatever button carried it (one from before `repeatable` kept it off, a forged one)."""
        refusal = self._unrepeatable(line)
        if refusal is not None:
            return error_reply(catalogue_for(template.locale), refusal, template)
        return await self.dispatch_line(line, template)

    def repeatable(self, line: str) -> bool:
        """Whether a surface may run `line` again by itself (Slack's Post to channel): only if it changes nothing
        (`CommandSpec.writes`) and answers with a reply, not a file (`CommandSpec.file`). A line that cannot run changes
        nothing: run again, it says what is wrong with it."""
        return self._unrepeatable(line) is None

    def posts_here(self, line: str) -> bool:
        """Whether `line`'s command makes the bot post in the channel later (`CommandSpec.posts`), so a surface that must ask
        its platform whether the bot can post there (an API call) asks for that line alone; a line that cannot run, never."""
        try:
            return self.registry.resolve(self._line(line).command).posts
        except UserError:
            return False

    def command_named(self, line: str) -> str:
        """The name of the command `line` runs, "" when it names none: what a log may say of a typed line, whose other
        words (a search for a person, an address) are the reader's own."""
        try:
            return self.registry.resolve(self._line(line).command).name
        except UserError:
            return ""

    def _unrepeatable(self, line: str) -> UserError | None:
        """Why `line` may not be run again by itself, None when it may."""
        try:
            parsed = self._line(line)
            spec = self.registry.resolve(parsed.command)
            if spec.file:  # its answer is the file a chat attaches: run again, only the console's words about it
                return UserError("reply.post_file", command=spec.name)
            # Most commands never write: every Slack answer asks this, so only a writing one binds its line again.
            if spec.writes and spec.changes(spec.bind(dict(parsed.options), parsed.text)):
                return UserError("reply.post_changes")
        except UserError:
            pass
        return None

    async def import_text(self, request: Request, text: str, file: str, apply: bool, approval: Approval | None = None) -> Reply:
        """Import pack text a chat attached: a dry run listing the changes, or the change.

        An Apply passes the dry run's `Reply.approval` back, so it never applies a diff nobody saw. A chat's attachment
        has no folder of its own: its `text:` paths lead from the stored one. The briefing compared is the one the
        request's `briefing` option names (as typed: an id or a title), else the channel's.
        """

        async def read() -> Briefing:
            if self.pack_reader is None:
                raise UserError("import.no_reader")
            # Off the loop's thread, as the export's writing is: a large pack's YAML takes seconds to parse and check.
            return await to_thread(self.pack_reader, text, file)

        return await self._import(request, text, file, apply, approval, read)

    async def import_file(self, request: Request, file: str, read: PackReading, apply: bool, approval: Approval | None = None) -> Reply:
        """Import the pack file an operator names (`briefbot admin import`), `read` as `load` reads it: a dry run, or the change."""
        return await self._import(request, "", file, apply, approval, read)

    async def _import(self, request: Request, text: str, file: str, apply: bool, approval: Approval | None, read: PackReading) -> Reply:
        """The admin gate, then the pack `read` compared with (or, applied, replacing) the briefing read here."""
        ctx = self._context(request)
        try:
            refuse_surrogates(request, text, file)
            if not self.policy.allows(request):
                log.warning("denied an import to %s user %s", request.platform, request.user_id)
                raise self._denied(request.asking("import", {}, ""))
            # The briefing `briefing:` names (an option of the chat's import), else the one this channel reads, is replaced.
            ctx = self._context(await self.resolved(request, request.options.get("briefing", "")))
            return await import_pack(ctx, await read(), apply, approval, file)
        except PackError as error:
            lines = problem_lines(error, ctx.cat)
            return Reply(title=ctx.cat("error.user_title"), text=ctx.cat(error.key, **error.params) + "\n" + "\n".join(lines), kind="error")
        except UserError as error:
            return error_reply(ctx.cat, error, request)
        except Exception as error:  # noqa: BLE001 - logged (or, ending a one-command process, raised) by `_failed`
            return self._failed(ctx.cat, error, "import from %s failed", request.platform)

    async def file(self, request: Request) -> PackFile | Reply:
        """A command answered with a file (`CommandSpec.file`: `calendar`, `export`) as a chat asks it, options and all
        (`briefing:` in the reader's words): the file, or the reply saying why not."""
        try:
            refuse_surrogates(request)
            spec = self.registry.resolve(request.command)
            bound = self._bind(spec, request)
        except UserError as error:
            return error_reply(catalogue_for(request.locale), error, request)
        made = self.export_pack if spec.name == "export" else self.calendar_file
        return await made(request, bound.named)

    async def export_pack(self, request: Request, named: str = "") -> PackFile | Reply:
        """The current briefing as a pack file for an admin (a chat upload), or the reply saying why not."""
        cat = catalogue_for(request.locale)
        try:
            refuse_surrogates(request)
            if not self.policy.allows(request):
                log.warning("denied an export to %s user %s", request.platform, request.user_id)
                raise self._denied(request.asking("export", {}, ""))
            if self.pack_writer is None:
                raise UserError("export.unavailable")
            request = await self.resolved(request, named)
            # Only the text paths the store reads, as `briefbot export` writes them: none a chat named passes for a pack file's.
            briefing, left_out = await readable_only(self.repository, await self.repository.briefing(request.briefing_id))
            # Off the loop's thread, as the calendar is: writing a pack's YAML would stall the loop, a large briefing's for seconds.
            text = await to_thread(self.pack_writer, briefing)
            # Said, as `briefbot export` says it on standard error: an admin who typed a path in a chat would find it gone.
            note = cat("export.texts_left_out", n=len(left_out), sources=", ".join(source.id for source in left_out)) if left_out else ""
            return PackFile(f"{briefing.id}-v{briefing.version}.yaml", text, note)
        except UserError as error:
            return error_reply(cat, error, request)
        except Exception as error:  # noqa: BLE001 - logged (or, ending a one-command process, raised) by `_failed`
            return self._failed(cat, error, "export for %s failed", request.platform)

    async def calendar_file(self, request: Request, named: str = "") -> PackFile | Reply:
        """`/calendar`: the briefing's session and timed agenda as an .ics file, for anyone who may read it."""
        cat = catalogue_for(request.locale)
        try:
            refuse_surrogates(request)
            request = await self.resolved(request, named)
            briefing = await self.repository.briefing(request.briefing_id)
            from bot.core.calendar import build_calendar, history  # only `/calendar` builds one

            # Off the loop's thread: building even the shipped pack's file would stall the loop, a large briefing's for seconds.
            text = await to_thread(build_calendar, briefing, *await history(self.repository, briefing), request.now, cat)
            return PackFile(f"{briefing.id}.ics", text)
        except UserError as error:
            return error_reply(cat, error, request)
        except Exception as error:  # noqa: BLE001 - logged (or, ending a one-command process, raised) by `_failed`
            return self._failed(cat, error, "calendar for %s failed", request.platform)

    async def form(self, request: Request, kind: str, item_id: str | None, at: int | None = None) -> Form | Reply:
        """An edit form for an admin (current values and revision) of the briefing its `briefing:` option names, else the
        channel's; or the reply saying why not. `at`: a submitted form's revision, whose values it showed (`edit_form`)."""
        cat = catalogue_for(request.locale)
        try:
            refuse_surrogates(request, kind, item_id or "")
            if not self.policy.allows(request):
                log.warning("denied a %s form to %s user %s", kind[:20], request.platform, request.user_id)
                raise self._denied(request if request.command else request.asking("set", {}, ""))  # the command asked for: add, edit, set
            found = await choices_here(request, self.choices)
            named = request.options.get("briefing", "")
            request = await self.resolved(request, named, found)  # named, as the command it opens would be
            index = await self._indexes.get(self.repository, request.briefing_id)
            from bot.core.admin.forms import edit_form  # only an admin's form

            form = await edit_form(self.repository, index, kind, item_id, at)
            here = chosen_here(found)
            # Decided as an edit's answer decides to name its briefing, so the form's title and its answer agree.
            far = bool(named) and await elsewhere(self.repository, form.briefing_id, None if here is None else here.briefing_id)
            return replace(form, elsewhere=True) if far else form
        except UserError as error:
            return error_reply(cat, error, request)
        except Exception as error:  # noqa: BLE001 - logged (or, ending a one-command process, raised) by `_failed`
            return self._failed(cat, error, "building a %s form failed", kind[:20])

    async def complete(self, request: Request, option: str, prefix: str) -> list[Choice]:
        """Up to `autocomplete_limit` suggestions for one option, best first; never raises."""
        asking = ASKING.set(Asking())  # a keystroke reads the channel's choices and the briefing, as a command does
        named: set[str] = set()  # the candidates offered by another of their names than the label shown
        try:
            refuse_surrogates(request, option, prefix)  # nothing could match it; it must not reach the log
            # Offered in the language the answer will come in: the channel's fixed one, else the reader's.
            request, here, _ = await self._placed(request, self.repository.stamp())
            spec = self.registry.resolve(request.command)
            wanted = spec.option(option)
            if wanted is None or wanted.complete is None:
                return []
            if wanted.complete == "commands":
                # The names the reader's menu shows them (a Spanish Discord: "cronología"), which help takes back.
                # An admin's too, as help lists and answers them for an admin (the one gate decides who is one), this
                # surface's own among them (Discord's /import).
                words = request.command_words or request.locale
                admin = self.policy.allows(request)
                names = [s.name for s in (self.registry.specs if admin else self.registry.public())] + list(request.own_commands if admin else ())
                candidates = [(local_command(name, words), local_command(name, words)) for name in names]
            elif wanted.complete == "fields":
                kind_name = _kind_named(request.options.get("kind", ""))
                kind = KINDS.get(kind_name)
                defined = kind.by_name if kind else {f.name: f for f in HEAD_FIELDS} if kind_name == HEAD else {}
                fields = kind.fields if kind else tuple(defined)
                lang = request.options.get("lang")  # a translation's: only the fields that take one
                words = request.command_words or request.locale  # named as the reader's menu names the options
                candidates = [(local_field(f, words), f) for f in fields if not lang or settable(defined[f])]
            elif wanted.complete == "briefings":
                titles = self._listings.current(await self.repository.briefings()).titles(request.locale)
                suggested = titles.suggest(prefix, self.settings.autocomplete_limit)
                return [Choice(label, value, id_tag(value) if label.endswith(id_tag(value)) else "") for label, value in suggested]
            else:
                # Suggest from the briefing the command will read: the one typed so far, else this channel's.
                request = await self.resolved(request, request.options.get("briefing", ""), here.choices)
                # Readers are offered what their answers show (questions, roles, topics in their language);
                # admins picking an item to edit, its id and stored text.
                shown = None if wanted.complete == "items" else catalogue_for(request.locale)
                index = await self._indexes.get(self.repository, request.briefing_id, shown)
                candidates = _candidates(index, wanted.complete, _kind_named(request.options.get("kind", "")))
                if wanted.complete == "sides":  # offered by any name `side:` takes ("eeuu", "US"), shown by its label
                    named = index.sides_starting(prefix)
        except UserError:
            return []
        except Exception:
            log.exception("autocomplete of %r failed", option)
            return []
        finally:
            ASKING.reset(asking)
        scored = [(max(match_score(prefix, label), 2 * (value in named)), n, label, value) for n, (label, value) in enumerate(candidates)]
        best = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))
        return [Choice(label, value) for _, _, label, value in best[: self.settings.autocomplete_limit]]


def _replies_kept() -> Recent[tuple[object, ...], Reply]:
    """A version's remembered answers, made when its first one is kept."""
    return Recent(REPLIES_KEPT)


def _kind_named(kind: str) -> str:
    """The kind an admin option names: `meeting` is the word for the only session."""
    return "session" if kind == MEETING_ID else kind


def _candidates(index: BriefingIndex, source: str, kind: str = "") -> list[tuple[str, str]]:
    briefing = index.briefing
    if source == "items":
        found = KINDS.get(kind)
        if found is None:
            return []
        items = getattr(briefing, found.section)
        return [(f"{item.id} · {_label(item)}"[:100], item.id) for item in items]
    if source == "sessions":
        return [(s.title, s.id) for s in in_order(briefing.sessions)]
    if source == "people":
        return [(p.name, p.name) for p in briefing.people]
    if source == "speakers":
        return [(p.name, p.name) for p in index.speakers]
    if source == "topics":
        return [(topic, topic) for topic in index.topics]
    if source == "faq":
        return [(entry.question, entry.question) for entry in briefing.faq]
    if source == "sides":
        return [(label, side_id) for side_id, label in index.sides.items()]
    if source == "roles":
        return sorted({(p.role, p.role) for p in briefing.people})
    return []


def _label(item: object) -> str:
    """What an item is called, for choosing it from a list."""
    for attribute in ("title", "name", "question", "words"):
        value = getattr(item, attribute, None)
        if isinstance(value, str):
            return value
    return ""


def generic_error(cat: Catalogue) -> Reply:
    """The fixed reply to a failure nobody expected, logged by whoever caught it: never the exception's own words."""
    return Reply(title=cat("error.title"), text=cat("error.internal"), kind="error")


def error_reply(cat: Catalogue, error: UserError, asked: Request) -> Reply:
    """A user error as a private reply whose text is the catalogue message, naming commands and options in the reader's words
    and a command to type as the platform `asked` came from takes it (Request.command_naming: "/brief usar" on Slack; a
    fixed value as Discord's list shows it, `tipo:pregunta frecuente`, where options are fields: Request.options_in_fields)."""
    params = in_readers_words(error.key, error.params, cat.locale, asked.command_naming, asked.options_in_fields)
    return Reply(
        title=cat("error.user_title"),
        text=cat(error.key, **params),
        kind="error",
        field_errors=tuple(error.field_errors.items()),
    )
