"""`briefbot export -o OTHER/pack.yaml`: the export finds its sources' texts from wherever it is written, on both stores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.store.packfile import read_pack
from tests.cli_support import briefbot, printed_apply
from tests.conftest import BRIEFING_ID, PACK, SEED

ARTICLE = "000_f34434b4f058b5a7.txt"
SOURCE = "cubaheadlines-2026-02-03"  # the shipped pack's one source with a text


@pytest.mark.article
def test_an_export_elsewhere_validates_its_evidence_and_loads_into_a_fresh_store(store_target: str | Path, tmp_path: Path) -> None:
    original = tmp_path / "packs" / "original" / "pack.yaml"  # the shipped pack's `../../shared/seed/…` leads to tmp/shared
    original.parent.mkdir(parents=True)
    shutil.copyfile(PACK, original)
    shutil.copytree(SEED, tmp_path / "shared" / "seed")
    loaded = briefbot("--db", store_target, "load", original)
    assert loaded.returncode == 0, loaded.stderr

    exported = tmp_path / "elsewhere" / "deeper" / "pack.yaml"
    exported.parent.mkdir(parents=True)
    done = briefbot("--db", store_target, "export", "-o", exported)
    assert done.returncode == 0, done.stderr
    assert read_pack(exported).sources[0].text == f"../../shared/seed/{ARTICLE}"
    validated = briefbot("validate", exported)
    assert validated.returncode == 0, validated.stderr
    assert f"{exported}: evidence: " in validated.stdout and "cannot be read" not in validated.stdout

    fresh = tmp_path / "fresh.sqlite3"
    assert briefbot("--db", fresh, "load", exported).returncode == 0
    again = tmp_path / "elsewhere" / "again.yaml"  # beside the first: the same path, as it leads from the same folder
    assert briefbot("--db", fresh, "--briefing", BRIEFING_ID, "export", "-o", again).returncode == 0
    # Loaded back and exported again, the same briefing: only its text's path differs, leading from `again`'s folder.
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8").replace("text: ../../shared/", "text: ../shared/")
    assert (again.parent / str(read_pack(again).sources[0].text)).resolve() == (tmp_path / "shared" / "seed" / ARTICLE).resolve()


def test_edits_exported_elsewhere_load_back_unchanged(store_target: str | Path, tmp_path: Path) -> None:
    """docs/loading.md's "Keep the edits": the export, written in another folder, holds the edits; loading it is no change."""
    assert briefbot("--db", store_target, "load", PACK).returncode == 0
    assert briefbot("--db", store_target, "admin", "set", "kind:meeting", "status:concluded").returncode == 0
    exported = tmp_path / "pack.yaml"
    assert briefbot("--db", store_target, "export", "-o", exported).returncode == 0
    loaded = briefbot("--db", store_target, "load", exported)
    assert (loaded.returncode, loaded.stdout) == (0, f"unchanged: {BRIEFING_ID}\n"), loaded.stdout


@pytest.mark.article
def test_a_release_copied_to_a_new_folder_is_unchanged_and_its_texts_are_its_own(store_target: str | Path, tmp_path: Path) -> None:
    """A pack with its article beside it, copied unchanged to v2: it was stored as `loaded` with a path through v1's folder."""
    first = tmp_path / "v1" / "pack.yaml"
    (first.parent / "texts").mkdir(parents=True)
    shutil.copyfile(SEED / ARTICLE, first.parent / "texts" / ARTICLE)
    first.write_text(PACK.read_text(encoding="utf-8").replace(f"../../shared/seed/{ARTICLE}", f"texts/{ARTICLE}"), encoding="utf-8")
    assert briefbot("--db", store_target, "load", first).returncode == 0
    second = tmp_path / "v2"
    shutil.copytree(first.parent, second)
    loaded = briefbot("--db", store_target, "load", second / "pack.yaml")
    assert (loaded.returncode, loaded.stdout) == (0, f"unchanged: {BRIEFING_ID}\n"), loaded.stdout + loaded.stderr
    shutil.rmtree(first.parent)  # v1 retired: the export still finds v2's article
    exported = tmp_path / "out" / "pack.yaml"
    exported.parent.mkdir()
    assert briefbot("--db", store_target, "export", "-o", exported).returncode == 0
    assert read_pack(exported).sources[0].text == f"../v2/texts/{ARTICLE}"


