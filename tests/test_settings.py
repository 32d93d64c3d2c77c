"""Settings: file, environment and arguments in that order of strength; secrets masked; clear errors."""

from __future__ import annotations

import os
import re
import tracemalloc
import typing
from pathlib import Path

import pytest
import yaml

from bot.cli.wiring import digest_settings
from bot.core.digest.sending import MAX_RATE_LIMIT_WAIT
from bot.errors import ConfigError
from bot.settings import MAX_CONFIG_BYTES, SECTIONS, ConfigFile, DiscordSettings, Secret, Settings, SlackSettings, load_settings
from tests.cli_support import briefbot
from tests.process_support import read_without_a_writer

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_loads():
    settings = load_settings(ROOT / "config" / "briefbot.yaml", env={})
    assert settings.default_briefing is None  # the quick starts' `load --default` and `briefings default` work with it
    assert settings.discord.api_base == "https://discord.com/api/v10"
    assert settings.slack.api_base == "https://slack.com/api/"


def test_environment_overrides_the_database_path(tmp_path):
    settings = load_settings(ROOT / "config" / "briefbot.yaml", env={"BRIEFBOT_DB": str(tmp_path / "x.db")})
    assert settings.store_path == tmp_path / "x.db"


def test_missing_secret_names_itself():
    settings = load_settings(ROOT / "config" / "briefbot.yaml", env={})
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        settings.secret("DISCORD_TOKEN")


def test_secret_is_masked_everywhere():
    settings = load_settings(ROOT / "config" / "briefbot.yaml", env={"SLACK_BOT_TOKEN": "xoxb-very-secret"})
    secret = settings.secret("SLACK_BOT_TOKEN")
    assert secret.reveal() == "xoxb-very-secret"
    assert "very-secret" not in repr(secret) + str(secret) + f"{secret}" + repr(settings)
    assert Secret("a") == Secret("a") != Secret("b")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("page_size: 0\n", "page_size: Input should be greater than or equal to 1; got 0 (int)"),
        ("page_size: 21\n", "page_size: Input should be less than or equal to 20; got 21 (int)"),
        ("digests:\n  catch_up_hours: 48.5\n", "digests.catch_up_hours: Input should be less than or equal to 48; got 48.5 (float)"),
        ("discord: [1, 2]\n", "discord: expected a section of keys (a mapping); got [1, 2] (list)"),
        ("discord:\n  admin_role_ids: 5\n", "discord.admin_role_ids: expected a list; got 5 (int)"),
        ("- just\n- a list\n", "expected a mapping at the top level"),
        # YAML's `[]`, `0` and `false` were once read as an empty file: every setting its default.
        ("[]\n", "expected a mapping at the top level"),
        ("0\n", "expected a mapping at the top level"),
        ("false\n", "expected a mapping at the top level"),
        # NaN passes every bound (each comparison with it is False), and crashed the digest loop later.
        ("digests:\n  catch_up_hours: .nan\n", "digests.catch_up_hours: Input should be a finite number; got nan (float)"),
        ("digests:\n  catch_up_hours: -.inf\n", "digests.catch_up_hours: Input should be a finite number; got -inf (float)"),
        ("key: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_settings_name_the_key(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(path, env={})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # A string is never a boolean: bool("false") is True, which once made every workspace admin a bot admin.
        ('slack:\n  workspace_admins: "false"\n', "slack.workspace_admins: Input should be a valid boolean; got 'false' (str)"),
        ("slack:\n  workspace_admins: 1\n", "slack.workspace_admins: Input should be a valid boolean; got 1 (int)"),
        # …and never a number or an id.
        ('page_size: "5"\n', "page_size: Input should be a valid integer; got '5' (str)"),
        ("page_size: true\n", "page_size: Input should be a valid integer; got True (bool)"),
        ('discord:\n  admin_user_ids: ["111"]\n', "discord.admin_user_ids.0: Input should be a valid integer; got '111' (str)"),
        ("discord:\n  dev_guild_id: 1.5\n", "discord.dev_guild_id: Input should be a valid integer; got 1.5 (float)"),
        ("discord:\n  shard_count: 0\n", "discord.shard_count: Input should be greater than or equal to 1"),
        ("slack:\n  admin_user_ids: [U1, 7]\n", "slack.admin_user_ids.1: Input should be a valid string; got 7 (int)"),
        ("slack:\n  api_base: 5\n", "slack.api_base: Input should be a valid string; got 5 (int)"),
        # YAML 1.1 reads an unquoted 7:30 as 450 (base 60): "a valid string; got 450" alone said nothing of why.
        ("digests:\n  time: 7:30\n", 'digests.time: Input should be a valid string: unquoted, YAML reads a time as a number (7:30 as 450,'
                                     ' the minutes in base 60); write it in quotes, such as "07:30"; got 450 (int)'),
        ("digests:\n  alerts: 24h\n", "digests.alerts: expected a list; got '24h' (str)"),
        ('digests:\n  catch_up_hours: "6"\n', "digests.catch_up_hours: Input should be a valid number; got '6' (str)"),
        ("digests:\n  lease_seconds: 60.5\n", "digests.lease_seconds: Input should be a valid integer; got 60.5 (float)"),
        ("store:\n  path: 5\n", "store.path: Input is not a valid path"),
        ("store:\n  pool_size: 1\n", "store.pool_size: Input should be greater than or equal to 2; got 1 (int)"),
        ('store:\n  pool_size: "5"\n', "store.pool_size: Input should be a valid integer; got '5' (str)"),
        ('store:\n  packs: ""\n', "store.packs: Value error, a path must not be empty; got '' (str)"),
        ("log_level: info\n", "log_level: Input should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'"),
        ("locale: 7\n", "locale: Input should be a valid string; got 7 (int)"),
        ('default_briefing: ""\n', "default_briefing: String should have at least 1 character"),
    ],
)
def test_every_value_is_type_checked_strictly(tmp_path, content, message):
    path = tmp_path / "strict.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=re.escape(f"{path}: {message}")):
        load_settings(path, env={})


