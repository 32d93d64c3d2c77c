"""Settings from config/*.yaml plus the environment; secrets only from the environment, masked in repr.

Every key at every level is checked strictly: a string is never a boolean (`"false"` is an error, not
True), a number is never a string, and an unknown key (a misspelling) is an error naming its path and the
keys allowed there. A setting that is wrong must stop the bot, never fall back to a default. An explicit
argument beats the environment, the environment beats the file. Problems raise ConfigError naming the
key; only the CLI turns that into an exit status. docs/configuration.md lists every setting.

The check is the few rules below, read from each field's type, rather than pydantic: importing pydantic
and building its validators weighed on every cold start, for a couple of dozen keys; its words for each
problem are kept.
"""

import math
import os
import re
import reprlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin
from urllib.parse import urlsplit

import msgspec
import msgspec.structs

from bot import settings_cache
from bot.core.digest.sending import MAX_RATE_LIMIT_WAIT
from bot.core.i18n import spoken_language
from bot.core.platforms import USER_IDS
from bot.errors import ConfigError
from bot.inputs import NotRegularFile, read_regular

DEFAULT_CONFIG = Path("config/briefbot.yaml")
# The most of a config file read: one is a few dozen lines, and `--config /dev/zero` must not fill the memory.
MAX_CONFIG_BYTES = 1_000_000
# A claim's least lease: twice the longest a send waits out rate limits, so that the send's deadline (half the
# lease, DigestSettings.send_deadline) leaves room for those waits, and a send is never still waiting (and then
# sending) when its claim may be taken for a dead process's and posted a second time.
LEAST_LEASE_SECONDS = 2 * MAX_RATE_LIMIT_WAIT
# PostgreSQL connections each process's pool may open (store.pool_size), besides the change listener's one; the
# store's own default, bot.store.POOL_SIZE (settings are read before the store is imported, so it is written here too).
POOL_SIZE = 10
# The environment variables of briefbot's own prefix; another BRIEFBOT_* is a misspelling, not ignored.
ENVIRONMENT = ("BRIEFBOT_CONFIG", "BRIEFBOT_DB")
ENV_PREFIX = "BRIEFBOT_"
# `scheme://` (RFC 3986's letters): text that names a server, never a file, whatever the scheme.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# Hosts a platform URL may name without TLS: this machine only (the fake platform servers of tests and measurements).
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# Said after a problem whose value is or holds a URL, in place of the value: a URL may hold a password.
NOT_SHOWN = "(the value is not shown: it holds a URL, which may hold a password)"
# Said of a store.url in the file that holds a password: the file, and the settings cache that copies it, hold no secret.
PASSWORD_IN_FILE = (
    "a password is not accepted in the settings file (secrets come only from the environment): write the URL without it"
    " (postgresql://user@host/database) and set PGPASSWORD in the environment, or give the whole URL as BRIEFBOT_DB"
)


class Rule(msgspec.Struct, frozen=True):
    """What a value must be beyond its type: bounds, a least length, a pattern, a check of its own."""

    ge: float | None = None
    le: float | None = None
    min_length: int | None = None
    pattern: str | None = None
    check: Any = None  # a function of the value, once its type is right: the value to keep, or ValueError
    unquoted: str = ""  # said when text belongs here and YAML read a number: how the value reads, and how to write it


def _not_empty(value: Any) -> Any:
    """An empty path would quietly mean the working directory; a URL (`postgresql://…`) is not a file's name."""
    if value == "":
        raise ValueError("a path must not be empty")
    if url_scheme(str(value)) is not None:
        raise ValueError("a URL is not a file path; a PostgreSQL server goes under store.url")
    return value


def _outlasts_a_send(seconds: int) -> int:
    """A lease a send may outlast would let another process reconcile it while it still waits, and post it twice."""
    if seconds < LEAST_LEASE_SECONDS:
        raise ValueError(
            f"must be at least {LEAST_LEASE_SECONDS:.0f} s, twice the {MAX_RATE_LIMIT_WAIT:.0f} s a digest send may wait out"
            " a rate limit: a shorter lease lets a send still waiting be taken for dead and posted twice"
        )
    return seconds


def _slack_member(value: str) -> str:
    """An admin id in any other form (a name, `@alice`, an address, `*`) would match nobody, so nobody would be admin."""
    if not USER_IDS["slack"].fullmatch(value):
        raise ValueError(
            "not a Slack member id (U or W, then capitals and digits, such as U0123ABCD: Copy member ID on the member's"
            " profile); a name, @mention, address or * matches nobody"
        )
    return value


