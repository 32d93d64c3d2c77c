"""`briefbot discord …` and `briefbot slack …` as a user runs them: clear messages, non-zero exits."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from tests.cli_support import printed_apply
from tests.slack_fake import BOT_TOKEN, FakeSlack

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


def briefbot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "db.sqlite3"), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60, env={**clean, **env}, stdin=subprocess.DEVNULL,
    )


def test_discord_run_without_a_token(tmp_path):
    result = briefbot(tmp_path, "discord", "run")
    assert result.returncode == 2
    assert result.stderr.strip().endswith("DISCORD_TOKEN is not set; export it in the environment (see README).")
    assert "Traceback" not in result.stderr


def test_slack_run_names_every_missing_token(tmp_path):
    socket = briefbot(tmp_path, "slack", "run")
    assert socket.returncode == 2 and "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set" in socket.stderr
    http = briefbot(tmp_path, "slack", "run", "--http", "--port", "0", SLACK_BOT_TOKEN="xoxb-1")
    assert http.returncode == 2 and "SLACK_SIGNING_SECRET is not set" in http.stderr
    assert "xoxb-1" not in http.stderr


async def test_run_serves_slack_over_http_with_a_signing_secret_and_no_app_token(tmp_path):
    # docs/deploy.md and deploy/Dockerfile (`CMD ["briefbot", "run"]`): the bot token and the signing secret start Slack.
    async with FakeSlack() as slack:  # the start asks auth.test: a Slack that answers, on loopback
        config = tmp_path / "briefbot.yaml"
        config.write_text(f'slack:\n  api_base: "{slack.base_url}"\n')
        log_file = tmp_path / "run.log"
        env = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith("BRIEFBOT_")}
        env |= {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "shh"}
        command = [sys.executable, "-m", "bot", "--config", str(config), "--db", str(tmp_path / "db.sqlite3"),
                   "run", "--host", "127.0.0.1", "--port", "0"]
        with log_file.open("wb") as log_out:
            child = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while not (found := re.search(r"serving the Events API on 127\.0\.0\.1:(\d+)/", log_file.read_text())):
                assert child.poll() is None and time.monotonic() < deadline, log_file.read_text()
                await asyncio.sleep(0.05)
            async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{found[1]}/healthz", timeout=aiohttp.ClientTimeout(10)) as response:
                assert await response.json() == {"ok": True, "store": True, "slack": True}
        finally:
            child.terminate()
            await asyncio.to_thread(child.wait, 10)
    assert "SLACK_APP_TOKEN" not in log_file.read_text()


async def test_a_busy_port_is_one_line(tmp_path):
    async with FakeSlack() as slack:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            config = tmp_path / "briefbot.yaml"
            config.write_text(f'slack:\n  api_base: "{slack.base_url}"\n')
            result = await asyncio.to_thread(
                briefbot, tmp_path, "--config", str(config), "slack", "run", "--http", "--host", "127.0.0.1", "--port", str(port),
                SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET="shh",
            )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"briefbot: cannot listen on 127.0.0.1:{port}: address already in use"
    assert "Traceback" not in result.stderr


def test_every_documented_manifest_without_works(tmp_path):
    # README.md and docs/troubleshooting.md once showed `--without search`: /search is Slack's own, never in the manifest.
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    examples = {m for doc in docs for m in re.findall(r"briefbot slack manifest --without (\w+)", doc.read_text(encoding="utf-8"))}
    assert examples
    for name in sorted(examples):
        result = briefbot(tmp_path, "slack", "manifest", "--without", name)
        assert result.returncode == 0, result.stderr
        assert f'command: "/{name}"' not in result.stdout


def test_slack_manifest_is_the_checked_in_file(tmp_path):
    result = briefbot(tmp_path, "slack", "manifest")
    assert result.returncode == 0
    assert result.stdout == (ROOT / "manifest.yml").read_text(encoding="utf-8"), (
        "manifest.yml is not what the commands make: run `briefbot slack manifest > manifest.yml` and commit it"
    )


def test_run_without_tokens_is_the_console_bot(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "db.sqlite3"), "run"],
        input="/meeting\n", capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={k: v for k, v in os.environ.items() if k not in SECRETS},
    )
    assert result.returncode == 0
    assert "Where: The White House, Washington" in result.stdout


def test_admin_from_the_command_line(tmp_path):
    changed = briefbot(tmp_path, "admin", "set", "kind:meeting", "status:concluded", "reason:confirmed")
    assert changed.returncode == 0 and "Revision 2: session/meeting changed" in changed.stdout
    history = briefbot(tmp_path, "admin", "history", "kind:meeting")
    assert "cli · operator" in history.stdout and "Note: confirmed" in history.stdout
    exported = briefbot(tmp_path, "admin", "export")
    assert exported.returncode == 0 and "status: concluded" in exported.stdout
    pack = tmp_path / "pack.yaml"
    pack.write_text(exported.stdout.replace("status: concluded", "status: postponed"), encoding="utf-8")
    dry = briefbot(tmp_path, "admin", "import", str(pack))
    assert dry.returncode == 0 and "Dry run" in dry.stdout and "meeting: changed: status" in dry.stdout
    # The file changes the meeting again, which the set above edited since the last load: named, and taken back only when told.
    assert "  Revision 2 · session/meeting changed · " in dry.stdout and printed_apply(dry.stdout)[-1] == "--discard-edits"
    applied = briefbot(tmp_path, "admin", "import", str(pack), *printed_apply(dry.stdout))
    assert applied.returncode == 0 and "the pack was imported" in applied.stdout
    bad = briefbot(tmp_path, "admin", "set", "kind:meeting", "status:maybe")
    assert bad.returncode == 1 and "status: expected one of" in bad.stderr and not bad.stdout
