"""`briefbot migrate-pack`: an old pack (one `meeting:`, venue/home zones) rewritten as `sessions:` and `zones:`.

Loading the rewritten pack gives the same briefing and every read command the same answer (issue #14 §4).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import msgspec.structs
import yaml

from bot.core.service import BriefingCore
from bot.store import open_store
from bot.store.packfile import read_pack
from tests.cli_support import briefbot
from tests.conftest import PACK, SEED, ask
from tests.load_support import load_pack

# Every read command, with options that reach into each part of the briefing.
READS = (
    "/brief", "/meeting", "/timeline", "/timeline from:2025-09 topic:sanctions", "/delegation", "/delegation side:colombia",
    '/person "garcia pena"', "/agenda", "/quotes", "/quotes trump", "/faq", "/search cocoa", "/search white house",
    "/sources", "/why timeline/visa-revoked", "/why meeting", "/help", "/help meeting",
)


def test_migrate_pack_prints_the_new_form_and_leaves_the_file(tmp_path: Path) -> None:
    old = tmp_path / "pack.yaml"
    shutil.copy(PACK, old)
    result = briefbot("migrate-pack", old)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert "meeting" not in data and [s["id"] for s in data["sessions"]] == ["meeting"]
    assert [z["label"] for z in data["briefing"]["zones"]] == ["Washington", "Bogotá"]
    assert old.read_text(encoding="utf-8") == PACK.read_text(encoding="utf-8")


async def test_the_rewritten_pack_loads_the_same_briefing_with_the_same_answers(tmp_path: Path) -> None:
    # Both packs where their `text:` leads to the article, wherever this checkout lies: `/why` compares checked passages.
    folder = tmp_path / "checkout" / "data"
    folder.mkdir(parents=True)
    (tmp_path / "shared").symlink_to(SEED.parent, target_is_directory=True)
    original, new = folder / "original.yaml", folder / "pack.yaml"
    shutil.copy(PACK, original)
    shutil.copy(PACK, new)
    result = briefbot("migrate-pack", new, "--write")
    assert result.returncode == 0 and result.stdout == "", result.stderr
    assert "sessions:" in new.read_text(encoding="utf-8") and not list(folder.glob(".*partial"))
    assert read_pack(new) == read_pack(PACK)
    async with open_store(tmp_path / "old.sqlite3") as old_store, open_store(tmp_path / "new.sqlite3") as new_store:
        await load_pack(old_store, original)
        await load_pack(new_store, new)
        old_core, new_core = BriefingCore(old_store.repository), BriefingCore(new_store.repository)
        for line in READS:
            before, after = await ask(old_core, line), await ask(new_core, line)
            assert before.kind == "answer", (line, before.text)
            assert msgspec.structs.replace(after, approval=None) == msgspec.structs.replace(before, approval=None), line


def test_a_bad_pack_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = PACK.read_text(encoding="utf-8").replace("status: scheduled", "status: maybe")
    bad.write_text(text, encoding="utf-8")
    result = briefbot("migrate-pack", bad, "--write")
    assert result.returncode == 1 and "meeting.status: expected one of" in result.stderr
    assert bad.read_text(encoding="utf-8") == text


def test_a_pack_already_in_todays_form_is_said_so_and_left_untouched(tmp_path: Path) -> None:
    """README suggests migrate-pack after `new`: --write stripped the skeleton's guidance and said nothing."""
    pack = tmp_path / "my-event.yaml"
    assert briefbot("new", "my-event", "--title", "My event", "-o", pack).returncode == 0
    text = pack.read_text(encoding="utf-8")
    said = f"{pack} is already in today's form (sessions: and zones: lists): there is nothing to rewrite, and the file is left as it is."
    written = briefbot("migrate-pack", pack, "--write")
    assert (written.returncode, written.stdout, written.stderr) == (0, said + "\n", ""), written.stderr
    assert pack.read_text(encoding="utf-8") == text and not list(tmp_path.glob(".*partial"))
    printed = briefbot("migrate-pack", pack)  # a pipe gets no pack text to write over the file with
    assert (printed.returncode, printed.stdout, printed.stderr) == (0, "", said + "\n")
    # The older zones alone (venue/home) are still rewritten.
    old_zones = yaml.safe_load(text)
    old_zones["briefing"]["zones"] = {"venue": {"zone": "UTC", "label": "Venue"}, "home": {"zone": "Europe/Paris", "label": "Paris"}}
    pack.write_text(yaml.safe_dump(old_zones), encoding="utf-8")
    rewritten = briefbot("migrate-pack", pack, "--write")
    assert (rewritten.returncode, rewritten.stdout) == (0, ""), rewritten.stderr
    assert [zone["label"] for zone in yaml.safe_load(pack.read_text(encoding="utf-8"))["briefing"]["zones"]] == ["Venue", "Paris"]