def _token_url(secure: str) -> Callable[[str], str]:
    """The check of a URL the bot sends its token to: `secure`:// (TLS), or its plain form to this machine alone."""
    plain = secure.removesuffix("s")  # https → http, wss → ws

    def check(value: str) -> str:
        """The URL unchanged, or ValueError saying why the token must not go there."""
        parts = urlsplit(value)
        scheme = parts.scheme.lower()
        if scheme not in (secure, plain) or not parts.hostname:
            raise ValueError(f"expected a URL that starts {secure}:// and names a host")
        if "@" in parts.netloc:  # `user:pass@`: a second credential beside the token, in a value that gets logged
            raise ValueError("a user name or password in the URL is not accepted: the bot authenticates with its token alone")
        if scheme == plain and parts.hostname not in LOOPBACK:
            raise ValueError(f"{plain}:// would send the bot's token unencrypted; use {secure}:// ({plain}:// only to 127.0.0.1, localhost or ::1)")
        return value

    return check


def url_scheme(text: str) -> str | None:
    """The scheme of text written as `scheme://…`, else None: such text is never a file path."""
    match = _SCHEME.match(text)
    return match[1] if match else None


def postgres_url(text: str) -> str:
    """A postgresql:// or postgres:// URL, its scheme in lower case (as asyncpg reads it); ValueError for any other scheme,
    or a URL whose host, port or password cannot be read (said without quoting it), named where it was given."""
    scheme = url_scheme(text)
    if scheme is None or scheme.lower() not in ("postgresql", "postgres"):
        shown = f"a {scheme}:// URL" if scheme is not None else "not a URL"
        raise ValueError(f"expected a postgresql:// or postgres:// URL; got {shown}")
    # Here, only for a PostgreSQL URL: the store's reader of it, which the store opened with it imports anyway.
    from bot.store.postgres.address import url_problem

    if problem := url_problem(text):
        raise ValueError(problem)
    return scheme.lower() + text[len(scheme):]


# Every scalar is strict: "false" is never False and "5" never 5, which would hide typos. Sections and
# lists are lax only about their own shape (a YAML mapping becomes the section, a YAML list the tuple);
# tests/test_settings.py feeds every key a wrong type.
Text = Annotated[str, Rule(min_length=1)]
Id = Annotated[int, Rule(ge=1, le=2**63 - 1)]
# A time of day: YAML 1.1 reads an unquoted 7:30 as 450 (base 60), a number no one recognises as what they wrote.
Clock = Annotated[str, Rule(min_length=1, unquoted='unquoted, YAML reads a time as a number (7:30 as 450, the minutes in base 60); write it in quotes, such as "07:30"')]
Flag = bool
# YAML writes a path as a string; a number is never a path.
FilePath = Annotated[Path, Rule(check=_not_empty)]
# A PostgreSQL server (docs/deploy.md), its scheme in any case; any other scheme is a mistake, not a file name.
PostgresUrl = Annotated[str, Rule(check=postgres_url)]
# Where a platform's REST API (https) or gateway (wss) lives; its token goes there with every call.
ApiUrl = Annotated[str, Rule(check=_token_url("https"))]
GatewayUrl = Annotated[str, Rule(check=_token_url("wss"))]
SlackUserId = Annotated[str, Rule(check=_slack_member)]


class Secret:
    """A secret string whose repr and str never show the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The real value, for the one call that needs it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class Problem(NamedTuple):
    """One wrong key: where, what is wrong, and the value found (None for an unknown key)."""

    loc: tuple[int | str, ...]
    message: str
    value: Any = None
    unknown: bool = False


class _Checked(msgspec.Struct, frozen=True):
    """A section checked whenever it is built, from the file or in code (`SlackSettings(workspace_admins="false")`)."""

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        for name, hint in _hints(type(self)).items():
            msgspec.structs.force_setattr(self, name, _value(hint, getattr(self, name), (name,), problems))
        if problems:
            raise ConfigError("\n".join(_problem_lines(problems)))


class StoreSettings(_Checked, frozen=True):
    """config/'s `store:` section: where the database and the packs live."""

    path: FilePath = Path("var/briefbot.sqlite3")
    url: PostgresUrl | None = None  # instead of `path`: the store on a PostgreSQL server
    # PostgreSQL only: 2 at least, so a digest send's pacing turn (a connection held for its gap) leaves one for commands.
    pool_size: Annotated[int, Rule(ge=2, le=100)] = POOL_SIZE
    packs: FilePath = Path("data")

    @staticmethod
    def one_store(value: Mapping[str, Any]) -> None:
        """A file and a server at once cannot both be meant."""
        if "url" in value and "path" in value:
            raise ValueError("set url (PostgreSQL) or path (SQLite), not both")


