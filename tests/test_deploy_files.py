"""The Procfile and deploy/compose.yaml run only commands briefbot accepts, and their Discord slices cover every shard once.

There is no Docker here, so the files are read as their tools would read them and each command goes
through briefbot's own argument parsing and shard-slice check, as the process would at start; the
compose file is also validated against the Compose Specification's JSON schema (the copy vendored by
check-jsonschema, read offline). What none of this shows: that the image builds, the services start
and reach each other, or that the variables are set (docs/deploy.md, "What is tested").
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.adapters.discord_app.shards import shard_slice
from bot.cli.arguments import build_parser
from tests.cli_support import briefbot

ROOT = Path(__file__).resolve().parent.parent
# honcho and foreman read `name: command` lines; Heroku sets $PORT for the `web` type (honcho and foreman too).
PROCFILE_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")
ENVIRONMENT = {"PORT": "5000"}


def procfile_commands(text: str) -> dict[str, str]:
    """Each process type's command, as honcho reads the Procfile (other lines are ignored)."""
    return {m[1]: m[2] for line in text.splitlines() if (m := PROCFILE_LINE.match(line))}


def compose_commands(text: str) -> dict[str, str]:
    """Each command of a compose service built from this repository; those running an image of their own (the
    database, the balancer) run no briefbot."""
    services = yaml.safe_load(text)["services"]
    return {name: service["command"] for name, service in services.items() if "build" in service}


def briefbot_arguments(command: str) -> list[str]:
    """The arguments after `briefbot`, with the platform's variables filled in; anything else is not ours."""
    words = shell_words(command, ENVIRONMENT)
    assert words[0] == "briefbot", f"{command!r} does not run briefbot"
    return words[1:]


def shell_words(command: str, env: dict[str, str]) -> list[str]:
    """The words a shell makes of the command: honcho, foreman and Heroku run each Procfile line through one.

    (Compose splits its commands without a shell; theirs hold no variable or quote, so the words are the same.)
    """
    listed = subprocess.run(["/bin/sh", "-c", f'set -- {command}; printf "%s\\0" "$@"'], env=env, capture_output=True, text=True, check=True)
    return listed.stdout.split("\0")[:-1]


def compose_spec_problems(path: Path) -> str:
    """What the Compose Specification's schema finds wrong in the file; empty when it is valid."""
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True, text=True, check=False,
    )
    return "" if done.returncode == 0 else done.stdout + done.stderr


def check(commands: dict[str, str]) -> None:
    """Every command parses as briefbot's; the Discord processes' slices share one count and cover each shard once."""
    slices = []
    for name, command in commands.items():
        try:
            args = build_parser().parse_args(briefbot_arguments(command))
        except SystemExit:
            pytest.fail(f"{name}: {command!r} is not a valid briefbot command")
        if (args.action, getattr(args, "discord_action", None)) == ("discord", "run"):
            slices.append(shard_slice(args.shards, args.shard_count))  # ConfigError for a slice that cannot be
    counts = {s.count for s in slices if s is not None}
    assert len(counts) <= 1, f"the Discord processes disagree on --shard-count: {sorted(counts)}"
    held = sorted(shard for s in slices for shard in (s.ids if s is not None else [0]))
    assert held == list(range(counts.pop() if counts else 1)), f"the Discord slices hold shards {held}: each must be held once"