def wrong_value(hint: object) -> object:
    """A value of the wrong type for a key of this type: what lax parsing would have accepted."""
    kinds = set(typing.get_args(hint)) | {typing.get_origin(hint) or hint}
    if bool in kinds:
        return "false"
    if kinds & {int, float}:
        return "5"
    if tuple in kinds:
        return "24h"
    return 5  # strings, paths and choices


def keys(schema: type, section: str | None) -> list[tuple[str | None, str, object]]:
    return [(section, name, hint) for name, hint in typing.get_type_hints(schema).items() if name not in SECTIONS]


SCHEMA = typing.get_type_hints(ConfigFile)
ALL_KEYS = keys(ConfigFile, None) + [key for name in SECTIONS for key in keys(SCHEMA[name], name)]


def test_the_walk_finds_every_key():
    assert len(ALL_KEYS) == 4 + 6 + 3 + 5 + 4  # store: path, url, pool_size, packs


@pytest.mark.parametrize(("section", "key", "hint"), ALL_KEYS, ids=[f"{s}.{k}" for s, k, _ in ALL_KEYS])
def test_every_key_refuses_a_value_of_the_wrong_type(tmp_path, section, key, hint):
    # Walks the schema, so a key added later without a strict type fails here.
    path = tmp_path / "wrong.yaml"
    entry = {key: wrong_value(hint)}
    path.write_text(yaml.safe_dump({section: entry} if section else entry))
    where = f"{section}.{key}" if section else key
    with pytest.raises(ConfigError, match=re.escape(f"{path}: {where}")):
        load_settings(path, env={})


