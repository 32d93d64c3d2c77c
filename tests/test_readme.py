"""The README's and the reader's guide's example answers are real: each `$ briefbot ask …` block matches
what the bot says; and the README stays the front door, linking to the guides it hands over to."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleSession, render_text
from bot.adapters.discord_app.cli import sync
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.commands import COMMANDS
from bot.core.service import BriefingCore
from bot.settings import DiscordSettings, Settings
from bot.store import Store
from tests.cli_support import briefbot
from tests.conftest import BEFORE
from tests.discord_fake import TOKEN, USER_ID, FakeDiscord
from tests.discord_support import connected
from tests.slack_fake import USER
from tests.test_slack_languages import slack_bot, slash

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
GUIDES = (README, ROOT / "docs" / "commands.md", ROOT / "docs" / "briefings.md")
BLOCK = re.compile(r"```\n\$ briefbot ask (.+?)\n(.*?)```", re.DOTALL)
CAT = catalogue_for("en")
MODAL = 9  # Discord's interaction response that opens a form
# When the test's store loaded its pack (`/briefings` shows it): the one part of an answer no page can know.
LOADED_AT = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} UTC")


def examples() -> list[tuple[str, datetime, str]]:
    """(command line, --now, expected output) for every example block in the README and the reader's guide."""
    found = []
    for arguments, output in (block for guide in GUIDES for block in BLOCK.findall(guide.read_text(encoding="utf-8"))):
        words = shlex.split(arguments)
        now = datetime.fromisoformat(words[words.index("--now") + 1]) if "--now" in words else BEFORE
        found.append((words[0], now, output))
    return found


def test_every_command_has_an_example_answer():
    shown = {line.split()[0].lstrip("/") for line, _, _ in examples()}
    missing = sorted({spec.name for spec in COMMANDS.public()} - shown)
    assert not missing, (
        f"no example answer for {missing}: add one to docs/commands.md (or docs/briefings.md), a block of the form\n"
        f"```\n$ briefbot ask /{missing[0] if missing else 'command'} --now 2026-02-03T12:00:00Z\n<the answer, as `briefbot ask` prints it>\n```\n"
        f"(examples are read from {', '.join(str(g.relative_to(ROOT)) for g in GUIDES)}; `--now` is optional; "
        "paste the output of `.venv/bin/briefbot ask …` as it is: test_readme_example_matches_the_bot compares them)"
    )


# A row of a command table: "| `person <name>` | what it answers | example |" names the command `person`.
TABLE_ROW = re.compile(r"^\| `(\w+)[^`]*` \|", re.MULTILINE)


@pytest.mark.parametrize("guide", [README, ROOT / "docs" / "commands.md"], ids=lambda p: p.name)
def test_the_command_table_lists_every_public_command(guide: Path) -> None:
    """A reader learns the commands from these tables: one left out (briefings and use were) is one they never find."""
    text = guide.read_text(encoding="utf-8")
    header = text.index("| command | what it answers | example |")
    table = text[header : text.find("\n\n", header)]
    listed = TABLE_ROW.findall(table)
    public = [spec.name for spec in COMMANDS.public()]
    assert sorted(listed) == sorted(public), (
        f"{guide.relative_to(ROOT)}'s command table lacks {sorted(set(public) - set(listed))} and lists "
        f"{sorted(set(listed) - set(public))} that is no public command (bot/core/commands/__init__.py): one row each"
    )


# The examples that show the article's passages as checked, which the store says only where it reads the article.
CHECKED = ("/why",)
IDS = dict(ids=lambda v: v if isinstance(v, str) and v.startswith("/") else "")


@pytest.mark.parametrize(("line", "now", "expected"), [example for example in examples() if not example[0].startswith(CHECKED)], **IDS)
async def test_readme_example_matches_the_bot(core, line, now, expected):
    reply = await ConsoleSession(core, lambda: now).answer(line)  # what `briefbot ask` runs
    assert LOADED_AT.sub("…", render_text(reply)) == LOADED_AT.sub("…", expected)


@pytest.mark.article
@pytest.mark.parametrize(("line", "now", "expected"), [example for example in examples() if example[0].startswith(CHECKED)], **IDS)
async def test_readme_example_of_the_articles_passages_matches_the_bot(core, article_read, line, now, expected):
    await test_readme_example_matches_the_bot(core, line, now, expected)


