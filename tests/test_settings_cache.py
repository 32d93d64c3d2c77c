"""The settings cache: an unchanged config file skips PyYAML's import, an edited one is read again at once, and a
cache that is missing, corrupt, foreign or unwritable changes nothing but the time (bot/settings_cache.py)."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings
from bot.settings_cache import FORMAT, cache_file


def cache_env(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache")}


def cache_of(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "briefbot" / "settings.json"


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "briefbot.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def entry(path: Path, settings: object, form: object = FORMAT) -> bytes:
    """A cache file's bytes for `path` as it is now."""
    return json.dumps({"format": form, "text": path.read_text(encoding="utf-8"), "settings": settings}, ensure_ascii=False).encode()


def test_the_first_start_keeps_the_parsed_file_and_the_next_reads_it(tmp_path):
    path = config(tmp_path, "page_size: 7\nlocale: es\n")
    assert load_settings(path, env=cache_env(tmp_path)).page_size == 7
    kept = json.loads(cache_of(tmp_path).read_bytes())
    assert kept == {"format": FORMAT, "text": "page_size: 7\nlocale: es\n", "settings": {"page_size": 7, "locale": "es"}}
    # The next start takes the cached mapping for these bytes (a hand-made entry shows it is read, not re-parsed)…
    cache_of(tmp_path).write_bytes(entry(path, {"page_size": 9}))
    assert load_settings(path, env=cache_env(tmp_path)).page_size == 9
    # …and checks it as strictly as the file.
    cache_of(tmp_path).write_bytes(entry(path, {"page_size": "9"}))
    with pytest.raises(ConfigError, match=re.escape("page_size: Input should be a valid integer; got '9' (str)")):
        load_settings(path, env=cache_env(tmp_path))


