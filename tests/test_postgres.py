"""What only the PostgreSQL store must show: parity of search with SQLite, many processes, and faults.

The behavioural tests of the stores, admin commands and digests already run on both backends
(the `store` fixture in conftest.py); these tests need a server, and are skipped (or, on CI, fail)
without one.
"""

from __future__ import annotations

import ast
import asyncio
import logging
import re
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import msgspec.structs
import pytest

from bot.core.catalogue import Catalogue
from bot.core.model import Briefing
from bot.core.repository import Change, StaleEdit, TimelineQuery
from bot.core.service import BriefingCore
from bot.errors import ConfigError, StoreError
from bot.settings import load_settings
from bot.store import Store, open_store, rows
from bot.store.postgres.database import migrations
from tests import pg_server
from tests.cli_support import briefbot, briefbot_started, opened_together, printed_apply
from tests.conftest import BRIEFING_ID, DATA, PACK, ROOT, ask, fresh_database, require_postgres
from tests.digest_support import FakeClock, RecordingPlatform
from tests.load_support import load_pack
from tests.test_admin import OPERATOR, POLICY
from tests.test_digest_runner import SLOT_BOGOTA, runner_for, subscribe
from tests.test_one_shot import LINES as ONE_SHOT_LINES
from tests.test_scale import RANGES, dated_pack

GENERIC = "Sorry, that did not work. The problem has been logged; please try again later."


@pytest.fixture
async def url(postgres_server: str | None) -> AsyncIterator[str]:
    """A database of this test's own, migrated and empty."""
    async with fresh_database(postgres_server) as database:
        yield database


@pytest.fixture
async def pg_store(url: str) -> AsyncIterator[Store]:
    """The PostgreSQL store, seeded with the shipped pack."""
    async with open_store(url) as opened:
        await opened.seed(DATA, BRIEFING_ID)
        yield opened


# Ranges, topics and pages that `timeline query:` filters and pages in SQL on both stores.
TIMELINE_QUERIES = [(None, None, None, 0), (None, None, None, 2), (date(2025, 9, 1), None, None, 0), (None, date(2025, 10, 31), "sanctions", 0),
                    (date(2025, 10, 1), date(2026, 1, 31), None, 1), (None, None, "migration", 0), (None, None, None, 500)]


async def test_timeline_query_orders_every_precision_as_on_sqlite(pg_store: Store, tmp_path: Path) -> None:
    """Months, years, ranges, equal days and undated events: both stores find, order and count `timeline query:` alike."""
    async with open_store(tmp_path / "briefbot.sqlite3") as sqlite:
        for store in (pg_store, sqlite):
            await store.repository.save(dated_pack("dated"))
        for word in ("", "alpha", "gamma", "event", "alpha or delta"):  # "": every event (a one-shot `ask /timeline`'s page)
            for first, last in RANGES:
                for tag in (None, "migration", "trade"):
                    asked = TimelineQuery(word, first, last, tag, 0, 100)
                    assert await pg_store.repository.timeline_matches("dated", asked) == (
                        await sqlite.repository.timeline_matches("dated", asked)
                    ), asked


async def test_migration_008_gives_stored_events_the_days_a_save_writes(url: str) -> None:
    """Rows stored before 008 get the first and last day `timeline query:` sorts by, as `rows.item_row` writes them."""
    pack = dated_pack("dated")
    async with open_store(url) as store:
        await store.repository.save(pack)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("ALTER TABLE items DROP COLUMN first_day, DROP COLUMN last_day")  # as before 008
        await conn.execute(next(sql for number, _, sql in migrations() if number == 8))
        found = [tuple(row) for row in await conn.fetch("SELECT kind, id, first_day, last_day FROM items")]
    finally:
        await conn.close()
    assert sorted(found) == sorted((row[1], row[2], row[7], row[8]) for row in rows.item_rows(pack))