async def test_the_guide_says_which_platforms_number_a_pages_items(core, fake):
    """commands.md said the item numbers run on from page to page: the console's do, and Discord and Slack show none."""
    session = ConsoleSession(core, lambda: BEFORE)
    first_page, second_page = [await session.answer(f"/timeline page:{n}") for n in (1, 2)]
    assert render_text(second_page).split("\n\n")[1].startswith(f"11. {second_page.items[0].title}\n")
    sixth = first_page.items[5].title  # the first of page 2 where a page holds 5 (`page_size`)
    async with connected(fake, core):
        discord = (await fake.interact(fake.command("timeline", {"page": 2, "public": True})))["data"]["embeds"][0]["description"]
    async with slack_bot(core) as (slack, url, http):
        slack_answer = await slash(slack, url, http, "timeline page:2", USER, "r1")
    assert discord.startswith(f"**{sixth}**") and not re.search(r"(?m)^\d+\. ", discord)
    assert f"*{sixth}*" in slack_answer and not re.search(rf"\d+\. \*?{re.escape(sixth)}", slack_answer)
    guide = " ".join((ROOT / "docs" / "commands.md").read_text(encoding="utf-8").split())
    assert "The console (and `briefbot ask`) numbers the items, and the numbers run on from page to page" in guide
    assert "Discord and Slack number none" in guide


# The Quick start's steps from chat: every code span there that is a command, as typed on Discord (`/set kind:…`, its
# options filled in) or on Slack (`/brief set …`, one line).
QUICK_START = README.read_text(encoding="utf-8").split("## Quick start", 1)[1].split("\n## ", 1)[0]
STEPS = [" ".join(span.split()) for span in re.findall(r"`(/[^`]+)`", QUICK_START)]
# Where the README leaves a value to the reader: the new briefing's placeholder source, a sentence of theirs.
FILLED = {"ID": "first-source", "…": "Leaders meet in The Hague."}


def readme_step(line: str) -> tuple[str, dict[str, str]]:
    """A step's command and options, filled in as the reader would; `briefing:my-event` added where it names none, as
    the README says any command takes it (the channel still reads the shipped briefing)."""
    command, _, rest = line.lstrip("/").partition(" ")
    options = {name: FILLED.get(value.strip('"'), value.strip('"')) for name, value in re.findall(r"(\w+):(.*?)(?= \w+:|$)", rest)}
    if "briefing" not in options and "id" not in options:
        options["briefing"] = "my-event"
    return command, options


def filled_line(line: str) -> str:
    """A Slack step as the reader types it, filled in (`readme_step`)."""
    filled = re.sub(r'(?<=:)(ID|"…")', lambda found: FILLED[found[1]] if found[1] == "ID" else f'"{FILLED["…"]}"', line)
    return filled if " briefing:" in filled or " id:" in filled else f"{filled} briefing:my-event"


def admin_core(store: Store) -> BriefingCore:
    """The core as the bot runs it (a channel's choices kept, for `/use`), the fakes' users its admins."""
    policy = AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)})), "slack": Admins(users=frozenset({USER}))})
    return BriefingCore(store.repository, policy=policy, choices=store.choices)


async def test_the_readmes_steps_from_chat_work_as_discord_shows_them(fake: FakeDiscord, store: Store, tmp_path: Path) -> None:
    """The README's from-chat example was the console's `set kind:briefing summary:…`, which Discord's /set has no field
    for: each Discord step it gives names only options its command's menu has (a fixed value one of its list's), and
    runs as written."""
    steps = [readme_step(line) for line in STEPS if not line.startswith("/brief ")]
    assert [command for command, _ in steps] == ["briefing", "set", "set", "use"], STEPS
    await sync(Settings(discord=DiscordSettings(api_base=fake.api_base, gateway=fake.gateway), env={"DISCORD_TOKEN": TOKEN}), COMMANDS, state_dir=tmp_path)
    menu = {command["name"]: {option["name"]: option for option in command.get("options", [])} for command in fake.commands["global"]}
    for command, options in steps:
        assert set(options) <= set(menu[command]), (command, options)
        picked = {name: value for name, value in options.items() if "choices" in menu[command][name]}
        assert all(value in [choice["value"] for choice in menu[command][name]["choices"]] for name, value in picked.items()), picked
    async with connected(fake, admin_core(store)):
        answers = [await fake.interact(fake.command(command, options)) for command, options in steps]
    made, form, language, used = answers
    assert made["data"]["embeds"][0]["title"] == CAT("briefing_new.done", title="My event", briefing="my-event")
    assert form["type"] == MODAL and {"title", "summary", "evidence"} <= set(re.findall(r'"custom_id": "(\w+)"', json.dumps(form)))
    assert language["data"]["embeds"][0]["title"].startswith("Revision ") and used["data"]["embeds"][0]["title"] != CAT("error.user_title")
    briefing = await store.repository.briefing("my-event")
    assert (briefing.title, briefing.venue.zone, briefing.language) == ("My event", "Europe/Brussels", "en")