@pytest.mark.parametrize(
    ("content", "where", "allowed"),
    [
        ("admin_user_id: [1]\n", "admin_user_id", "default_briefing, digests, discord, locale, log_level, page_size, slack, store"),
        ("discord:\n  admin_user_id: [1]\n", "discord.admin_user_id", "admin_role_ids, admin_user_ids, api_base, dev_guild_id, gateway, shard_count"),
        ("slack:\n  workspace_admin: true\n", "slack.workspace_admin", "admin_user_ids, api_base, workspace_admins"),
        ("digests:\n  zones: UTC\n", "digests.zones", "alerts, catch_up_hours, lease_seconds, time, zone"),
        ("store:\n  db: x.sqlite3\n", "store.db", "packs, path"),
        # Secrets have no key in the file: they come only from the environment.
        ("discord:\n  token: abc\n", "discord.token", "admin_role_ids"),
        ("env:\n  DISCORD_TOKEN: abc\n", "env", "default_briefing"),
        # Named as written: Python's None and True are no words of the file, nor YAML 1.1's `true` for `on`.
        ("null: 1\n", "null", "default_briefing"),
        ("~: 1\n", "~", "default_briefing"),
        ("slack:\n  on: 1\n", "slack.on", "admin_user_ids"),
        ("digests: {Off: 1}\n", "digests.Off", "alerts"),
        ("store:\n  0x10: 1\n", "store.0x10", "packs, path"),
    ],
)
def test_unknown_keys_are_named_with_the_allowed_ones(tmp_path, content, where, allowed):
    path = tmp_path / "typo.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=re.escape(f"{path}: {where}: unknown key; allowed keys here: {allowed}")):
        load_settings(path, env={})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # PyYAML alone keeps the last of two equal keys, so the first would be ignored without a word.
        ("slack:\n  workspace_admins: false\n  workspace_admins: true\n", "not valid YAML at line 3: duplicate key 'workspace_admins'"),
        ("slack:\n  admin_user_ids: [U1]\nlocale: en\nslack:\n  api_base: x\n", "not valid YAML at line 4: duplicate key 'slack'"),
    ],
)
def test_a_key_written_twice_is_named(tmp_path, content, message):
    path = tmp_path / "twice.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=re.escape(f"{path}: {message}")):
        load_settings(path, env={})


@pytest.mark.parametrize("character", ["\x00", "\x07"])
def test_a_control_character_is_named_at_its_line_and_column(tmp_path, character):
    """It was "not valid YAML (ReaderError)": a class name, and no place."""
    path = tmp_path / "control.yaml"
    path.write_text(f'page_size: 5\nlocale: "é{character}es"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert str(raised.value) == (f"{path}: not valid YAML at line 2, column 11: the control character U+{ord(character):04X} is not"
                                 " allowed; delete it (retype the text around it if your editor does not show it)")