def test_an_edited_file_is_read_again_at_once(tmp_path):
    path = config(tmp_path, "page_size: 5\n")
    before = path.stat()
    assert load_settings(path, env=cache_env(tmp_path)).page_size == 5
    path.write_text("page_size: 7\n", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same path, size and time: only the bytes differ
    assert load_settings(path, env=cache_env(tmp_path)).page_size == 7


@pytest.mark.parametrize(
    "cached",
    [
        b"",
        b"\xff\xfe not text",
        b'{"format": 2, "text": "trunc',
        b"[1, 2]",
        b'{"settings": {"page_size": 9}}',
        "other bytes",
        "older format",
        "not a mapping",
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_rewritten(tmp_path, cached):
    path = config(tmp_path, "page_size: 7\n")
    cache_of(tmp_path).parent.mkdir(parents=True)
    if cached == "other bytes":
        cached = json.dumps({"format": FORMAT, "text": "page_size: 9\n", "settings": {"page_size": 9}}).encode()
    elif cached == "older format":
        cached = entry(path, {"page_size": 9}, form=FORMAT - 1)
    elif cached == "not a mapping":
        cached = entry(path, ["page_size", 9])
    cache_of(tmp_path).write_bytes(cached)
    assert load_settings(path, env=cache_env(tmp_path)).page_size == 7
    assert cache_of(tmp_path).read_bytes() == entry(path, {"page_size": 7})


def test_a_location_that_cannot_be_written_means_no_cache(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache's folder would be")
    path = config(tmp_path, "page_size: 7\n")
    assert load_settings(path, env=cache_env(tmp_path)).page_size == 7
    assert blocked.read_text() == "a file where the cache's folder would be"
    assert set(tmp_path.iterdir()) == {blocked, path}


def test_the_cache_is_private_to_its_user(tmp_path):
    # The cache holds what the file says (no password: the file refuses one), and who uses which server is nobody else's.
    load_settings(config(tmp_path, "store:\n  url: postgresql://bot@db/briefbot\n"), env=cache_env(tmp_path))
    assert stat.S_IMODE(cache_of(tmp_path).stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_of(tmp_path).parent.stat().st_mode) == 0o700


def test_the_environments_secrets_never_reach_the_cache(tmp_path):
    """A PaaS's URL with its password, and PGPASSWORD, are read at every start; the cache holds the file's settings alone."""
    path = config(tmp_path, "store:\n  url: postgresql://bot@db/briefbot\npage_size: 7\n")
    env = {**cache_env(tmp_path), "BRIEFBOT_DB": "postgres://bot:Pa55-from-env@db.paas:5432/d1", "PGPASSWORD": "Pg-Pa55"}
    for _ in range(2):  # filling the cache, then reading it
        settings = load_settings(path, env=env)
        assert (settings.store_path, settings.page_size) == ("postgres://bot:Pa55-from-env@db.paas:5432/d1", 7)
        kept = cache_of(tmp_path).read_bytes()
        assert b"Pa55" not in kept and kept == entry(path, {"store": {"url": "postgresql://bot@db/briefbot"}, "page_size": 7})


@pytest.mark.parametrize("content", ["store:\n  url: postgresql://bot:Pa55@db/briefbot\n", "discord:\n  token: Pa55.discord.token\n"])
def test_a_file_refused_for_a_secret_is_never_cached(tmp_path, content):
    """The cache keeps a file once it passes: a password in store.url, or a token under a key there is none for, never does."""
    path = config(tmp_path, content)
    for _ in range(2):
        with pytest.raises(ConfigError) as raised:
            load_settings(path, env=cache_env(tmp_path))
        assert "Pa55" not in str(raised.value)
    assert not (tmp_path / "cache").exists()


def test_where_the_cache_lives():
    assert cache_file({"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/a"}) == Path("/x/cache/briefbot/settings.json")
    assert cache_file({"XDG_CACHE_HOME": "relative", "HOME": "/home/a"}) == Path("/home/a/.cache/briefbot/settings.json")
    assert cache_file({}) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('page_size: "5"\n', "page_size: Input should be a valid integer; got '5' (str)"),
        ("slack:\n  workspace_admin: true\n", "slack.workspace_admin: unknown key; allowed keys here: admin_user_ids, api_base, workspace_admins"),
        ("discord:\n  1: x\n", "discord.1: unknown key"),
        ("slack:\n  on: 1\n", "slack.on: unknown key"),  # as written, not YAML 1.1's true (a key JSON keeps as "true")
        ("- just\n- a list\n", "expected a mapping at the top level"),
        ("slack:\n  workspace_admins: false\n  workspace_admins: true\n", "not valid YAML at line 3: duplicate key 'workspace_admins'"),
        ("key: [unclosed\n", "not valid YAML"),
        # YAML values JSON would give back otherwise (a date, a pair) are not cached: the same words every time.
        ("default_briefing: 2026-02-03\n", "default_briefing: Input should be a valid string; got datetime.date(2026, 2, 3) (date)"),
        ("digests:\n  alerts: !!pairs [a: 1]\n", "digests.alerts.0: Input should be a valid string; got ('a', 1) (tuple)"),
    ],
)
def test_problems_are_reported_the_same_with_the_cache(tmp_path, content, message):
    path = config(tmp_path, content)
    for env in ({}, cache_env(tmp_path), cache_env(tmp_path)):  # no cache, filling it, reading it
        with pytest.raises(ConfigError, match=re.escape(f"{path}: {message}")):
            load_settings(path, env=env)


def test_a_cache_nested_past_what_json_reads_is_ignored_and_rewritten(tmp_path):
    """Both caches of a start (the settings', CLDR's words) as `[[[…]]]` 100,000 deep: a command answers, and each is rewritten."""
    from tests.cli_support import briefbot

    env = cache_env(tmp_path)
    fresh = briefbot("--db", tmp_path / "b.sqlite3", "ask", "/brief", "--now", "2026-01-20T15:30:00Z", env=env)
    assert fresh.returncode == 0, fresh.stderr
    kept = {name: (cache_of(tmp_path).parent / name).read_bytes() for name in ("settings.json", "cldr.json")}
    for name in kept:
        (cache_of(tmp_path).parent / name).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    again = briefbot("--db", tmp_path / "b.sqlite3", "ask", "/brief", "--now", "2026-01-20T15:30:00Z", env=env)
    assert (again.returncode, again.stdout, again.stderr) == (0, fresh.stdout, ""), again.stderr
    assert {name: (cache_of(tmp_path).parent / name).read_bytes() for name in kept} == kept