async def test_search_and_timeline_query_answer_as_on_sqlite(pg_store: Store, tmp_path: Path) -> None:
    """A third of the shipped pack's words and of their three-letter prefixes: the same hits, order and ranks.

    (Every word and prefix, 910 queries, answered the same when this was written; a third keeps the suite quick.)
    """
    words = sorted({w.lower() for w in re.findall(r"\w{3,}", PACK.read_text(encoding="utf-8"))})
    prefixes = sorted({w[:3] for w in words})
    queries = [*words[::3], *prefixes[::3], "garcia pena", "GARCÍA", "u.s. visa", "petro trump meeting", "united_states", "visa OR sanctions", "cocoa or trump visa"]
    async with open_store(tmp_path / "briefbot.sqlite3") as sqlite:
        await sqlite.seed(DATA, BRIEFING_ID)
        for query in queries:
            (found, count), (expected, expected_count) = [await s.repository.search(BRIEFING_ID, query) for s in (pg_store, sqlite)]
            assert [(h.kind, h.item_id) for h in found] == [(h.kind, h.item_id) for h in expected] and count == expected_count, query
            assert [h.rank for h in found] == pytest.approx([h.rank for h in expected]), query
            for first, last, tag, offset in TIMELINE_QUERIES:
                asked = TimelineQuery(query, first, last, tag, offset, 4)
                assert await pg_store.repository.timeline_matches(BRIEFING_ID, asked) == (
                    await sqlite.repository.timeline_matches(BRIEFING_ID, asked)
                ), (query, asked)
        pg_core, sqlite_core = BriefingCore(pg_store.repository), BriefingCore(sqlite.repository)
        for query in words[::20]:
            for line in (f"/search {query}", f"/timeline query:{query}"):
                assert await ask(pg_core, line) == await ask(sqlite_core, line), line


async def test_a_one_shot_ask_answers_as_a_running_bot_on_postgresql(pg_store: Store) -> None:
    """A part is the whole briefing here; the pages, counts and citations a one-shot command asks the store for agree."""
    running, one_shot = BriefingCore(pg_store.repository), BriefingCore(pg_store.repository, warm_indexes=False)
    for line in ONE_SHOT_LINES:
        assert await ask(one_shot, line) == await ask(running, line), line


async def test_processes_starting_together_migrate_once(postgres_server: str | None) -> None:
    async with fresh_database(postgres_server) as template_copy:
        admin = await asyncpg.connect(template_copy)
        try:  # an empty database: drop what the template brought
            await admin.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP TEXT SEARCH CONFIGURATION IF EXISTS briefbot")
        finally:
            await admin.close()
        ended = opened_together(template_copy)
        assert [status for status, _ in ended] == [0] * 4, ended
        said = [line for _, output in ended for line in output.splitlines() if line.startswith(("applied migration", "made a new"))]
        assert said == [f"made a new store (schema {len(migrations())})"]  # once: one process migrated, in one line
        conn = await asyncpg.connect(template_copy)
        try:
            assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == len(migrations())
        finally:
            await conn.close()


async def test_processes_seeding_an_empty_store_together_log_the_seed_once(url: str) -> None:
    """The packs' write lock held here until all three wait on it: each found the store empty, one writes the pack."""
    admin = await asyncpg.connect(url)
    try:
        await admin.execute("SELECT pg_advisory_lock(hashtextextended('briefbot:default', 0))")  # every save takes it
        racing = [await briefbot_started("--db", url, "ask", "/brief") for _ in range(3)]
        waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        deadline = time.monotonic() + 60
        while await admin.fetchval(waiting) < len(racing):
            assert time.monotonic() < deadline and all(p.returncode is None for p in racing), "the processes did not all reach the seed"
            await asyncio.sleep(0.05)
        await admin.execute("SELECT pg_advisory_unlock(hashtextextended('briefbot:default', 0))")
        ended = [await process.communicate() for process in racing]
    finally:
        await admin.close()
    assert [process.returncode for process in racing] == [0] * len(racing), ended
    said = [line for _, err in ended for line in err.decode().splitlines() if "seeded the store with" in line]
    assert len(said) == 1 and said[0].endswith(f"seeded the store with {BRIEFING_ID}"), said


async def test_another_process_sees_an_edit_within_100_ms(pg_store: Store, url: str, tmp_path: Path) -> None:
    assert (await pg_store.repository.briefing()).title.startswith("Petro in Washington")  # cached now
    changed = tmp_path / "pack.yaml"
    changed.write_text(PACK.read_text(encoding="utf-8").replace("Petro in Washington:", "Petro in D.C.:", 1), encoding="utf-8")
    done = briefbot("--db", url, "load", changed)
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 0.1  # heard through LISTEN/NOTIFY (tests/test_postgres_changes.py)
    while not (await pg_store.repository.briefing()).title.startswith("Petro in D.C."):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.001)


