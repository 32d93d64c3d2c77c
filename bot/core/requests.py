"""What an adapter hands the core: one command with its arguments and who asked, where and when."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import msgspec


class CannotPost(msgspec.Struct, frozen=True):
    """Why the bot cannot post in a request's channel, as its platform told the adapter: the catalogue key saying what to do,
    with the bot's name and the catalogue keys of what it lacks there (a permission's name), so the core tells it in the
    reader's language without knowing the platform."""

    key: str
    bot: str = ""
    missing: tuple[str, ...] = ()


class Request(msgspec.Struct, frozen=True):
    """A platform-neutral command invocation; `now` is injected so answers are reproducible."""

    command: str
    now: datetime
    # Required: where the request came from, which its ids and mentions belong to (trust is `operator`'s alone).
    platform: str
    options: Mapping[str, str] = msgspec.field(default_factory=dict)
    text: str = ""
    user_id: str = "local"
    roles: frozenset[str] = frozenset()
    channel_id: str | None = None
    team_id: str | None = None
    locale: str = "en"
    briefing_id: str | None = None
    # The platform's own word that this user administers the space (Discord: Manage Server; Slack:
    # workspace admin or owner). A fact, not a decision: the core's gate decides what it grants.
    platform_admin: bool = False
    # The catalogue key of the hint saying how to apply an import's dry run in this surface's own
    # syntax (a chat's Apply button and options, the CLI's flags), so the core never names a platform.
    import_hint: str = "import.apply_hint"
    # The catalogue key saying who can make this reader an admin, in their platform's terms (Discord's roles, Slack's
    # workspace admins), so the admin gate's refusal never names a platform itself.
    grant_hint: str = "admin.grant"
    # The catalogue key saying how a reader makes a new briefing the one that answers them where `use` cannot choose it, as
    # there is no server or workspace here: the console's and the CLI's --briefing, a chat's channels.
    choose_hint: str = "briefing_new.choose_channel"
    # Whether this place's next command reads `briefing_id` again (the console's --briefing) or not (a one-shot
    # `briefbot admin --briefing`, whose next run reads the default): a hint to type next names it only in the latter.
    briefing_stays: bool = True
    # Items per page of a list answer; 0: the core's setting. A terminal has room for more than a chat.
    page_size: int = 0
    # How commands are typed here, so answers name them as the reader can type them: the language of the command names
    # the reader's menu shows (Discord: their client's, "/cronología"; "": the answer's, as the console takes both), and
    # the one slash command every command follows where some have none of their own (Slack: "brief", as a built-in
    # /search or an admin command left out of the manifest).
    command_words: str = ""
    slash_command: str = ""
    # True where the reader fills each option in a field of its own (Discord's slash commands): an answer shows a value
    # they entered, and a fixed value as the option's list shows it (`pregunta frecuente`), as it is, and a hint never
    # gives a command's extra `name:value` options (`CommandSpec.extra_options`: set's and add's item fields), which have
    # no field there, but `field:` and `value:` or the form. False where they type one line (the console, Slack): quoted
    # as the line parser reads it back, extra options and all.
    options_in_fields: bool = False
    # Known: the bot cannot post in this channel (it lacks a permission there, or was never invited), and why. None: it
    # can, or that is not known (the console; a platform check the app may not make, or that failed). A surface that
    # must ask its platform asks only for a command whose effect is the bot's posts there later (`CommandSpec.posts`).
    cannot_post: CannotPost | None = None
    # The channel this conversation belongs to, when it is one of its own inside another (a Discord thread or forum post):
    # where the conversation chose nothing itself, that channel's choices answer. None: a channel of its own.
    parent_id: str | None = None
    # True when the options are a form's answers, each typed in an input of its own: a list of texts there is one item a
    # line (an aim may hold a comma), where a line typed with `set` separates them with commas.
    form: bool = False
    # The conversation is a direct message (with the bot, or among people), no channel of a server or workspace: a command
    # whose effect is the bot's posts there later (subscribe) is refused, however its platform lets it be typed there.
    direct: bool = False
    # The admin commands this surface offers beside the core's, by name (Slack's `edit` form, a chat's `import` of a pack
    # file): help lists and explains them (`help.<name>`) as it does the core's, and "did you mean" offers them to admins.
    own_commands: tuple[str, ...] = ()
    # The operator's own surfaces (the console, the command line) set it, never a chat's: the operator passes every
    # admin gate, names any channel (`subscribe platform: channel:`) and imports from a file path. Off unless set, so
    # a request that forgot it is nobody's.
    operator: bool = False
    # The options the operator gave the command line (" --db FILE --locale es"), which a command it is told to run next
    # repeats, so that one acts on the same store in the same language (an import's apply); "" elsewhere.
    given_options: str = ""
    # The platform's word for this one delivery of the request (Slack: a hash of its signature), which the store records
    # with the revision a write makes, so a copy replayed to another process, or after a restart, writes nothing. None:
    # a request no one else can send again (the console, the command line, Discord's interactions, Slack's Socket Mode).
    delivery: str | None = None

    @property
    def command_naming(self) -> tuple[str, str]:
        """What an answer that names commands depends on besides its language: a key part for answers kept."""
        return self.command_words, self.slash_command

    def asking(self, command: str, options: Mapping[str, str], text: str) -> Request:
        """This request for another command line: every chat line builds one, and `replace` costs three times this."""
        return Request(command, self.now, self.platform, options, text, self.user_id, self.roles, self.channel_id,
                       self.team_id, self.locale, self.briefing_id, self.platform_admin, self.import_hint, self.grant_hint,
                       self.choose_hint, self.briefing_stays, self.page_size,
                       self.command_words, self.slash_command, self.options_in_fields, self.cannot_post, self.parent_id,
                       self.form, self.direct, self.own_commands, self.operator, self.given_options, self.delivery)