@pytest.mark.article
def test_an_export_elsewhere_imports_unchanged_and_a_moved_text_still_leads_to_its_file(store_target: str | Path, tmp_path: Path) -> None:
    """`admin import` finds a pack's texts as `load` does: an untouched export is no change, a text moved is stored leading to it."""
    original = tmp_path / "project" / "data" / "pack.yaml"
    original.parent.mkdir(parents=True)
    shutil.copyfile(PACK, original)
    shutil.copytree(SEED, tmp_path / "shared" / "seed")
    assert briefbot("--db", store_target, "load", original).returncode == 0
    backup = tmp_path / "project" / "backup.yaml"  # written from the project's root: its path leads from there
    assert briefbot("--db", store_target, "export", "-o", backup).returncode == 0
    assert read_pack(backup).sources[0].text == f"../shared/seed/{ARTICLE}"
    imported = briefbot("--db", store_target, "admin", "import", backup)
    assert (imported.returncode, imported.stdout.splitlines()[0]) == (3, "The pack holds exactly what the briefing holds; nothing to import.")

    moved = tmp_path / "release" / "pack.yaml"  # the same pack, its article now beside it: another file, the path still leads to it
    (moved.parent / "texts").mkdir(parents=True)
    shutil.copyfile(SEED / ARTICLE, moved.parent / "texts" / ARTICLE)
    moved.write_text(backup.read_text(encoding="utf-8").replace(f"text: ../shared/seed/{ARTICLE}", f"text: texts/{ARTICLE}"), encoding="utf-8")
    dry = briefbot("--db", store_target, "admin", "import", moved)
    assert dry.returncode == 0 and f"sources: changed: {SOURCE}" in dry.stdout, dry.stdout
    applied = briefbot("--db", store_target, "admin", "import", moved, *printed_apply(dry.stdout))
    assert applied.returncode == 0 and "the pack was imported" in applied.stdout, applied.stdout
    again = tmp_path / "again.yaml"
    assert briefbot("--db", store_target, "export", "-o", again).returncode == 0
    assert (again.parent / str(read_pack(again).sources[0].text)).resolve() == (moved.parent / "texts" / ARTICLE).resolve()
    assert briefbot("--db", store_target, "admin", "import", moved).stdout.startswith("The pack holds exactly what")


@pytest.mark.article
def test_a_load_whose_texts_cannot_be_read_says_so_and_a_plain_copy_elsewhere_keeps_reading_them(store_target: str | Path, tmp_path: Path) -> None:
    """A pack copied where its `text:` path leads nowhere: unchanged, the store keeps its folder; changed, `load` warns
    on standard error, naming the source and the path, and `admin undo` puts back the folder the article is read from."""
    original = tmp_path / "project" / "data" / "pack.yaml"
    original.parent.mkdir(parents=True)
    shutil.copyfile(PACK, original)
    shutil.copytree(SEED, tmp_path / "shared" / "seed")
    loaded = briefbot("--db", store_target, "load", original)
    assert loaded.returncode == 0 and "cannot be read" not in loaded.stderr, loaded.stderr
    copy = tmp_path / "copy" / "pack.yaml"
    copy.parent.mkdir()
    shutil.copyfile(original, copy)
    kept = briefbot("--db", store_target, "load", copy)
    assert (kept.returncode, kept.stdout, kept.stderr) == (0, f"unchanged: {BRIEFING_ID}\n", "")

    desk = tmp_path / "desk" / "p.yaml"
    desk.parent.mkdir()
    desk.write_text(original.read_text(encoding="utf-8").replace("  status: scheduled", "  status: postponed"), encoding="utf-8")
    moved = briefbot("--db", store_target, "load", desk)
    assert (moved.returncode, moved.stdout) == (0, f"loaded: {BRIEFING_ID}\n")
    text = desk.parent / "../../shared/seed" / ARTICLE
    assert moved.stderr.splitlines() == [
        f"{desk}: warning: the text of source {SOURCE}, {text}, cannot be read, so the passages cited from it cannot be checked"
        " (by briefbot validate, or in admin edits after this load)",
        f"  until this load, passages cited from {SOURCE} were checked against its text: briefbot admin undo puts back the briefing"
        " as it was, and the folder its texts are read from (to edit a copy of a pack elsewhere, write it with briefbot export -o FILE,"
        " whose text: paths lead from FILE's folder)",
    ]
    assert briefbot("--db", store_target, "admin", "undo").returncode == 0
    exported = tmp_path / "out.yaml"
    assert briefbot("--db", store_target, "export", "-o", exported).returncode == 0
    assert read_pack(exported).sources[0].text == f"shared/seed/{ARTICLE}"