def _retitle(event_id: str, title: str, base: int) -> object:
    """A build function: the timeline event retitled, checked against the revision the editor saw."""

    def build(current: Briefing) -> Change:
        event = next(e for e in current.timeline if e.id == event_id)
        new = msgspec.structs.replace(event, title=title)
        timeline = tuple(new if e.id == event_id else e for e in current.timeline)
        return Change(
            briefing=msgspec.structs.replace(current, timeline=timeline), kind="timeline", item_id=event_id, action="edit",
            before={"id": event_id, "title": event.title}, after={"id": event_id, "title": title}, item=new,
            actor=title, platform="console", at=datetime.now(UTC), base=base,
        )

    return build


async def test_editors_in_two_processes_serialise(pg_store: Store, url: str) -> None:
    event_id = (await pg_store.repository.briefing()).timeline[0].id
    base = await pg_store.repository.item_revision(BRIEFING_ID, "timeline", event_id)
    async with open_store(url) as other:
        await other.repository.briefing()  # both hold the snapshot: neither waits to read it, so they truly race
        outcomes = await asyncio.gather(
            pg_store.repository.apply(BRIEFING_ID, _retitle(event_id, "first", base)),  # type: ignore[arg-type]
            other.repository.apply(BRIEFING_ID, _retitle(event_id, "second", base)),  # type: ignore[arg-type]
            return_exceptions=True,
        )
    stale = [outcome for outcome in outcomes if isinstance(outcome, StaleEdit)]
    assert len(stale) == 1, outcomes
    winner = next(outcome for outcome in outcomes if not isinstance(outcome, BaseException))
    assert stale[0].current == winner[0]  # type: ignore[index]
    assert len(await pg_store.repository.revisions(BRIEFING_ID, "timeline", event_id)) == 2  # the import and one edit


def test_a_wrong_password_is_a_clear_message_at_start(postgres_server: str | None) -> None:
    wrong = re.sub(r"://(\w+):\w+@", r"://\1:not-the-password@", require_postgres(postgres_server))
    done = briefbot("--db", wrong, "ask", "/meeting")
    assert done.returncode == 2
    assert "refused the password" in done.stderr and "not-the-password" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_server_that_is_not_there_is_a_clear_message_at_start() -> None:
    port = pg_server._free_port()
    done = briefbot("--db", f"postgresql://briefbot:secret@127.0.0.1:{port}/briefbot", "ask", "/meeting")
    assert done.returncode == 2
    assert f"cannot reach PostgreSQL at postgresql://briefbot@127.0.0.1:{port}/briefbot" in done.stderr
    assert "secret" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("url", ["postgresql://briefbot:s3cret@db.internal/briefbot", "postgres://briefbot@db.internal/b?password=s3cret"])
def test_a_password_on_the_command_line_is_refused_before_anything_runs(url: str) -> None:
    """Anyone on the machine can read a process's arguments (`ps`): the password goes in PGPASSWORD or BRIEFBOT_DB, as the
    settings file's refusal says of store.url; `store copy`'s URLs likewise (PGPASSWORD, or a password file)."""
    done = briefbot("--db", url, "ask", "/meeting", as_typed=True)
    assert done.returncode == 2 and "s3cret" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[-1] == (
        "briefbot: error: argument --db: a password is not accepted on the command line, where anyone on this machine can"
        " read it (ps): write the URL without it (postgresql://user@host/database) and set PGPASSWORD in the environment"
        " (or keep it in ~/.pgpass), or give the whole URL as BRIEFBOT_DB")
    copied = briefbot("store", "copy", "var/none.sqlite3", url, as_typed=True)
    assert copied.returncode == 2 and "s3cret" not in copied.stderr, copied.stderr
    assert copied.stderr.splitlines()[-1].startswith("briefbot store copy: error: argument destination: a password is not accepted")
    assert "PGPASSWORD" in copied.stderr and "~/.pgpass" in copied.stderr


