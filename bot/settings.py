"""Settings from config/*.yaml plus the environment; secrets only from the environment, masked in repr.

Every key at every level is checked strictly: a string is never a boolean (`"false"` is an error, not
True), a number is never a string, and an unknown key (a misspelling) is an error naming its path and the
keys allowed there. A setting that is wrong must stop the bot, never fall back to a default. An explicit
argument beats the environment, the environment beats the file. Problems raise ConfigError naming the
key; only the CLI turns that into an exit status. docs/configuration.md lists every setting.
"""

from __future__ import annotations

import dataclasses
import os
import reprlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, get_type_hints

import yaml
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    Strict,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

from bot.core.i18n import spoken_language
from bot.errors import ConfigError

DEFAULT_CONFIG = Path("config/briefbot.yaml")
# The environment variables of briefbot's own prefix; another BRIEFBOT_* is a misspelling, not ignored.
ENVIRONMENT = ("BRIEFBOT_CONFIG", "BRIEFBOT_DB")
ENV_PREFIX = "BRIEFBOT_"

# Unknown keys are errors. Every scalar below is Strict: pydantic's lax mode would turn "false" into False
# and "5" into 5, which hides typos. Sections and lists stay lax only about their own shape (a YAML
# mapping becomes the section, a YAML list the tuple); tests/test_settings.py feeds every key a wrong type.
FORBID = ConfigDict(extra="forbid")
Text = Annotated[str, Strict(), Field(min_length=1)]
Id = Annotated[int, Strict(), Field(ge=1, le=2**63 - 1)]
Flag = Annotated[bool, Strict()]


def _not_empty(value: Any) -> Any:
    """An empty path would quietly mean the working directory."""
    if value == "":
        raise ValueError("a path must not be empty")
    return value


# YAML writes a path as a string; pydantic's lax Path accepts only that (or a Path), never a number.
FilePath = Annotated[Path, BeforeValidator(_not_empty)]
URL_SCHEMES = ("postgresql://", "postgres://")
# A PostgreSQL server (docs/deploy.md); any other scheme is a mistake, not a file name.
PostgresUrl = Annotated[str, Strict(), Field(pattern=r"^postgres(ql)?://")]
# pydantic speaks of tuples and dataclass instances; a YAML author wrote a list or a section.
PLAIN_WORDS = {"tuple_type": "expected a list", "dataclass_type": "expected a section of keys (a mapping)"}
UNKNOWN_KEY = {"extra_forbidden", "unexpected_keyword_argument"}


class Secret(SecretStr):
    """A secret string whose repr and str never show the value."""

    def reveal(self) -> str:
        """The real value, for the one call that needs it."""
        return self.get_secret_value()


# Dataclasses (pydantic's, so built-in-code construction is checked too) keep `dataclasses.replace` and the
# class-level defaults that callers and tests already use.
@dataclass(frozen=True, config=FORBID)
class StoreSettings:
    """config/'s `store:` section: where the database and the packs live."""

    path: FilePath = Path("var/briefbot.sqlite3")
    url: PostgresUrl | None = None  # instead of `path`: the store on a PostgreSQL server
    packs: FilePath = Path("data")

    @model_validator(mode="before")
    @classmethod
    def _one_store(cls, value: Any) -> Any:
        """A file and a server at once cannot both be meant."""
        if isinstance(value, Mapping) and "url" in value and "path" in value:
            raise ValueError("set url (PostgreSQL) or path (SQLite), not both")
        return value


@dataclass(frozen=True, config=FORBID)
class DiscordSettings:
    """Where Discord lives and who administers the bot there."""

    api_base: Text = "https://discord.com/api/v10"
    gateway: Text = "wss://gateway.discord.gg/"
    dev_guild_id: Id | None = None
    admin_role_ids: tuple[Id, ...] = ()
    admin_user_ids: tuple[Id, ...] = ()
    shard_count: Annotated[int, Strict(), Field(ge=1)] | None = None


@dataclass(frozen=True, config=FORBID)
class SlackSettings:
    """Where the Slack Web API lives and who administers the bot there."""

    api_base: Text = "https://slack.com/api/"
    admin_user_ids: tuple[Text, ...] = ()
    workspace_admins: Flag = False


@dataclass(frozen=True, config=FORBID)
class DigestDefaults:
    """config/'s `digests:` section: defaults for new subscriptions and the delivery windows."""

    time: Text = "07:30"
    zone: Text = "America/Bogota"
    alerts: tuple[Text, ...] = ("24h", "1h", "start", "status")
    catch_up_hours: Annotated[float, Strict(), Field(ge=0, le=48)] = 6.0
    lease_seconds: Annotated[int, Strict(), Field(ge=5, le=3600)] = 60


SECTIONS = ("store", "discord", "slack", "digests")


