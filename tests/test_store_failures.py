"""The store when its file or disk fails: clear messages, a non-zero exit and no hang; refused writes.

Every case uses the real thing: damaged files written to disk, a folder made immutable with
`chattr +i` (tests run as root, and root ignores permission bits, but not that flag), a path whose
parent is a regular file, a deleted database file, and a real full disk (a small tmpfs mounted for
the test). Cases whose tool this machine lacks are skipped, saying which.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from bot.core.catalogue import Catalogue
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import StoreError
from bot.store import Store, open_store
from tests.cli_support import briefbot as run_briefbot
from tests.cli_support import printed_apply
from tests.conftest import BEFORE, BRIEFING_ID, DATA, ROOT

INTERNAL = Catalogue()("error.internal")
DISK_FULL = Catalogue()("store.disk_full")
OPERATOR = Request(command="", now=BEFORE, platform="cli", operator=True, user_id="operator")
EDIT = 'set kind:faq id:significance answer:"Edited."'
COMMANDS = {"ask": ["ask", "/meeting"], "run": ["run"], "discord run": ["discord", "run"], "slack run": ["slack", "run"]}
TIMEOUT = 30  # seconds: a process still running then hangs (the aiosqlite thread kept it alive before)


def briefbot(*args: str | Path, runner: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` with no briefbot settings or platform tokens and standard input closed (`runner`: the command that runs it)."""
    prefixes = ("BRIEFBOT_", "DISCORD_", "SLACK_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return subprocess.run(
        [*runner, sys.executable, "-m", "bot", *map(str, args)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=TIMEOUT,
    )


def seeded_bytes(tmp_path: Path) -> bytes:
    """The bytes of a real seeded database file (its log checkpointed into it by the CLI's exit)."""
    path = tmp_path / "seed" / "good.sqlite3"
    assert briefbot("--db", path, "ask", "/meeting").returncode == 0
    return path.read_bytes()


def corrupt(tmp_path: Path) -> Path:
    """A real database whose stored schema holds a byte that is not UTF-8, where SQLite reads it at open.

    (Overwriting every 97th byte used to land there; where it lands depends on the schema's layout.)
    """
    damaged = bytearray(seeded_bytes(tmp_path))
    damaged[damaged.index(b"CREATE TABLE briefings") + 2] = 0xAA
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(bytes(damaged))
    return path


def truncated(tmp_path: Path) -> Path:
    """The first third of a real database."""
    whole = seeded_bytes(tmp_path)
    path = tmp_path / "truncated.sqlite3"
    path.write_bytes(whole[: len(whole) // 3])
    return path


def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite3"
    path.write_text("This is a text file, not a database.\n" * 50, encoding="utf-8")
    return path


def a_folder(tmp_path: Path) -> Path:
    """`--db` naming a folder, not the file in it."""
    (tmp_path / "var").mkdir()
    return tmp_path / "var"


def under_a_file(tmp_path: Path) -> Path:
    """A path whose parent is a regular file: its folder can never be created."""
    (tmp_path / "plain-file").write_text("x", encoding="utf-8")
    return tmp_path / "plain-file" / "briefbot.sqlite3"


# Which of SQLite's two words a damaged file earns depends on whether the damage hits the schema,
# which grows with every migration: either is the clear message wanted.
CORRUPT = ("the file cannot be read as a SQLite database", "the database file is corrupt or truncated")
BAD_FILES: dict[str, tuple[Any, str | tuple[str, ...]]] = {
    "corrupt": (corrupt, CORRUPT),
    "truncated": (truncated, "the database file is corrupt or truncated"),
    "text": (text_file, "the file is not a SQLite database"),
    "parent is a file": (under_a_file, "its folder cannot be created"),
    "a folder": (a_folder, "it is a folder; name the database file, such as "),
}


def check_refused(result: subprocess.CompletedProcess[str], reason: str | tuple[str, ...]) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "briefbot: the database could not be used: cannot open database" in result.stderr
    assert any(one in result.stderr for one in ((reason,) if isinstance(reason, str) else reason)), result.stderr
    assert "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("command", ["ask", "run"])
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_ends_the_process_with_a_clear_message(tmp_path: Path, kind: str, command: str) -> None:
    make, reason = BAD_FILES[kind]
    check_refused(briefbot("--db", make(tmp_path), *COMMANDS[command]), reason)


@pytest.mark.parametrize("command", ["discord run", "slack run"])
def test_the_platform_bots_end_too(tmp_path: Path, command: str) -> None:
    check_refused(briefbot("--db", corrupt(tmp_path), *COMMANDS[command]), CORRUPT)


@contextlib.contextmanager
def immutable(folder: Path) -> Iterator[None]:
    """The folder read-only even for root (chattr +i), until the block ends."""
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", folder], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here: no way to make a folder read-only for root")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", folder], check=True)


@pytest.mark.parametrize("command", ["ask", "run"])
@pytest.mark.parametrize("existing", [True, False], ids=["existing file", "new file"])
def test_a_read_only_folder_ends_the_process_with_a_clear_message(tmp_path: Path, command: str, existing: bool) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    if existing:
        (folder / "briefbot.sqlite3").write_bytes(seeded_bytes(tmp_path))
    with immutable(folder):
        result = briefbot("--db", folder / "briefbot.sqlite3", *COMMANDS[command])
    check_refused(result, "cannot be opened or created there (is its folder writable?)")


NOBODY = 65534
# Runs briefbot as a user with no rights to the store's folder: tests run as root, whom permission bits never stop.
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.mark.parametrize("command", [["ask", "/meeting"], ["briefings", "list"], ["export"]])
def test_a_read_in_a_folder_its_user_cannot_write_says_so_naming_the_file(tmp_path: Path, command: list[str]) -> None:
    """Mode 555, no `-wal` or `-shm` beside the file: SQLite cannot start a read (SQLITE_READONLY_DIRECTORY)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("no setpriv, or not root: briefbot cannot run as another user here")
    if subprocess.run([*AS_NOBODY, sys.executable, "-c", "import bot.cli"], cwd=ROOT, capture_output=True).returncode:
        # A checkout (or its venv) under a folder only root may enter, as a CI clone in `mktemp -d`: the read-only
        # folder's message is then tested for root by test_a_read_only_folder_ends_the_process_with_a_clear_message.
        pytest.skip("another user cannot run briefbot from this checkout: it lies under a folder only root may enter")
    top = Path(tempfile.mkdtemp(prefix="briefbot-nobody-"))  # not under tmp_path, whose parents only root may enter
    try:
        top.chmod(0o755)
        folder = top / "d"
        folder.mkdir()
        path = folder / "briefbot.sqlite3"
        path.write_bytes(seeded_bytes(tmp_path))
        for owned in (folder, path):
            os.chown(owned, NOBODY, NOBODY)
        folder.chmod(0o555)
        result = briefbot("--db", path, *command, runner=AS_NOBODY)
    finally:
        shutil.rmtree(top)
    assert result.stderr.startswith(f"briefbot: the database could not be used: cannot open database {path}: "), result.stderr
    check_refused(result, "cannot be opened or created there (is its folder writable?)")


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    """A real filesystem of `size` (tmpfs) mounted at `where` for the block."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", where], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.decode().strip()}): no real full disk")
    try:
        yield where
    finally:
        subprocess.run(["umount", where], check=True)


