"""Settings: file, environment and arguments in that order of strength; secrets masked; clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import Secret, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_loads():
    settings = load_settings(ROOT / "config" / "briefbot.yaml", env={})
    assert settings.default_briefing == "petro-trump-2026"
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
        ("page_size: 0\n", "page_size: expected a whole number from 1 to 20"),
        ("discord: [1, 2]\n", "discord: expected a mapping"),
        ("discord:\n  admin_role_ids: 5\n", "discord.admin_role_ids: expected a list of ids"),
        ("- just\n- a list\n", "expected a mapping at the top level"),
        ("key: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_settings_name_the_key(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_settings(path, env={})


def test_missing_config_file_given_explicitly(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "nope.yaml", env={})


def test_no_config_file_at_all_uses_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.store_path == Path("var/briefbot.sqlite3") and settings.page_size == 5