class DiscordSettings(_Checked, frozen=True):
    """Where Discord lives and who administers the bot there."""

    api_base: ApiUrl = "https://discord.com/api/v10"
    gateway: GatewayUrl = "wss://gateway.discord.gg/"
    dev_guild_id: Id | None = None
    admin_role_ids: tuple[Id, ...] = ()
    admin_user_ids: tuple[Id, ...] = ()
    shard_count: Annotated[int, Rule(ge=1)] | None = None


class SlackSettings(_Checked, frozen=True):
    """Where the Slack Web API lives and who administers the bot there."""

    api_base: ApiUrl = "https://slack.com/api/"
    admin_user_ids: tuple[SlackUserId, ...] = ()
    workspace_admins: Flag = False


class DigestDefaults(_Checked, frozen=True):
    """config/'s `digests:` section: defaults for new subscriptions and the delivery windows."""

    time: Clock = "07:30"
    zone: Text | None = None  # unset: a new subscription takes its briefing's own first zone
    alerts: tuple[Text, ...] = ("24h", "1h", "start", "status")
    catch_up_hours: Annotated[float, Rule(ge=0, le=48)] = 6.0
    lease_seconds: Annotated[int, Rule(le=3600, check=_outlasts_a_send)] = 60


SECTIONS = ("store", "discord", "slack", "digests")


class ConfigFile(_Checked, frozen=True):
    """What config/briefbot.yaml may say, and nothing else: secrets have no key here."""

    store: StoreSettings = msgspec.field(default_factory=StoreSettings)
    default_briefing: Text | None = None
    # A language the bot has a catalogue for; "fr" or "spanish" is named as an error rather than read as English.
    locale: Annotated[str, Rule(min_length=1, check=spoken_language)] = "en"
    page_size: Annotated[int, Rule(ge=1, le=20)] = 5
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    discord: DiscordSettings = msgspec.field(default_factory=DiscordSettings)
    slack: SlackSettings = msgspec.field(default_factory=SlackSettings)
    digests: DigestDefaults = msgspec.field(default_factory=DigestDefaults)


class Settings(ConfigFile, frozen=True):
    """Everything the CLI needs to wire the bot: the file's settings plus the environment."""

    env: Mapping[str, str] = msgspec.field(default_factory=dict)
    file: Path | None = None  # the settings file read, if one was: a problem found after the read names it too

    def __repr__(self) -> str:
        """Every setting but the environment, which holds the secrets."""
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__struct_fields__ if name != "env")
        return f"Settings({shown})"

    @property
    def store_path(self) -> Path | str:
        """The SQLite file, or the PostgreSQL URL (BRIEFBOT_DB has already replaced the file's setting when set)."""
        return self.store.url or self.store.path

    @property
    def packs_dir(self) -> Path:
        """The folder of packs loaded into an empty store."""
        return self.store.packs

    def secret(self, name: str) -> Secret:
        """A secret from the environment; ConfigError naming it when it is missing or empty."""
        value = self.env.get(name, "").strip()
        if not value:
            raise ConfigError(f"{name} is not set; export it in the environment (see README).")
        return Secret(value)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """A section's fields and their types, rules included (read once per class).

    This module leaves out `from __future__ import annotations`, so the types are objects already and
    merging the classes' own annotations is all `typing.get_type_hints` would do: it evaluated each
    as a string again, at every start.
    """
    if cls not in _HINTS:
        _HINTS[cls] = {name: hint for klass in reversed(cls.__mro__) for name, hint in vars(klass).get("__annotations__", {}).items()}
    return _HINTS[cls]


# The words for a value of the wrong type, as pydantic (which checked these before) put them.
_TYPE_WORDS = {str: "a valid string", int: "a valid integer", float: "a valid number", bool: "a valid boolean"}