def test_a_yaml_merge_may_still_be_overridden(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text("digests:\n  <<: {time: '08:00', zone: UTC}\n  time: '09:00'\n")
    digests = load_settings(path, env={}).digests
    assert (digests.time, digests.zone) == ("09:00", "UTC")


def test_every_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text('page_size: "5"\nslack:\n  workspace_admins: "no"\n  admin_user_id: [U1]\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    lines = str(raised.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["page_size", "slack.workspace_admins", "slack.admin_user_id"]


def test_an_empty_section_means_its_defaults(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("discord:\nslack:\n")
    settings = load_settings(path, env={})
    assert settings.discord == DiscordSettings() and settings.slack == SlackSettings()


def test_the_shipped_values_load_with_their_types():
    settings = load_settings(ROOT / "config" / "briefbot.yaml", env={})
    assert settings.slack.workspace_admins is False and settings.page_size == 5
    assert settings.digests.catch_up_hours == 6.0 and settings.digests.alerts == ("24h", "1h", "start", "status")
    assert settings.discord.admin_role_ids == () and settings.discord.dev_guild_id is None


def test_a_misspelt_briefbot_variable_is_named(tmp_path):
    with pytest.raises(ConfigError, match=re.escape("environment: BRIEFBOT_DATABASE: unknown variable; allowed: BRIEFBOT_CONFIG, BRIEFBOT_DB")):
        load_settings(ROOT / "config" / "briefbot.yaml", env={"BRIEFBOT_DATABASE": str(tmp_path / "x.db")})


def test_other_variables_of_the_environment_are_not_ours(tmp_path):
    settings = load_settings(ROOT / "config" / "briefbot.yaml", env={"HOME": str(tmp_path), "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.secret("SLACK_APP_TOKEN").reveal() == "xapp-1"


def test_settings_built_in_code_are_checked_too():
    with pytest.raises(ConfigError, match=re.escape("workspace_admins: Input should be a valid boolean; got 'false' (str)")):
        SlackSettings(workspace_admins="false")  # type: ignore[arg-type]


def test_settings_built_in_code_check_the_keys_they_inherit():
    # Settings declares only `env`; its other keys come from ConfigFile, and the check reads those types too.
    with pytest.raises(ConfigError, match=re.escape("page_size: Input should be less than or equal to 20; got 21 (int)")):
        Settings(page_size=21)
    assert Settings(page_size=20).page_size == 20


def test_missing_config_file_given_explicitly(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "nope.yaml", env={})


def test_a_config_that_is_a_pipe_or_a_device_or_too_large_is_refused_at_once(tmp_path):
    """`--config /dev/zero` read until memory ran out, and a FIFO no one writes made every start wait for ever."""
    fifo = tmp_path / "briefbot.yaml"
    os.mkfifo(fifo)
    refused: list[str] = []

    def load(path):
        with pytest.raises(ConfigError) as raised:
            load_settings(path, env={})
        refused.append(str(raised.value))

    read_without_a_writer(fifo, lambda: load(fifo), "reading the config file")
    load(Path("/dev/zero"))
    large = tmp_path / "large.yaml"
    with large.open("wb") as file:
        file.truncate(MAX_CONFIG_BYTES + 1)  # sparse: nothing written
    load(large)
    assert refused == [
        f"{fifo}: the config file cannot be read: not a regular file (a pipe, device or socket)",
        "/dev/zero: the config file cannot be read: not a regular file (a pipe, device or socket)",
        f"{large}: larger than 1 MB; a config file is a few dozen lines",
    ]


def test_a_config_far_over_the_cap_is_refused_having_read_only_the_cap(tmp_path):
    """A huge config file (a disk image named by mistake) is refused after its first megabyte, not read whole into memory."""
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(64 * MAX_CONFIG_BYTES)  # sparse: nothing written, no disk used
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError, match="larger than 1 MB"):
            load_settings(huge, env={})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MAX_CONFIG_BYTES  # the cap and a byte, not the 64 MB file


def test_no_config_file_at_all_uses_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.store_path == Path("var/briefbot.sqlite3") and settings.page_size == 5


def test_cli_exits_2_naming_a_string_where_a_boolean_belongs(tmp_path):
    config = tmp_path / "briefbot.yaml"
    config.write_text('slack:\n  workspace_admins: "false"\n')
    result = briefbot("--config", config, "ask", "/meeting")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == f"briefbot: {config}: slack.workspace_admins: Input should be a valid boolean; got 'false' (str)"



@pytest.mark.parametrize("entry", ["u0admin", "@alice", "alice@example.com", "*", "<@U0ADMIN>", "U0admin", "U"])
def test_a_slack_admin_id_that_can_match_nobody_is_refused_naming_the_entry(tmp_path, entry):
    # Each once started silently: no member id is ever any of these, so nobody was admin and nobody was told.
    path = tmp_path / "admins.yaml"
    path.write_text(f"slack:\n  admin_user_ids: [U0ADMIN, '{entry}']\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert str(raised.value) == (
        f"{path}: slack.admin_user_ids.1: Value error, not a Slack member id (U or W, then capitals and digits, such as"
        f" U0123ABCD: Copy member ID on the member's profile); a name, @mention, address or * matches nobody; got {entry!r} (str)"
    )


def test_admin_ids_in_their_platform_s_form_load():
    slack = SlackSettings(admin_user_ids=("U0123ABCD", "W0ENTERPRISE1"))  # W: an Enterprise Grid member
    assert slack.admin_user_ids == ("U0123ABCD", "W0ENTERPRISE1")
    assert DiscordSettings(admin_user_ids=(111,), admin_role_ids=(222,)).admin_role_ids == (222,)  # a Discord id is digits: an int
    with pytest.raises(ConfigError, match=re.escape("admin_role_ids.0: Input should be a valid integer; got '@mods' (str)")):
        DiscordSettings(admin_role_ids=("@mods",))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("section", "key", "value", "why"),
    [
        # Plain http sends the bot's token unencrypted; only this machine's fake servers may be spoken to so.
        ("slack", "api_base", "http://slack.com/api/", "http:// would send the bot's token unencrypted; use https:// (http:// only to 127.0.0.1, localhost or ::1)"),
        ("discord", "api_base", "http://proxy.example/api/v10", "http:// would send the bot's token unencrypted; use https://"),
        ("discord", "gateway", "ws://gateway.discord.gg/", "ws:// would send the bot's token unencrypted; use wss:// (ws:// only to"),
        ("discord", "api_base", "not a url", "expected a URL that starts https:// and names a host; got 'not a url' (str)"),
        ("slack", "api_base", "slack.com/api/", "expected a URL that starts https:// and names a host"),
        ("slack", "api_base", "https:///api/", "expected a URL that starts https:// and names a host"),
        ("discord", "gateway", "https://gateway.discord.gg/", "expected a URL that starts wss:// and names a host"),
        # A user name and password: aiohttp then refused every call ("Cannot combine AUTHORIZATION header") with a traceback.
        ("slack", "api_base", "http://user:Secret@127.0.0.1/api/", "a user name or password in the URL is not accepted"),
        ("discord", "api_base", "https://user:Secret@discord.com/api/v10", "a user name or password in the URL is not accepted"),
    ],
)
def test_a_platform_url_the_token_must_not_go_to_is_refused(tmp_path, section, key, value, why):
    path = tmp_path / "urls.yaml"
    path.write_text(f"{section}:\n  {key}: '{value}'\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    said = str(raised.value)
    assert said.startswith(f"{path}: {section}.{key}: Value error, {why}"), said
    assert "Secret" not in said and ("://" not in value or said.endswith("(the value is not shown: it holds a URL, which may hold a password)"))


def test_platform_urls_on_this_machine_may_be_plain():
    for host in ("127.0.0.1:8080", "localhost", "[::1]:9"):
        assert SlackSettings(api_base=f"http://{host}/api/").api_base == f"http://{host}/api/"
        assert DiscordSettings(api_base=f"http://{host}/api/v10", gateway=f"ws://{host}/").gateway == f"ws://{host}/"
    assert SlackSettings(api_base="HTTPS://slack-gov.com/api/").api_base == "HTTPS://slack-gov.com/api/"


@pytest.mark.parametrize("locale", ["en", "es"])
def test_digest_defaults_checked_at_start_never_show_a_url(tmp_path, locale):
    # The subscribe rules' second check once printed `tz: “postgresql://u:Secret@h/db” is not a time zone…`.
    path = tmp_path / "digests.yaml"
    for key, value in (("zone", "postgresql://u:Secret@h/db"), ("time", "https://u:Secret@h/07:30"), ("alerts", ["24h", "http://u:Secret@h/"])):
        path.write_text(yaml.safe_dump({"locale": locale, "digests": {key: value}}))
        with pytest.raises(ConfigError) as raised:
            digest_settings(load_settings(path, env={}))
        said = str(raised.value)
        assert said.startswith(f"{path}: digests: ") and "…" in said and "Secret" not in said and "://" not in said, said
        assert said.endswith(" (the value is not shown: it holds a URL, which may hold a password)"), said
    path.write_text("digests:\n  zone: Mars/Olympus\n")  # a value that is no URL is still shown, as the subscribe command shows it
    with pytest.raises(ConfigError, match=re.escape(f"{path}: digests: tz: “Mars/Olympus” is not a time zone")):
        digest_settings(load_settings(path, env={}))


def test_an_unknown_digest_alert_is_named_not_a_crash(tmp_path):
    # Its message names the option and the choices (`{opt:alerts}`), which only the reader's words fill: a KeyError once.
    path = tmp_path / "alerts.yaml"
    path.write_text("digests:\n  alerts: [bogus]\n")
    with pytest.raises(ConfigError) as raised:
        digest_settings(load_settings(path, env={}))
    assert str(raised.value) == f"{path}: digests: alerts: unknown bogus; choose all, none, or some of 24h, 1h, start, status."


@pytest.mark.parametrize("alerts", [["none", "1h"], ["all", "none"]])
def test_digest_alerts_of_none_with_others_are_refused(tmp_path, alerts):
    # [none, 1h] was taken as 1h, and [all, none] as no alerts, without a word.
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump({"digests": {"alerts": alerts}}))
    with pytest.raises(ConfigError) as raised:
        digest_settings(load_settings(path, env={}))
    other = alerts[0] if alerts[1] == "none" else alerts[1]
    assert str(raised.value) == f"{path}: digests: alerts: none turns every alert off, so it cannot go with {other}; give none alone, or only the alerts you want."


def test_a_store_url_that_cannot_be_read_is_named_by_its_file_and_key_without_its_password(tmp_path):
    """It was "the store URL is malformed (…)" when the store opened, naming neither the file nor the key."""
    path = tmp_path / "store.yaml"
    path.write_text("store:\n  url: postgresql://u:p@ss@h/db\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert str(raised.value) == (
        f"{path}: store.url: the store URL postgresql://***@h/db is malformed (an @, /, ? or # in the password, or an @ past the host, must"
        " be percent-encoded: %40, %2F, %3F, %23); expected postgresql://user@host:port/database")
    path.write_text("")
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={"BRIEFBOT_DB": "postgresql://u:p@ss@h:99999/db"})
    assert str(raised.value).startswith("environment: BRIEFBOT_DB: the store URL postgresql://***@h:99999/db is malformed (")


# A password in every form a store URL writes one: the user part (as is and percent-encoded), and its parameters.
PASSWORD_URLS = (
    "postgresql://bot:s3cret@host/db",
    "POSTGRES://bot:s3cr%40et@host:6432/db",
    "postgresql://bot@host/db?password=s3cret",
    "postgresql:///db?host=/run/postgresql&user=bot&password=s3cret",
    "postgresql://bot@host/db?sslmode=verify-full&sslpassword=s3cret",
)


@pytest.mark.parametrize("url", PASSWORD_URLS)
def test_a_password_in_the_files_store_url_is_refused_naming_the_key_and_where_it_goes(tmp_path, url):
    """Secrets come only from the environment: the file's copy was accepted, and the settings cache made a second."""
    path = tmp_path / "pw.yaml"
    path.write_text(f"store:\n  url: {url}\n")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env=env)
    assert str(raised.value) == (
        f"{path}: store.url: a password is not accepted in the settings file (secrets come only from the environment): write the"
        " URL without it (postgresql://user@host/database) and set PGPASSWORD in the environment, or give the whole URL as"
        " BRIEFBOT_DB (the value is not shown: it may hold a password)")
    assert not (tmp_path / "cache").exists()  # nor kept by the settings cache on the way to the refusal
    # The same URL from the environment is the place for it.
    path.write_text("page_size: 7\n")
    assert load_settings(path, env={**env, "BRIEFBOT_DB": url}).store_path == url.replace("POSTGRES:", "postgres:")


@pytest.mark.parametrize("url", ["postgresql://bot@host/db", "postgresql://bot:@host/db?sslmode=require&passfile=/etc/bot/pgpass"])
def test_a_store_url_with_a_user_name_and_no_password_is_accepted_from_the_file(tmp_path, url):
    path = tmp_path / "user.yaml"
    path.write_text(f"store:\n  url: {url}\n")
    assert load_settings(path, env={"PGPASSWORD": "s3cret"}).store_path == url


def test_a_password_in_the_file_is_named_beside_its_other_problems_and_a_wrong_scheme_once(tmp_path):
    path = tmp_path / "pw.yaml"
    path.write_text("page_size: 0\nstore:\n  url: postgresql://bot:s3cret@host/db\n  pool_size: 1\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert sorted(line.split(": ")[1] for line in str(raised.value).splitlines()) == ["page_size", "store.pool_size", "store.url"]
    assert "s3cret" not in str(raised.value)
    path.write_text("store:\n  url: mysql://bot:s3cret@host/db\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert str(raised.value) == f"{path}: store.url: expected a postgresql:// or postgres:// URL; got a mysql:// URL (the value is not shown: it may hold a password)"


def test_cli_refuses_a_password_in_the_file_at_start_and_caches_nothing(tmp_path):
    config = tmp_path / "pw.yaml"
    config.write_text("store:\n  url: postgresql://bot:s3cret@host/db\n")
    result = briefbot("--config", config, "briefings", "list", env={"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": ""})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"briefbot: {config}: store.url: a password is not accepted in the settings file"), result.stderr
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "home").exists()


def test_a_lease_a_send_may_outlast_is_refused_with_the_reason(tmp_path):
    # A send waits out rate limits for up to MAX_RATE_LIMIT_WAIT; a lease not well above that let another
    # process reconcile a send still waiting as dead and post the digest a second time.
    least = int(2 * MAX_RATE_LIMIT_WAIT)
    path = tmp_path / "lease.yaml"
    for short in (int(MAX_RATE_LIMIT_WAIT), least - 1):
        path.write_text(f"digests:\n  lease_seconds: {short}\n")
        with pytest.raises(ConfigError, match=re.escape(
            f"digests.lease_seconds: Value error, must be at least {least} s, twice the {MAX_RATE_LIMIT_WAIT:.0f} s a digest send"
            f" may wait out a rate limit: a shorter lease lets a send still waiting be taken for dead and posted twice; got {short} (int)",
        )):
            load_settings(path, env={})
    path.write_text(f"digests:\n  lease_seconds: {least}\n")
    assert load_settings(path, env={}).digests.lease_seconds == least


def test_cli_refuses_to_start_with_a_lease_a_send_may_outlast(tmp_path):
    config = tmp_path / "briefbot.yaml"
    config.write_text("digests:\n  lease_seconds: 30\n")
    result = briefbot("--config", config, "--db", tmp_path / "b.sqlite3", "digest", "run-once", "--platform", "slack")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"briefbot: {config}: digests.lease_seconds: Value error, must be at least 60 s"), result.stderr
    assert "posted twice" in result.stderr and "Traceback" not in result.stderr