def fill(disk: Path) -> None:
    """Write until the disk has no byte left."""
    with contextlib.suppress(OSError), (disk / "filler").open("wb", buffering=0) as filler:
        while True:
            filler.write(b"\0" * 4096)


def test_a_fresh_store_on_a_full_disk_says_so(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "64k") as disk:
        result = briefbot("--db", disk / "briefbot.sqlite3", "ask", "/meeting")
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"briefbot: {DISK_FULL}\n", result.stderr  # one line, no rollback failure, no traceback


@pytest.mark.parametrize("command", [["ask", "/meeting"], ["briefings", "list"], ["admin", "set", "kind:meeting", "status:concluded"]])
def test_a_store_opened_on_a_disk_already_full_says_so_even_for_a_read(tmp_path: Path, command: list[str]) -> None:
    """No process has the store open, so SQLite must make its `-shm` file first: with no byte left, nothing can start."""
    with small_disk(tmp_path / "disk", "8m") as disk:
        path = disk / "briefbot.sqlite3"
        assert briefbot("--db", path, "ask", "/meeting").returncode == 0
        fill(disk)
        result = briefbot("--db", path, *command)
        (disk / "filler").unlink()
        assert briefbot("--db", path, "ask", "/meeting").returncode == 0  # space freed: it works again
    assert (result.returncode, result.stderr) == (1, f"briefbot: {DISK_FULL}\n"), result.stderr