async def test_the_readmes_steps_from_chat_work_as_slack_takes_them(store: Store) -> None:
    """Slack's steps, `/brief briefing new …` and `/brief set kind:briefing summary:"…" …`, each one line as Slack types it."""
    steps = [readme_step(line.removeprefix("/brief ")) for line in STEPS if line.startswith("/brief ")]
    assert [(command, options.get("kind")) for command, options in steps] == [("briefing", None), ("set", "briefing"), ("set", "briefing")]
    async with slack_bot(admin_core(store)) as (slack, url, http):
        for number, line in enumerate(filled_line(line.removeprefix("/brief ")) for line in STEPS if line.startswith("/brief ")):
            answer = await slash(slack, url, http, line, USER, f"r{number}")
            assert CAT("error.user_title") not in answer, (line, answer)
    briefing = await store.repository.briefing("my-event")
    assert (briefing.title, briefing.venue.zone, briefing.language, briefing.summary) == ("My event", "Europe/Brussels", "en", FILLED["…"])


def test_the_readme_is_the_front_door_and_its_links_lead_somewhere():
    text = README.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    assert lines < 200, (
        f"README.md is {lines} lines, past the 199 it may hold: it is the front door, what a newcomer reads first; move the"
        " detail to the guide in docs/ it belongs to and link it from here"
    )
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings[:3] == ["The two commands", "Quick start: your own event", "Commands"]
    assert {"Connecting Discord", "Connecting Slack"} <= set(headings)
    # Guides other branches write exist once everything is merged; these exist on every branch.
    for guide in ("commands", "admin-guide", "briefings", "digests", "deploy", "troubleshooting", "data-pack", "architecture"):
        assert f"(docs/{guide}.md)" in text and (ROOT / "docs" / f"{guide}.md").exists()
    assert "(CONTRIBUTING.md)" in text and (ROOT / "CONTRIBUTING.md").exists()  # a contributor's first page


def test_the_readme_makes_briefbot_a_command_before_it_types_one(tmp_path: Path) -> None:
    """The bot's hints say `briefbot validate …`; the README installed only `.venv/bin/briefbot`, so a newcomer typing
    them as printed got "command not found". It activates the environment first, and that puts `briefbot` on the PATH."""
    lines = [line.strip() for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
             for line in block.splitlines()]
    typed = [number for number, line in enumerate(lines) if re.match(r"(echo .* \| )?briefbot ", line)]
    activated = [number for number, line in enumerate(lines) if line.split("#")[0].strip() == ". .venv/bin/activate"]
    assert typed and activated and min(typed) > min(activated), lines
    written = briefbot("new", "my-event", "--title", "My event", "-o", tmp_path / "my-event.yaml").stdout
    assert "then: briefbot validate " in written  # the hint a newcomer types next, as the README makes it work
    venv = Path(sys.prefix)  # an environment `make` built the same way, as the README's is
    found = subprocess.run(["sh", "-c", f". {shlex.quote(str(venv / 'bin' / 'activate'))} && command -v briefbot"],
                           capture_output=True, text=True, timeout=30, env={"PATH": "/usr/bin:/bin"})
    assert found.stdout.strip() == str(venv / "bin" / "briefbot"), found.stderr


def test_the_guides_name_migrations_that_exist():
    """A migration a guide names by its file (data-pack.md named 011 and 006 for 012 and 007) is one a reader can open."""
    folders = [ROOT / "bot" / "store" / "migrations", ROOT / "bot" / "store" / "postgres" / "migrations"]
    files = {path.name for folder in folders for path in folder.glob("*.sql")}
    named = {name for guide in (README, *sorted((ROOT / "docs").glob("*.md")))
             for name in re.findall(r"\b\d{3}_\w+\.sql\b", guide.read_text(encoding="utf-8"))}
    assert named and not named - files, sorted(named - files)


def test_troubleshooting_covers_the_errors_people_hit():
    text = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
    for message in ("DISCORD_TOKEN is not set", "not in the channel", "do not show up", "database is locked", "file is not a database"):
        assert message in text