def test_cli_exits_2_naming_a_misspelt_key_and_the_allowed_ones(tmp_path):
    config = tmp_path / "briefbot.yaml"
    config.write_text("discord:\n  admin_user_id: [111]\n")
    result = briefbot("ask", "/meeting", env={"BRIEFBOT_CONFIG": str(config)})
    assert result.returncode == 2, result.stderr
    assert "discord.admin_user_id: unknown key; allowed keys here: admin_role_ids, admin_user_ids, api_base" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_exits_2_naming_a_misspelt_environment_variable(tmp_path):
    result = briefbot("ask", "/meeting", env={"BRIEFBOT_DATABASE": str(tmp_path / "x.db")})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == "briefbot: environment: BRIEFBOT_DATABASE: unknown variable; allowed: BRIEFBOT_CONFIG, BRIEFBOT_DB"


# A URL briefbot cannot open once made a SQLite file in folders named after it, password included.
OTHER_SCHEMES = ("postgresql+asyncpg://bb:hunter2@127.0.0.1/bb", "postgressql://bb:hunter2@127.0.0.1/bb", "sqlite://bb:hunter2@x/bb")


@pytest.mark.parametrize("url", OTHER_SCHEMES)
def test_briefbot_db_of_another_scheme_is_refused_not_made_a_file(url):
    with pytest.raises(ConfigError) as raised:
        load_settings(ROOT / "config" / "briefbot.yaml", env={"BRIEFBOT_DB": url})
    scheme = url.split("://")[0]
    assert str(raised.value) == f"environment: BRIEFBOT_DB: expected a postgresql:// or postgres:// URL; got a {scheme}:// URL"


