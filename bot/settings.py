"""Settings from config/*.yaml plus the environment; secrets only from the environment, masked in repr.

An explicit argument beats the environment, the environment beats the file. Problems raise
ConfigError naming the key; only the CLI turns that into an exit status.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigError

DEFAULT_CONFIG = Path("config/briefbot.yaml")


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

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """Where Discord lives and who administers the bot there."""

    api_base: str = "https://discord.com/api/v10"
    gateway: str = "wss://gateway.discord.gg/"
    dev_guild_id: int | None = None
    admin_role_ids: tuple[int, ...] = ()
    admin_user_ids: tuple[int, ...] = ()
    shard_count: int | None = None


@dataclass(frozen=True, slots=True)
class SlackSettings:
    """Where the Slack Web API lives and who administers the bot there."""

    api_base: str = "https://slack.com/api/"
    admin_user_ids: tuple[str, ...] = ()
    workspace_admins: bool = False


@dataclass(frozen=True, slots=True)
class DigestDefaults:
    """config/'s `digests:` section: defaults for new subscriptions and the delivery windows."""

    time: str = "07:30"
    zone: str = "America/Bogota"
    alerts: tuple[str, ...] = ("24h", "1h", "start", "status")
    catch_up_hours: float = 6.0
    lease_seconds: int = 60


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the CLI needs to wire the bot."""

    store_path: Path | str = Path("var/briefbot.sqlite3")  # a SQLite file, or a postgresql:// URL (kept a string)
    packs_dir: Path = Path("data")
    default_briefing: str | None = None
    locale: str = "en"
    page_size: int = 5
    log_level: str = "INFO"
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    digests: DigestDefaults = field(default_factory=DigestDefaults)
    env: Mapping[str, str] = field(default_factory=dict, repr=False)

    def secret(self, name: str) -> Secret:
        """A secret from the environment; ConfigError naming it when it is missing or empty."""
        value = self.env.get(name, "").strip()
        if not value:
            raise ConfigError(f"{name} is not set; export it in the environment (see README).")
        return Secret(value)


# Instances, not the classes: a slots dataclass's class attributes are descriptors, not the defaults.
_DISCORD, _SLACK, _DIGESTS = DiscordSettings(), SlackSettings(), DigestDefaults()


def store_location(value: object) -> Path | str:
    """A store as configured: a PostgreSQL URL stays text (a Path would fold its '//'), anything else is a file."""
    text = str(value)
    return text if text.startswith(("postgresql://", "postgres://")) else Path(text)


def _store_location(store: Mapping[str, Any], env: Mapping[str, str]) -> Path | str:
    """BRIEFBOT_DB, else store.url (a PostgreSQL server) or store.path (a SQLite file), never both."""
    if "url" in store and "path" in store:
        raise ValueError("store: set url (PostgreSQL) or path (SQLite), not both")
    url = store.get("url")
    if url is not None and not str(url).startswith(("postgresql://", "postgres://")):
        raise ValueError("store.url: expected a postgresql:// URL")
    return store_location(env.get("BRIEFBOT_DB") or url or store.get("path") or "var/briefbot.sqlite3")


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the config file (BRIEFBOT_CONFIG or config/briefbot.yaml) and apply the environment."""
    env = dict(os.environ if env is None else env)
    config_path = path or Path(env.get("BRIEFBOT_CONFIG") or DEFAULT_CONFIG)
    raw = _read(config_path) if config_path.exists() or path or env.get("BRIEFBOT_CONFIG") else {}
    try:
        store = _section(raw, "store")
        discord = _section(raw, "discord")
        slack = _section(raw, "slack")
        digests = _section(raw, "digests")
        settings = Settings(
            store_path=_store_location(store, env),
            packs_dir=Path(store.get("packs") or "data"),
            default_briefing=_optional_str(raw, "default_briefing"),
            locale=str(raw.get("locale") or "en"),
            page_size=_int(raw.get("page_size", 5), "page_size", 1, 20),
            log_level=str(raw.get("log_level") or "INFO").upper(),
            discord=DiscordSettings(
                api_base=str(discord.get("api_base") or _DISCORD.api_base),
                gateway=str(discord.get("gateway") or _DISCORD.gateway),
                dev_guild_id=_optional_int(discord.get("dev_guild_id"), "discord.dev_guild_id"),
                admin_role_ids=_ints(discord.get("admin_role_ids"), "discord.admin_role_ids"),
                admin_user_ids=_ints(discord.get("admin_user_ids"), "discord.admin_user_ids"),
                shard_count=_optional_int(discord.get("shard_count"), "discord.shard_count"),
            ),
            slack=SlackSettings(
                api_base=str(slack.get("api_base") or _SLACK.api_base),
                admin_user_ids=tuple(str(u) for u in slack.get("admin_user_ids") or ()),
                workspace_admins=bool(slack.get("workspace_admins", False)),
            ),
            digests=DigestDefaults(
                time=str(digests.get("time") or _DIGESTS.time),
                zone=str(digests.get("zone") or _DIGESTS.zone),
                alerts=_words(digests.get("alerts", list(_DIGESTS.alerts)), "digests.alerts"),
                catch_up_hours=_number(digests.get("catch_up_hours", _DIGESTS.catch_up_hours), "digests.catch_up_hours", 0, 48),
                lease_seconds=_int(digests.get("lease_seconds", _DIGESTS.lease_seconds), "digests.lease_seconds", 5, 3600),
            ),
            env=env,
        )
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{config_path}: {error}") from None
    return settings


def _read(path: Path) -> Mapping[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid YAML ({type(error).__name__})") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def _section(raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{name}: expected a mapping")
    return value


def _optional_str(raw: Mapping[str, Any], name: str) -> str | None:
    value = raw.get(name)
    return None if value in (None, "") else str(value)


def _int(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name}: expected a whole number from {low} to {high}")
    return value


def _optional_int(value: Any, name: str) -> int | None:
    return None if value is None else _int(value, name, 1, 2**63 - 1)


def _ints(value: Any, name: str) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError(f"{name}: expected a list of ids")
    return tuple(_int(item, name, 1, 2**63 - 1) for item in value)


def _number(value: Any, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"{name}: expected a number from {low:g} to {high:g}")
    return float(value)


def _words(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{name}: expected a list of words")
    return tuple(value)