def _value(hint: Any, value: Any, loc: tuple[int | str, ...], problems: list[Problem]) -> Any:
    """`value` as `hint` wants it (a list as a tuple, text as a Path, a mapping as its section); else a problem, and `value`."""
    rule = Rule()
    if get_origin(hint) is Annotated:
        hint, rule = get_args(hint)[0], get_args(hint)[1]
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, UnionType):  # `X | None`
        return None if value is None else _value(args[0], value, loc, problems)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            problems.append(Problem(loc, "expected a list", value))
            return value
        return tuple(_value(args[0], item, (*loc, n), problems) for n, item in enumerate(value))
    if origin is Literal:
        if not any(type(value) is type(choice) and value == choice for choice in args):
            words = [repr(choice) for choice in args]
            problems.append(Problem(loc, f"Input should be {', '.join(words[:-1])} or {words[-1]}", value))
        return value
    if isinstance(hint, type) and issubclass(hint, msgspec.Struct):
        return value if isinstance(value, hint) else _section(hint, value, loc, problems)
    if origin is not None and issubclass(origin, Mapping):  # Settings.env, from the environment
        return value
    return _scalar(hint, rule, value, loc, problems)


def _scalar(kind: type, rule: Rule, value: Any, loc: tuple[int | str, ...], problems: list[Problem]) -> Any:
    """A string, number, flag or path of exactly that type (a whole number may be a decimal one), within its rule."""
    if kind is Path:
        if not isinstance(value, str | Path):
            problems.append(Problem(loc, "Input is not a valid path", value))
            return value
    elif not (type(value) is kind or (kind is float and type(value) is int)):
        unquoted = f": {rule.unquoted}" if rule.unquoted and type(value) in (int, float) else ""
        problems.append(Problem(loc, f"Input should be {_TYPE_WORDS[kind]}{unquoted}", value))
        return value
    wrong = None
    if kind is float and not math.isfinite(value):  # YAML's .nan passes every bound (each comparison is False)
        wrong = "Input should be a finite number"
    elif rule.min_length is not None and len(value) < rule.min_length:
        wrong = f"String should have at least {rule.min_length} character{'s' if rule.min_length > 1 else ''}"
    elif rule.pattern is not None and not re.match(rule.pattern, value):
        wrong = f"String should match pattern '{rule.pattern}'"
    elif rule.ge is not None and value < rule.ge:
        wrong = f"Input should be greater than or equal to {rule.ge}"
    elif rule.le is not None and value > rule.le:
        wrong = f"Input should be less than or equal to {rule.le}"
    if wrong is None and rule.check is not None:
        try:
            value = rule.check(value)
        except ValueError as error:
            wrong = f"Value error, {error}"
    if wrong is not None:
        problems.append(Problem(loc, wrong, value))
        return value
    return float(value) if kind is float else Path(value) if kind is Path else value


def _section(cls: type, value: Any, loc: tuple[int | str, ...], problems: list[Problem]) -> Any:
    """A section from its mapping: every key known and right, or problems naming each one that is not."""
    if loc and loc[-1] in SECTIONS and value is None:  # a section whose keys are all commented out: its defaults
        value = {}
    if not isinstance(value, Mapping):
        problems.append(Problem(loc, "expected a section of keys (a mapping)", value))
        return value
    if cls is StoreSettings:
        try:
            StoreSettings.one_store(value)
        except ValueError as error:
            problems.append(Problem(loc, f"Value error, {error}", value))
            return value
    hints = _hints(cls)
    before = len(problems)
    known = {name: _value(hints[name], item, (*loc, name), problems) for name, item in value.items() if name in hints}
    problems += [Problem((*loc, name), "unknown key", unknown=True) for name in value if name not in hints]
    url = (*loc, "url")  # the file's alone: BRIEFBOT_DB, from the environment, may hold the password
    if cls is StoreSettings and isinstance(known.get("url"), str) and all(problem.loc != url for problem in problems[before:]):
        from bot.store.postgres.address import holds_password  # imported by the url's own check already

        if holds_password(known["url"]):
            problems.append(Problem(url, f"Value error, {PASSWORD_IN_FILE}"))
    return cls(**known) if len(problems) == before else value


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the config file (BRIEFBOT_CONFIG or config/briefbot.yaml), check it, and apply the environment."""
    env = dict(os.environ if env is None else env)
    _check_environment(env)
    config_path = path or Path(env.get("BRIEFBOT_CONFIG") or DEFAULT_CONFIG)
    read = bool(config_path.exists() or path or env.get("BRIEFBOT_CONFIG"))
    raw, unkept = _read(config_path, env) if read else ({}, None)
    problems: list[Problem] = []
    file = _section(ConfigFile, raw, (), problems)
    if problems:
        raise ConfigError("\n".join(f"{config_path}: {line}" for line in _problem_lines(problems)))
    if unkept is not None:  # cached once checked: a file refused (a password in store.url, a token under a key) never is
        settings_cache.keep(settings_cache.cache_file(env), unkept, raw)
    store = _store_from_environment(file.store, env.get("BRIEFBOT_DB"))
    fields = {name: getattr(file, name) for name in file.__struct_fields__}
    return Settings(**{**fields, "store": store}, env=env, file=config_path if read else None)


def store_location(value: object) -> Path | str:
    """A store as named on the command line: a PostgreSQL URL stays text (a Path would fold its '//').

    Any other `scheme://` (`postgresql+asyncpg://`, `postgressql://`) is ValueError, never a SQLite file
    in folders named after the URL, password included.
    """
    text = str(value)
    return Path(text) if url_scheme(text) is None else postgres_url(text)


def _store_from_environment(store: StoreSettings, named: str | None) -> StoreSettings:
    """BRIEFBOT_DB, a file or a postgresql:// URL, in place of the config's store."""
    if not named:
        return store
    try:
        location = store_location(named)
    except ValueError as error:  # the value is not echoed: it may hold the password
        raise ConfigError(f"environment: BRIEFBOT_DB: {error}") from None
    if isinstance(location, str):
        return msgspec.structs.replace(store, url=location)
    return msgspec.structs.replace(store, path=location, url=None)