def test_sslmode_require_against_a_server_without_ssl_says_so(postgres_server: str | None) -> None:
    server = require_postgres(postgres_server)  # the test server has no certificate: SSL is off
    done = briefbot("--db", f"{server}?sslmode=require", "ask", "/meeting")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().endswith(": the server does not support SSL, which the URL's sslmode requires"), done.stderr
    password = re.search(r"://\w+:(\w+)@", server)[1]  # type: ignore[index]
    assert password not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql://briefbot:secret@db:port/briefbot", "the store URL postgresql://***@db:port/briefbot is malformed"),
    ("postgresql://briefbot:secret@[::1/briefbot", "the store URL postgresql://***@[::1/briefbot is malformed"),
    ("postgresql://briefbot:secret@127.0.0.1:99999/briefbot",
     "the store URL postgresql://***@127.0.0.1:99999/briefbot is malformed (a host's port is not a number from 1 to 65535)"),
    ("postgresql://briefbot:secret/briefbot", "the store URL postgresql://*** is malformed"),  # the @host forgotten
    ("postgresql://briefbot:secret@nowhere.invalid/briefbot", "cannot reach PostgreSQL at postgresql://briefbot@nowhere.invalid:5432"),
])
def test_a_wrong_url_is_a_clear_message_at_start(url: str, message: str) -> None:
    done = briefbot("--db", url, "ask", "/meeting")
    assert done.returncode == 2
    assert message in done.stderr and "secret" not in done.stderr and "Traceback" not in done.stderr


def test_an_unknown_database_is_a_clear_message_at_start(postgres_server: str | None) -> None:
    done = briefbot("--db", require_postgres(postgres_server).rsplit("/", 1)[0] + "/no_such_db", "ask", "/meeting")
    assert done.returncode == 2
    assert "the database does not exist" in done.stderr and "Traceback" not in done.stderr