@dataclass(frozen=True, config=FORBID)
class ConfigFile:
    """What config/briefbot.yaml may say, and nothing else: secrets have no key here."""

    store: StoreSettings = dataclasses.field(default_factory=StoreSettings)
    default_briefing: Text | None = None
    locale: Text = "en"
    page_size: Annotated[int, Strict(), Field(ge=1, le=20)] = 5
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    discord: DiscordSettings = dataclasses.field(default_factory=DiscordSettings)
    slack: SlackSettings = dataclasses.field(default_factory=SlackSettings)
    digests: DigestDefaults = dataclasses.field(default_factory=DigestDefaults)

    @field_validator("locale")
    @classmethod
    def _spoken(cls, value: str) -> str:
        """A language the bot has a catalogue for; "fr" or "spanish" is named as an error rather than read as English."""
        return spoken_language(value)

    @field_validator(*SECTIONS, mode="before")
    @classmethod
    def _empty_section(cls, value: Any) -> Any:
        """A section whose keys are all commented out is YAML null: it means the defaults."""
        return {} if value is None else value


@dataclass(frozen=True, config=FORBID)
class Settings(ConfigFile):
    """Everything the CLI needs to wire the bot: the file's settings plus the environment."""

    env: Mapping[str, str] = dataclasses.field(default_factory=dict, repr=False)

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


CONFIG_FILE = TypeAdapter(ConfigFile)


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the config file (BRIEFBOT_CONFIG or config/briefbot.yaml), check it, and apply the environment."""
    env = dict(os.environ if env is None else env)
    _check_environment(env)
    config_path = path or Path(env.get("BRIEFBOT_CONFIG") or DEFAULT_CONFIG)
    raw = _read(config_path) if config_path.exists() or path or env.get("BRIEFBOT_CONFIG") else {}
    try:
        file = CONFIG_FILE.validate_python(raw)
    except ValidationError as error:
        raise ConfigError("\n".join(f"{config_path}: {line}" for line in _problem_lines(error))) from None
    store = _store_from_environment(file.store, env.get("BRIEFBOT_DB"))
    fields = {field.name: getattr(file, field.name) for field in dataclasses.fields(file)}
    return Settings(**{**fields, "store": store}, env=env)


def store_location(value: object) -> Path | str:
    """A store as named on the command line: a PostgreSQL URL stays text (a Path would fold its '//')."""
    text = str(value)
    return text if text.startswith(URL_SCHEMES) else Path(text)


def _store_from_environment(store: StoreSettings, named: str | None) -> StoreSettings:
    """BRIEFBOT_DB, a file or a postgresql:// URL, in place of the config's store."""
    if not named:
        return store
    location = store_location(named)
    if isinstance(location, str):
        return dataclasses.replace(store, url=location)
    return dataclasses.replace(store, path=location, url=None)


def _problem_lines(error: ValidationError) -> list[str]:
    """One line per problem: the key's dotted path, what is wrong, and for an unknown key the allowed ones."""
    lines = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"])
        if problem["loc"][:2] == ("store", "url"):  # never echoed: a URL may hold the password
            lines.append(f"{where}: expected a postgresql:// URL (the value is not shown: it may hold a password)")
        elif problem["type"] in UNKNOWN_KEY:
            allowed = ", ".join(_allowed_keys(problem["loc"][:-1]))
            lines.append(f"{where}: unknown key; allowed keys here: {allowed}")
        else:
            got = problem["input"]
            wrong = PLAIN_WORDS.get(problem["type"], problem["msg"])
            lines.append(f"{where}: {wrong}; got {reprlib.repr(got)} ({type(got).__name__})")
    return lines


def _allowed_keys(section: Sequence[int | str]) -> list[str]:
    """The keys the file accepts at a section's path, walking the schema the way the error's path does."""
    schema: Any = ConfigFile
    for part in section:  # only sections have keys, so each step is a dataclass's field holding another
        schema = get_type_hints(schema)[str(part)]
    return sorted(field.name for field in dataclasses.fields(schema))


def _check_environment(env: Mapping[str, str]) -> None:
    """A BRIEFBOT_* variable briefbot does not read is a misspelling: name it rather than ignore it."""
    unknown = sorted(name for name in env if name.startswith(ENV_PREFIX) and name not in ENVIRONMENT)
    if unknown:
        raise ConfigError(f"environment: {', '.join(unknown)}: unknown variable; allowed: {', '.join(ENVIRONMENT)}")


MERGE_TAG = "tag:yaml.org,2002:merge"


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load that refuses a key written twice in one mapping, where PyYAML would silently keep the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """The mapping, once no key of it repeats."""
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:  # `<<: *defaults` brings keys in on purpose; the mapping's own may override
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue  # an unhashable key: the base class refuses it with its own error
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def _read(path: Path) -> Mapping[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader) or {}  # a SafeLoader: no Python objects
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid YAML (not UTF-8 text)") from None
    except yaml.MarkedYAMLError as error:
        where = f" at line {error.problem_mark.line + 1}" if error.problem_mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}: {error.problem}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({type(error).__name__})") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data