async def test_an_edit_on_a_full_disk_says_so_and_changes_nothing(tmp_path: Path, caplog) -> None:
    with small_disk(tmp_path / "disk", "8m") as disk:
        async with open_store(disk / "briefbot.sqlite3") as store:
            await store.seed(DATA, BRIEFING_ID)
            core = BriefingCore(store.repository)
            before = await store.repository.briefing()
            fill(disk)
            with caplog.at_level(logging.ERROR):
                reply = await core.dispatch_line(EDIT, OPERATOR)
            assert (reply.kind, reply.text) == ("error", DISK_FULL)  # whoever asked: what is wrong, and that nothing changed
            assert await store.repository.briefing() == before
            (disk / "filler").unlink()
            assert (await core.dispatch_line(EDIT, OPERATOR)).kind == "answer"  # not stuck in a transaction
    # Said, not logged as a failure (as a read-only store's refusal); no failed rollback raised while handling it.
    assert not caplog.records, caplog.text


@pytest.mark.sqlite_only("SQLite's page limit, set per connection")
@pytest.mark.parametrize("line", ['set kind:faq id:significance answer:"{n} {text}"', "subscribe platform:slack channel:C{n} alerts:none"])
async def test_a_write_past_the_files_page_limit_is_refused_as_on_a_full_disk(store: Store, line: str) -> None:
    """`max_page_count` makes SQLite answer SQLITE_FULL as a full disk does: the same refusal, wherever tests run."""
    core = BriefingCore(store.repository, digests=store.digests)
    pages = (await (await store.repository._conn.execute("PRAGMA page_count")).fetchone())[0]
    for conn in (store.repository._conn, store.digests._conn):
        await conn.execute(f"PRAGMA max_page_count = {pages + 4}")  # a few pages more, then none: the file's layout decides no outcome
    for n in range(5000):  # each write takes some of the room left
        reply = await core.dispatch_line(line.format(n=n, text="x" * 3000), OPERATOR)
        if reply.kind == "error":
            break
    assert (reply.kind, reply.text) == ("error", DISK_FULL), reply.text
    assert n > 0  # the writes before it were stored, and nothing of the refused one was:
    if line.startswith("set"):
        answer = next(faq.answer for faq in (await store.repository.briefing()).faq if faq.id == "significance")
        assert answer.startswith(f"{n - 1} ")
    else:
        assert len(await store.digests.subscriptions()) == n


def fill_but(disk: Path, room: int) -> None:
    """Fill the disk but `room` bytes: enough to open the store (its -shm), not for an edit's pages."""
    stats = os.statvfs(disk)
    with (disk / "filler").open("wb") as filler:
        filler.write(b"\0" * max(stats.f_bavail * stats.f_frsize - room, 0))


def written(path: Path) -> tuple[int, int]:
    """How many revisions and subscriptions the store holds."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT (SELECT count(*) FROM revisions), (SELECT count(*) FROM subscriptions)").fetchone()


# Every way an admin writes from the command line, as (arguments, what the console reads), given the seeded store's path.
FULL_DISK_WRITES: dict[str, Any] = {
    "admin set": lambda _, __: (["admin", "set", "kind:meeting", "status:concluded"], None),
    "admin import": lambda tmp_path, db: (applied_import(db, retitled_pack(tmp_path)), None),
    "load": lambda tmp_path, _: (["load", retitled_pack(tmp_path)], None),
    "console edit": lambda _, __: (["console"], "set kind:meeting status:concluded\n"),
    "console subscribe": lambda _, __: (["console"], "subscribe platform:slack channel:C1 alerts:none\n"),
}


def applied_import(db: str | Path, pack: Path) -> list[str]:
    """`admin import PACK` with the apply its dry run printed."""
    return ["admin", "import", str(pack), *printed_apply(briefbot("--db", db, "admin", "import", pack).stdout)]


@pytest.mark.parametrize("command", sorted(FULL_DISK_WRITES))
def test_a_write_on_a_full_disk_says_so_in_one_line(tmp_path: Path, command: str) -> None:
    with small_disk(tmp_path / "disk", "8m") as disk:
        path = disk / "briefbot.sqlite3"
        assert briefbot("--db", path, "ask", "/meeting").returncode == 0
        words, lines = FULL_DISK_WRITES[command](tmp_path, path)
        before = written(path)
        fill_but(disk, 64 * 1024)
        result = run_briefbot("--db", path, *words, stdin=lines)
        (disk / "filler").unlink()
        assert written(path) == before
    said = " ".join((result.stdout + result.stderr).split())  # the console wraps the admin's reply
    assert DISK_FULL in said, said
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr and INTERNAL not in said, result.stderr
    assert result.returncode == (0 if lines else 1), result.returncode  # the console goes on to its next line


async def test_a_deleted_file_refuses_edits_fails_the_check_and_is_logged(store_path: Path, caplog) -> None:
    async with open_store(store_path) as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository)
        await store.check()  # healthy
        assert (await core.dispatch_line('set kind:faq id:significance answer:"Kept."', OPERATOR)).kind == "answer"
        store_path.unlink()
        with caplog.at_level(logging.ERROR):
            reply = await core.dispatch_line(EDIT, OPERATOR)
            with pytest.raises(StoreError, match="deleted while briefbot ran"):
                await store.check()
        assert reply.kind == "error" and "Revision" not in reply.text
        revisions = await store.repository.revisions(BRIEFING_ID, "faq", "significance")
        assert [r.after["item"]["answer"] for r in revisions if r.after and r.kind == "faq"] == ["Kept."]  # the refused edit left nothing
    assert "was deleted while briefbot ran" in caplog.text


async def test_a_replaced_file_fails_the_check(store_path: Path) -> None:
    async with open_store(store_path) as store:
        await store.seed(DATA, BRIEFING_ID)
        replacement = store_path.with_name("other.sqlite3")
        shutil.copyfile(store_path, replacement)
        replacement.replace(store_path)
        with pytest.raises(StoreError, match="replaced while briefbot ran"):
            await store.check()


async def test_the_check_fails_when_the_store_does_not_answer(store_path: Path) -> None:
    async with open_store(store_path) as store:
        await store.check()
        await store.repository._conn.close()
        with pytest.raises(StoreError, match="does not answer"):
            await store.check()


async def test_a_deleted_file_refuses_digest_ledger_writes(store_path: Path) -> None:
    """A subscription or a send's claim written into a deleted file would be gone at the next start."""
    from datetime import time

    from bot.core.digest.ledger import NewSubscription

    async with open_store(store_path) as store:
        await store.seed(DATA, BRIEFING_ID)

        def subscription(channel: str) -> NewSubscription:
            return NewSubscription("slack", channel, "T1", BRIEFING_ID, time(8), "UTC", False, (), "U1", BEFORE, 0)

        await store.digests.subscribe(subscription("C1"))
        store_path.unlink()
        with pytest.raises(StoreError, match="deleted while briefbot ran"):
            await store.digests.subscribe(subscription("C2"))
        assert [s.channel_id for s in await store.digests.subscriptions()] == ["C1"]