async def test_a_server_going_away_mid_run_answers_the_generic_error_then_reconnects(
    postgres_server: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    """Commands answer the generic error while the server is down; commands and digests work again once it is back."""
    require_postgres(postgres_server)
    directory = Path(tempfile.mkdtemp(prefix="briefbot-pg-"))  # a server of its own, to stop and start
    try:
        own = pg_server.start(directory)
        async with open_store(own) as store:
            await store.seed(DATA, BRIEFING_ID)
            core = BriefingCore(store.repository, digests=store.digests)
            clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
            await subscribe(core, "c1", clock.now(), "alerts:none")
            platform = RecordingPlatform(clock)
            runner = runner_for(core, store, platform, clock)
            clock.set(SLOT_BOGOTA)
            admin = BriefingCore(store.repository, policy=POLICY)
            shipped, revisions = await store.repository.briefing(), await store.repository.revisions(BRIEFING_ID)
            await asyncio.to_thread(pg_server.stop, directory)
            with caplog.at_level(logging.WARNING):
                reply = await ask(core, "/search visa")
                edit = await admin.dispatch_line('set kind:meeting outcome:"Agreed to meet again."', OPERATOR)
            assert reply.kind == "error" and reply.text == GENERIC
            assert edit.kind == "error" and edit.text == GENERIC  # an edit that could not commit is not reported saved
            failed = [record for record in caplog.records if record.name == "bot.core.service"]
            assert len(failed) == 2 and not any(record.exc_info for record in failed)  # an outage: one line each, no traceback
            with pytest.raises(StoreError):  # the digest loop logs this and tries again at its next tick
                await runner.tick()
            await asyncio.to_thread(pg_server.resume, directory)
            assert (await ask(core, "/search visa")).kind != "error"  # the pool reconnected by itself
            assert await store.repository.briefing() == shipped  # nothing of the failed edit was written
            assert await store.repository.revisions(BRIEFING_ID) == revisions
            assert (await runner.tick()).sent == 1
            assert [posted.channel for posted in platform.posted] == ["c1"]
    finally:
        pg_server.stop(directory)
        shutil.rmtree(directory, ignore_errors=True)


def test_a_postgresql_url_is_kept_whole_from_the_config_and_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "briefbot.yaml"
    config.write_text("store:\n  url: postgresql://briefbot@db.internal:5432/briefbot?sslmode=require\n", encoding="utf-8")
    assert load_settings(config, env={}).store_path == "postgresql://briefbot@db.internal:5432/briefbot?sslmode=require"
    assert load_settings(config, env={"BRIEFBOT_DB": "postgres://other@db/x"}).store_path == "postgres://other@db/x"
    config.write_text("store:\n  path: var/here.sqlite3\n", encoding="utf-8")
    assert load_settings(config, env={}).store_path == Path("var/here.sqlite3")


@pytest.mark.parametrize(("store", "message"), [
    ("url: postgresql://db/x\n  path: var/x.sqlite3", "set url (PostgreSQL) or path (SQLite), not both"),
    ("url: mysql://user:secret@db/x", "store.url: expected a postgresql:// or postgres:// URL; got a mysql:// URL (the value is not shown"),
    ("url: postgresql://user:sec@ret@db/x", "store.url: the store URL postgresql://***@db/x is malformed (an @, /, ? or # in the password"),
])
def test_a_store_setting_that_cannot_be_meant_is_an_error_naming_it(tmp_path: Path, store: str, message: str) -> None:
    config = tmp_path / "briefbot.yaml"
    config.write_text(f"store:\n  {store}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        load_settings(config, env={})
    assert "secret" not in str(raised.value)


async def test_a_failed_save_leaves_the_store_as_it_was(pg_store: Store, url: str) -> None:
    shipped = await pg_store.repository.briefing()
    revisions = await pg_store.repository.revisions(BRIEFING_ID)
    conn = await asyncpg.connect(url)
    try:  # a quote's row, among the last a save writes, is refused by the server
        await conn.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;"
            " CREATE TRIGGER refuse BEFORE INSERT ON items FOR EACH ROW WHEN (NEW.kind = 'quote') EXECUTE FUNCTION refuse()"
        )
    finally:
        await conn.close()
    with pytest.raises(StoreError):
        await pg_store.repository.save(msgspec.structs.replace(shipped, title="Half"))
    assert await pg_store.repository.briefing() == shipped
    assert (await pg_store.repository.briefing()).version == shipped.version
    assert await pg_store.repository.revisions(BRIEFING_ID) == revisions


async def test_loading_an_unchanged_pack_changes_nothing(pg_store: Store) -> None:
    shipped = await pg_store.repository.briefing()
    _, changed = await load_pack(pg_store, PACK)
    assert changed is False
    assert (await pg_store.repository.briefing()).version == shipped.version
    assert len(await pg_store.repository.revisions(BRIEFING_ID)) == 1  # only the first load


def test_the_command_line_seeds_and_answers_from_a_url_in_the_environment(url: str) -> None:
    done = briefbot("ask", "/search cocoa", "--now", "2026-02-01T12:00:00Z", env={"BRIEFBOT_DB": url})
    assert done.returncode == 0, done.stderr
    assert "Meeting with cocoa industry entrepreneurs" in done.stdout


def test_the_password_from_the_environment_opens_the_store_and_never_reaches_the_settings_cache(url: str, tmp_path: Path) -> None:
    """Both places the refusal of a password in the file points to: the whole URL as BRIEFBOT_DB, or PGPASSWORD."""
    password = re.search(r"://\w+:(\w+)@", url)[1]  # type: ignore[index]
    config, cache = tmp_path / "briefbot.yaml", tmp_path / "cache" / "briefbot" / "settings.json"
    config.write_text(f"store:\n  packs: {DATA}\n", encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    search = ("ask", "/search cocoa", "--now", "2026-02-01T12:00:00Z")
    done = briefbot("--config", config, *search, env={**env, "BRIEFBOT_DB": url})  # seeds the store, then answers
    assert done.returncode == 0 and "Meeting with cocoa industry entrepreneurs" in done.stdout, done.stderr
    assert password.encode() not in cache.read_bytes()
    config.write_text(f"store:\n  url: {url.replace(f':{password}@', '@')}\n", encoding="utf-8")
    for _ in range(2):  # filling the cache, then reading it
        done = briefbot("--config", config, *search, env={**env, "PGPASSWORD": password})
        assert done.returncode == 0 and "Meeting with cocoa industry entrepreneurs" in done.stdout, done.stderr
        assert password.encode() not in cache.read_bytes() and b"postgresql://" in cache.read_bytes()


def test_a_password_file_gives_the_password_a_url_leaves_out(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a --db URL's password may live besides PGPASSWORD (the command line refuses one): asyncpg reads libpq's
    password file, PGPASSFILE's or ~/.pgpass, when neither the URL nor PGPASSWORD gives one."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    found = re.match(r"postgresql://(\w+):(\w+)@([\d.]+):(\d+)/(\w+)$", url)
    assert found, "the test server's URL is user:password@host:port/database"
    user, password, host, port, database = found.groups()
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"{host}:{port}:{database}:{user}:{password}\n", encoding="utf-8")
    passfile.chmod(0o600)  # libpq and asyncpg ignore a file others may read
    search = ("--db", url.replace(f":{password}@", "@"), "ask", "/search cocoa", "--now", "2026-02-01T12:00:00Z")
    done = briefbot(*search, env={"PGPASSFILE": str(passfile)})
    assert done.returncode == 0 and "Meeting with cocoa industry entrepreneurs" in done.stdout, done.stderr
    without = briefbot(*search, env={"PGPASSFILE": str(tmp_path / "none")})  # no password anywhere: the server refuses
    assert without.returncode == 2 and "refused the password" in without.stderr, without.stderr


# What would outlive a statement on its connection: the pool runs no reset query (database.py, _keep_session).
# All SQL lives in bot/store, written in capitals.
SESSION_STATE = re.compile(
    r"^\s*(SET\s+(?!LOCAL\b)|RESET\b|LISTEN\b|DECLARE\b)|pg_(try_)?advisory_lock(_shared)?\s*\(|set_config\s*\(", re.M
)


def session_state_statements(source: str) -> list[str]:
    """The string constants of a module that would leave state on a pooled session."""
    return [
        node.value for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SESSION_STATE.search(node.value)
    ]


def test_no_statement_leaves_state_on_a_pooled_session() -> None:
    found = {
        str(path.relative_to(ROOT)): statements
        for path in sorted((ROOT / "bot" / "store").rglob("*.py"))
        if path.name != "changes.py" and (statements := session_state_statements(path.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.parametrize("statement", [
    "SET search_path TO briefbot", "SELECT pg_advisory_lock($1)", "LISTEN briefbot_changes", "SELECT set_config('a.b', '1', false)",
])
def test_the_session_state_check_finds_what_it_looks_for(statement: str) -> None:
    assert session_state_statements(f"QUERY = {statement!r}\n") == [statement]
    assert session_state_statements('QUERY = "UPDATE items SET data = $1; SELECT pg_advisory_xact_lock($2)"\n') == []


@pytest.mark.parametrize("command", [["admin", "set", "kind:meeting", "status:concluded"], ["briefings", "archive", BRIEFING_ID]])
def test_a_read_only_session_reads_and_refuses_a_write_in_one_clear_line(pg_store: Store, url: str, command: list[str]) -> None:
    read_only = f"{url}?default_transaction_read_only=on"  # as a hot standby, or a user allowed only to read, refuses
    assert briefbot("--db", read_only, "ask", "/meeting").returncode == 0
    done = briefbot("--db", read_only, *command)
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 1 and Catalogue()("store.read_only") in said, said
    assert "Traceback" not in done.stderr and GENERIC not in said


# The server's own refusal when its disk is full (SQLSTATE 53100, disk_full), raised by every write these tables take.
DISK_FULL_TRIGGERS = """
CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
CREATE TRIGGER full_revisions BEFORE INSERT OR UPDATE ON revisions FOR EACH STATEMENT EXECUTE FUNCTION disk_full();
CREATE TRIGGER full_subscriptions BEFORE INSERT OR UPDATE ON subscriptions FOR EACH STATEMENT EXECUTE FUNCTION disk_full();
"""


@pytest.mark.parametrize(("command", "lines"), [
    (["admin", "set", "kind:meeting", "status:concluded"], None),
    (["admin", "import", "{pack}", "{apply}"], None),
    (["console"], "set kind:meeting status:concluded\nsubscribe platform:slack channel:C1 alerts:none\n"),
])
async def test_a_write_on_a_full_disk_says_so_in_one_line(pg_store: Store, url: str, tmp_path: Path, command: list[str], lines: str | None) -> None:
    pack = tmp_path / "retitled.yaml"
    pack.write_text(PACK.read_text(encoding="utf-8").replace('title: "Petro in Washington', 'title: "Petro in D.C.', 1), encoding="utf-8")
    dry = await asyncio.to_thread(briefbot, "--db", url, "admin", "import", pack)
    words = [part for word in command for part in (printed_apply(dry.stdout) if word == "{apply}" else [word.format(pack=pack)])]
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(DISK_FULL_TRIGGERS)
        written = "SELECT (SELECT count(*) FROM revisions), (SELECT count(*) FROM subscriptions), (SELECT title FROM briefings)"
        before = await conn.fetchrow(written)
        done = await asyncio.to_thread(briefbot, "--db", url, *words, stdin=lines)
        assert await conn.fetchrow(written) == before
    finally:
        await conn.close()
    said = " ".join((done.stdout + done.stderr).split())
    assert said.count(Catalogue()("store.disk_full")) == (2 if lines else 1), said
    assert "Traceback" not in done.stderr and "ERROR" not in done.stderr and GENERIC not in said, done.stderr
    assert done.returncode == (0 if lines else 1)