@pytest.mark.parametrize("url", OTHER_SCHEMES)
def test_db_flag_of_another_scheme_exits_2_naming_the_flag(tmp_path, url):
    # The config file is missing too: were the URL taken for a file, the run would stop there, with no folders made.
    result = briefbot("--config", tmp_path / "nope.yaml", "--db", url, "load")
    assert result.returncode == 2, result.stderr
    assert f"argument --db: expected a postgresql:// or postgres:// URL; got a {url.split('://')[0]}:// URL" in result.stderr
    assert "hunter2" not in result.stderr


def test_store_copy_refuses_another_scheme(tmp_path):
    result = briefbot("--config", tmp_path / "nope.yaml", "store", "copy", tmp_path / "a.sqlite3", OTHER_SCHEMES[0])
    assert result.returncode == 2 and "argument destination: expected a postgresql://" in result.stderr
    assert "hunter2" not in result.stderr


def test_a_url_under_store_path_is_refused(tmp_path):
    path = tmp_path / "url.yaml"
    path.write_text("store:\n  path: postgresql://bb:hunter2@db/bb\n")
    with pytest.raises(ConfigError, match=re.escape("store.path: Value error, a URL is not a file path; a PostgreSQL server goes under store.url")):
        load_settings(path, env={})


@pytest.mark.parametrize("scheme", ["PostgreSQL", "POSTGRES"])
def test_the_scheme_may_be_in_capitals_as_asyncpg_reads_it(tmp_path, scheme):
    url = f"{scheme}://bb:hunter2@db/bb"
    assert load_settings(ROOT / "config" / "briefbot.yaml", env={"BRIEFBOT_DB": url}).store_path == f"{scheme.lower()}://bb:hunter2@db/bb"
    path = tmp_path / "url.yaml"
    path.write_text(f"store:\n  url: {scheme}://bb@db/bb\n")  # a password goes in the environment alone
    assert load_settings(path, env={}).store_path == f"{scheme.lower()}://bb@db/bb"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("store:\n  url: postgresql://briefbot:Xk9vQ2@db/briefbot\n  path: x.sqlite3\n", "store: Value error, set url (PostgreSQL) or path (SQLite), not both"),
        ("store:\n  url: postgresql://b:Xk9vQ2@d/b\n  path: x.sqlite3\n", "store: Value error, set url (PostgreSQL) or path (SQLite), not both"),
        ("store: postgresql://bb:Xk9vQ2@db/bb\n", "store: expected a section of keys (a mapping)"),
        ("store:\n  path: postgresql://bb:Xk9vQ2@db/bb\n", "store.path: Value error, a URL is not a file path"),
        ("store:\n  packs: [postgresql://bb:Xk9vQ2@db/bb]\n", "store.packs: Input is not a valid path"),
    ],
)
def test_no_store_problem_echoes_a_url(tmp_path, content, message):
    # docs/configuration.md and docs/deploy.md: the password is never printed; reprlib's cut once kept its end.
    path = tmp_path / "url.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert message in str(raised.value) and "the value is not shown" in str(raised.value)
    assert "Xk9vQ2" not in str(raised.value) and "://" not in str(raised.value)


def test_an_empty_file_is_still_all_defaults(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# every key commented out\n")
    assert load_settings(path, env={}).page_size == 5


def test_cli_exits_2_naming_a_nan_setting(tmp_path):
    config = tmp_path / "briefbot.yaml"
    config.write_text("digests:\n  catch_up_hours: .nan\n")
    result = briefbot("--config", config, "--db", tmp_path / "db.sqlite3", "digest", "run-once", "--platform", "slack")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == f"briefbot: {config}: digests.catch_up_hours: Input should be a finite number; got nan (float)"


def test_the_settings_default_pool_is_the_stores():
    """Written twice (settings are read before the store is imported): a process given no `store.pool_size` opens the
    pool a store opened without the setting opens, the budget docs/deploy.md sizes a server by."""
    from bot.store import POOL_SIZE

    assert Settings().store.pool_size == POOL_SIZE