READ_ONLY = Catalogue()("store.read_only")


def retitled_pack(tmp_path: Path) -> Path:
    """The shipped pack with another title: loading it must write."""
    path = tmp_path / "retitled.yaml"
    shipped = (DATA / f"{BRIEFING_ID}.yaml").read_text(encoding="utf-8")
    path.write_text(shipped.replace('title: "Petro in Washington', 'title: "Petro in D.C.', 1), encoding="utf-8")
    return path


WRITES = {
    "admin set": lambda _: ["admin", "set", "kind:meeting", "status:concluded"],
    "load": lambda tmp_path: ["load", retitled_pack(tmp_path)],
    "briefings archive": lambda _: ["briefings", "archive", BRIEFING_ID],
}


@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_read_only_file_is_read_and_a_write_is_refused_in_one_clear_line(tmp_path: Path, command: str) -> None:
    path = tmp_path / "briefbot.sqlite3"
    path.write_bytes(seeded_bytes(tmp_path))
    words = WRITES[command](tmp_path)
    with immutable(path):  # the file, not its folder: SQLite opens it read-only and reads it
        asked = briefbot("--db", path, "ask", "/meeting")
        listed = briefbot("--db", path, "briefings", "list")
        result = briefbot("--db", path, *words)
    assert asked.returncode == 0 and listed.returncode == 0, (asked.stderr, listed.stderr)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    said = " ".join((result.stdout + result.stderr).split())  # the console wraps the admin's reply
    assert READ_ONLY in said, said
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    assert "Petro in D.C." not in briefbot("--db", path, "briefings", "list").stdout


def damaged_page(tmp_path: Path) -> Path:
    """A real store whose items table's first page holds garbage: SQLite finds it only when a query reads that table."""
    path = tmp_path / "page.sqlite3"
    path.write_bytes(seeded_bytes(tmp_path))
    with contextlib.closing(sqlite3.connect(path)) as conn:
        ((root,),) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'items'")
        ((page_size,),) = conn.execute("PRAGMA page_size")
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\x07\x07\x07\x07")
    return path


def undecodable_text(tmp_path: Path) -> Path:
    """A real store whose briefing's title is not UTF-8 (a flipped byte): SQLite reads it; Python cannot decode it."""
    path = tmp_path / "flipped.sqlite3"
    path.write_bytes(seeded_bytes(tmp_path))
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE briefings SET title = CAST(x'ff' || CAST(title AS BLOB) AS TEXT)")
    return path


