"""The WAL index's header moves with every commit of any connection, and with nothing else (bot/store/wal_header.py).

The probe skips `PRAGMA data_version` while the header stands still, so these hold for the SQLite this
Python links: if a later SQLite laid the header out differently, the first test would say so.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.wal_header import WalHeader

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A database in WAL with one table, its connection holding the WAL index open as a store's does."""
    conn = sqlite3.connect(tmp_path / "w.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x)")
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def header(writer: sqlite3.Connection, tmp_path: Path) -> Iterator[WalHeader]:
    """The header of `writer`'s database, mapped while `writer` holds its WAL index open."""
    mapped = WalHeader.of(tmp_path / "w.sqlite3", writer)
    assert mapped is not None
    try:
        yield mapped
    finally:
        mapped.close()


def test_the_header_moves_with_each_commit_and_not_with_reads(writer: sqlite3.Connection, header: WalHeader, tmp_path: Path) -> None:
    before = header.read()
    with contextlib.closing(sqlite3.connect(f"{(tmp_path / 'w.sqlite3').as_uri()}?mode=ro", uri=True)) as reader:
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)
        assert reader.execute("PRAGMA data_version").fetchone()
    assert header.read() == before  # reads, ours or another connection's, leave it
    writer.execute("INSERT INTO t VALUES (1)")
    after_one = header.read()
    assert after_one != before
    writer.execute("INSERT INTO t VALUES (2)")
    assert header.read() != after_one  # a second commit, the same size as the first, moves it again


def test_another_process_writing_and_truncating_the_wal_moves_it(writer: sqlite3.Connection, header: WalHeader, tmp_path: Path) -> None:
    """The mapping stays readable while another process writes and empties the WAL (this process holds the index)."""
    before = header.read()
    other = (f"import sqlite3; c = sqlite3.connect({str(tmp_path / 'w.sqlite3')!r}, isolation_level=None);"
             " c.execute('INSERT INTO t VALUES (3)'); c.execute('PRAGMA wal_checkpoint(TRUNCATE)').fetchall(); c.close()")
    subprocess.run([sys.executable, "-c", other], check=True, timeout=60)
    assert header.read() != before
    assert writer.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_no_header_without_a_wal_index_sqlite_built(tmp_path: Path) -> None:
    """A file in a rollback journal, even beside a `-shm` left from its WAL days, or a `-shm` SQLite did not build: every look asks."""
    journal = tmp_path / "journal.sqlite3"
    with contextlib.closing(sqlite3.connect(journal, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (x)")
        left = Path(f"{journal}-shm").read_bytes()  # a built index, as a crash would leave it
        conn.execute("PRAGMA journal_mode = DELETE")
        Path(f"{journal}-shm").write_bytes(left)
        assert WalHeader.of(journal, conn) is None
    for stray in (bytes(32768), b"short"):  # the size of an index never initialised; shorter than a header
        with contextlib.closing(sqlite3.connect(tmp_path / "stray.sqlite3", isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
            Path(tmp_path / "stray.sqlite3-shm").unlink()
            Path(tmp_path / "stray.sqlite3-shm").write_bytes(stray)
            assert WalHeader.of(tmp_path / "stray.sqlite3", conn) is None