@pytest.mark.parametrize("read", [
    pytest.param(lambda: procfile_commands((ROOT / "Procfile").read_text(encoding="utf-8")), id="Procfile"),
    pytest.param(lambda: compose_commands((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8")), id="compose"),
])
def test_every_command_is_briefbots_and_the_shards_are_covered_once(read):
    commands = read()
    assert any(c.startswith("briefbot discord run") for c in commands.values())
    assert any(c.startswith("briefbot slack run --http") for c in commands.values())
    check(commands)


# What serves until stopped. honcho and foreman stop every process once one exits, and a console (or `run`, which
# starts one) reads end of input at once there and exits 0; a one-shot command ends by design.
SERVING = {("discord", "run"), ("slack", "run")}


def serving_problems(commands: dict[str, str]) -> list[str]:
    """The process types whose command would end on its own, stopping the whole Procfile under honcho or foreman."""
    found = []
    for name, command in commands.items():
        args = build_parser().parse_args(briefbot_arguments(command))
        if (args.action, getattr(args, f"{args.action}_action", None)) not in SERVING:
            found.append(f"{name}: {command!r} ends on its own")
    return found


def test_every_procfile_type_serves_until_stopped_so_honcho_start_runs_it_whole():
    assert serving_problems(procfile_commands((ROOT / "Procfile").read_text(encoding="utf-8"))) == []
    assert serving_problems({"console": "briefbot console", "cron": "briefbot digest run-once"}) == [
        "console: 'briefbot console' ends on its own", "cron: 'briefbot digest run-once' ends on its own"]


def test_a_console_without_a_terminal_ends_at_once():
    """Why a console is no process type: under a process manager its input is at its end from the start."""
    done = briefbot("--db", ":memory:", "console", stdin="")
    assert done.returncode == 0, done.stderr


def test_both_files_run_the_same_discord_slices_and_slack_workers():
    procfile = procfile_commands((ROOT / "Procfile").read_text(encoding="utf-8"))
    compose = compose_commands((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    assert sorted(c for c in procfile.values() if "discord" in c) == sorted(c for c in compose.values() if "discord" in c)


@pytest.mark.parametrize(("commands", "wrong"), [
    ({"a": "briefbot discord run --shards 0-3 --shard-count 8", "b": "briefbot discord run --shards 3-7 --shard-count 8"}, "held once"),
    ({"a": "briefbot discord run --shards 0-3 --shard-count 8"}, "held once"),
    ({"a": "briefbot discord run --shards 0-3 --shard-count 8", "b": "briefbot discord run --shards 4-7 --shard-count 9"}, "disagree"),
    ({"a": "briefbot discord run", "b": "briefbot discord run"}, "held once"),
    ({"a": "briefbot slack run --htp"}, "not a valid briefbot command"),
    ({"a": "python -m bot console"}, "does not run briefbot"),
])
def test_the_check_refuses_overlaps_gaps_and_commands_briefbot_would_refuse(commands, wrong):
    with pytest.raises((AssertionError, pytest.fail.Exception), match=wrong):
        check(commands)


def test_the_compose_file_follows_the_compose_specification():
    assert compose_spec_problems(ROOT / "deploy" / "compose.yaml") == ""


@pytest.mark.parametrize(("valid", "broken"), [
    ("interval: 2s", "interval: {every: 2s}"),  # a duration, not a mapping
    ("profiles: [cron]", "profiles: cron"),  # a list, not a word
    ("condition: service_healthy", "condition: healthy"),  # not a depends_on condition
    ("expose: [\"3000\"]", "exposes: [\"3000\"]"),  # no such service key
])
def test_the_schema_check_finds_a_broken_compose_file(tmp_path, valid, broken):
    text = (ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    assert valid in text
    (tmp_path / "compose.yaml").write_text(text.replace(valid, broken, 1), encoding="utf-8")
    assert compose_spec_problems(tmp_path / "compose.yaml") != ""


def test_the_web_type_without_port_says_to_set_it(tmp_path: Path) -> None:
    # Where the platform sets no PORT (the line run by hand, a manager that sets none), argparse's
    # "argument --port: expected one argument" named no variable.
    (web,) = [c for name, c in procfile_commands((ROOT / "Procfile").read_text(encoding="utf-8")).items() if name == "web"]
    shim = tmp_path / "briefbot"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m bot "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(["/bin/sh", "-c", web], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode != 0
    assert "PORT: set PORT to the port to listen on" in done.stderr, done.stderr