DAMAGED_AT_A_QUERY = {"damaged page": damaged_page, "not UTF-8": undecodable_text}
READS = {"ask": ["ask", "/brief"], "admin history": ["admin", "history"]}


@pytest.mark.parametrize("command", sorted(READS))
@pytest.mark.parametrize("kind", sorted(DAMAGED_AT_A_QUERY))
def test_damage_found_by_a_query_ends_the_command_in_one_line_naming_the_file(tmp_path: Path, kind: str, command: str) -> None:
    path = DAMAGED_AT_A_QUERY[kind](tmp_path)
    result = briefbot("--db", path, *READS[command])
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.startswith(f"briefbot: the database could not be used: a query on {path} failed: "), result.stderr
    assert "the database file is corrupt or truncated" in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert "Petro" not in result.stderr and INTERNAL not in result.stdout  # never the stored text, nor "Sorry"


def zero_filled_revision(tmp_path: Path) -> tuple[Path, int]:
    """A real store whose revision's JSON was zero-filled, as a backup missing its last page leaves it: SQLite's
    integrity_check passes, the JSON does not parse."""
    path = tmp_path / "zeroed.sqlite3"
    path.write_bytes(seeded_bytes(tmp_path))
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        ((number,),) = conn.execute("SELECT max(id) FROM revisions WHERE after IS NOT NULL")
        conn.execute("UPDATE revisions SET after = CAST(zeroblob(length(after)) AS TEXT) WHERE id = ?", (number,))
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    return path, number


def test_a_zero_filled_revision_ends_history_in_one_line_naming_it(tmp_path: Path) -> None:
    """`admin history` ended with json.decoder.JSONDecodeError's traceback: now the damage, the revision, and no traceback."""
    path, number = zero_filled_revision(tmp_path)
    result = briefbot("--db", path, "admin", "history")
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stderr == (f"briefbot: the database could not be used: revision {number} cannot be read: the database"
                             " file is corrupt or truncated (its stored JSON or time is damaged)\n"), result.stderr


async def test_a_bot_logs_damage_found_by_a_query_in_one_line_naming_the_file(tmp_path: Path, caplog) -> None:
    path = undecodable_text(tmp_path)
    async with open_store(path) as store:
        core = BriefingCore(store.repository)  # a running bot's: it goes on answering, and logs the failure
        with caplog.at_level(logging.ERROR):
            reply = await core.dispatch_line("brief", OPERATOR)
    assert (reply.kind, reply.text) == ("error", INTERNAL)
    [record] = caplog.records
    assert f"a query on {path} failed: the database file is corrupt or truncated (a stored text is not UTF-8)" in record.getMessage()
    assert record.exc_info is None and "Petro" not in record.getMessage()  # the file to restore, not a traceback or its text


async def test_an_edit_while_another_process_holds_the_write_lock_says_busy_in_one_warning(store_path: Path, caplog) -> None:
    async with open_store(store_path) as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository)
        before = await store.repository.briefing()
        holder = sqlite3.connect(store_path, isolation_level=None)  # a sqlite3 shell left in a write transaction
        holder.execute("BEGIN IMMEDIATE")
        try:
            with caplog.at_level(logging.WARNING):
                reply = await core.dispatch_line(EDIT, OPERATOR)  # waits out the busy timeout (5 s)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert (reply.kind, reply.text) == ("error", Catalogue()("store.busy"))  # a wait, not "something went wrong"
        assert await store.repository.briefing() == before
        assert (await core.dispatch_line(EDIT, OPERATOR)).kind == "answer"  # the lock gone, it works again
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info is None, caplog.text
    assert f"{store_path} failed: the database is locked by another process" in record.getMessage()


async def test_a_file_made_read_only_under_a_running_bot_refuses_an_edit_as_read_only(store_path: Path, caplog) -> None:
    async with open_store(store_path) as store:
        await store.seed(DATA, BRIEFING_ID)
        core = BriefingCore(store.repository)
        with contextlib.ExitStack() as frozen, caplog.at_level(logging.WARNING):
            for file in [store_path.with_name(store_path.name + end) for end in ("", "-wal", "-shm")]:
                if file.exists():
                    frozen.enter_context(immutable(file))  # the open file: SQLite can only call its refused write an I/O error
            reply = await core.dispatch_line(EDIT, OPERATOR)
        assert (reply.kind, reply.text) == ("error", READ_ONLY)  # not "the disk could not be read or written"
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info is None, caplog.text
    assert f"{store_path} failed: the store is read-only" in record.getMessage()