def _problem_lines(problems: Sequence[Problem]) -> list[str]:
    """One line per problem: the key's dotted path, what is wrong, and for an unknown key the allowed ones."""
    lines = []
    for problem in problems:
        where = ".".join(map(str, problem.loc))  # the file's keys as written (settings_yaml), a list's indexes
        if problem.loc[:2] == ("store", "url"):  # never echoed: a URL may hold the password (a check's words never quote it)
            said = problem.message.removeprefix("Value error, ")  # what its check said; of a wrong type, what it must be
            if said == problem.message:
                said = "expected a postgresql:// URL"
            # A malformed URL's own words show it with nothing of a password (`address.masked`); the others show none of it.
            shown = said.startswith("the store URL ")
            lines.append(f"{where}: {said}" + ("" if shown else " (the value is not shown: it may hold a password)"))
        elif problem.unknown:
            allowed = ", ".join(_allowed_keys(problem.loc[:-1]))
            lines.append(f"{where}: unknown key; allowed keys here: {allowed}")
        elif holds_url(problem.value):  # `store: postgresql://…`, both url and path: never echoed either
            lines.append(f"{where}: {problem.message} {NOT_SHOWN}")
        else:
            got = problem.value
            lines.append(f"{where}: {problem.message}; got {reprlib.repr(got)} ({type(got).__name__})")
    return lines


def holds_url(value: object) -> bool:
    """Whether a value, or any text inside it, is written as a URL: one may carry a password, so it is never printed."""
    if isinstance(value, Mapping):
        return any(holds_url(key) or holds_url(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(holds_url(item) for item in value)
    return isinstance(value, str) and "://" in value


def _allowed_keys(section: Sequence[int | str]) -> list[str]:
    """The keys the file accepts at a section's path, walking the schema the way the error's path does."""
    schema: Any = ConfigFile
    for part in section:  # only sections have keys, so each step is a Struct's field holding another
        schema = _hints(schema)[str(part)]
    return sorted(schema.__struct_fields__)


def _check_environment(env: Mapping[str, str]) -> None:
    """A BRIEFBOT_* variable briefbot does not read is a misspelling: name it rather than ignore it."""
    unknown = sorted(name for name in env if name.startswith(ENV_PREFIX) and name not in ENVIRONMENT)
    if unknown:
        raise ConfigError(f"environment: {', '.join(unknown)}: unknown variable; allowed: {', '.join(ENVIRONMENT)}")


def _read(path: Path, env: Mapping[str, str]) -> tuple[Mapping[str, Any], str | None]:
    """The file's top-level mapping, from the settings cache when it holds these very bytes; and the text, when it was
    parsed instead, for the cache to keep once the settings pass."""
    try:
        data = read_regular(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: a folder, not a config file; name the file (such as {path / 'briefbot.yaml'})") from None
    except NotRegularFile:
        raise ConfigError(f"{path}: the config file cannot be read: not a regular file (a pipe, device or socket)") from None
    except OSError as error:  # no permission, an I/O error: said as the system says it, without a traceback
        raise ConfigError(f"{path}: the config file cannot be read ({error.strerror})") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 1_000_000} MB; a config file is a few dozen lines")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid YAML (not UTF-8 text)") from None
    cached = settings_cache.cached(settings_cache.cache_file(env), text)
    if cached is not None:
        return cached, None
    from bot import settings_yaml  # PyYAML: only when the cache has no entry for these bytes

    parsed = settings_yaml.parse(path, text)
    if not isinstance(parsed, Mapping):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return parsed, text
