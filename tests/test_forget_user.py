"""Erasing a person (GDPR): `briefbot store forget-user` replaces them wherever they were an author, history and
undo read on; `briefbot store vacuum` leaves a SQLite file holding none of what was replaced or removed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from msgspec.structs import replace

from bot.core.admin.authors import ERASED
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.requests import Request
from bot.store import open_store
from bot.store.packfile import read_pack
from tests.briefings_support import chooser_core
from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, DATA, PACK, ROOT

NOW = datetime(2026, 2, 3, 18, 0, tzinfo=UTC)
ERASED_ID, KEPT_ID = "987654321987654321", "123123123123123123"  # long and distinctive: looked for in the file's bytes
REASON = "my cousin Ramona told me"
POLICY = AdminPolicy({"discord": Admins(users=frozenset({ERASED_ID, KEPT_ID}))})


def discord(user: str) -> Request:
    """Someone on Discord in one server's channel."""
    return Request(command="", now=NOW, platform="discord", user_id=user, channel_id="C1", team_id="G1")


async def authored(store) -> int:
    """The person to erase sets the meeting's status (with a reason), chooses the briefing and subscribes the channel; a
    colleague edits after them. The number of the erased person's revision."""
    core = chooser_core(store, POLICY)
    changed = await core.dispatch_line(f'set kind:meeting status:concluded reason:"{REASON}"', discord(ERASED_ID))
    assert changed.kind == "answer", changed.text
    assert (await core.dispatch_line(f"/use briefing:{BRIEFING_ID}", discord(ERASED_ID))).kind == "answer"
    assert (await core.dispatch_line("subscribe alerts:none", discord(ERASED_ID))).kind == "answer"
    assert (await core.dispatch_line('set kind:faq id:significance answer:Elsewhere. reason:"kept"', discord(KEPT_ID))).kind == "answer"
    return int(changed.title.split()[1].rstrip(":"))


async def test_a_forgotten_user_is_erased_wherever_they_were_an_author_and_history_undo_and_redo_read_on(store):
    changed = await authored(store)
    assert await store.choices.forget("discord", ERASED_ID) == {"revisions": 1, "subscriptions": 1, "choices": 1}
    revisions = await store.repository.revisions(BRIEFING_ID, limit=10)
    assert [(r.actor, r.note) for r in revisions if r.platform == "discord"] == [(KEPT_ID, "kept"), (ERASED, "")]
    assert [s.created_by for s in await store.digests.subscriptions()] == [ERASED]
    core = chooser_core(store, POLICY)
    assert "This channel chose it: erased user, 3 February 2026, 18:00 UTC." in (await core.dispatch_line("/use", discord("reader"))).text
    spanish = replace(discord("reader"), locale="es")
    assert "Lo eligió este canal: un usuario borrado, 3 de febrero de 2026, 18:00 UTC." in (await core.dispatch_line("/usar", spanish)).text
    privacy = " ".join((ROOT / "docs" / "privacy.md").read_text(encoding="utf-8").split())
    assert "a Spanish reader reads it in Spanish, as `un usuario borrado`" in privacy  # the guide says what they read
    history = (await core.dispatch_line("history", discord(KEPT_ID))).items
    assert [str(item.meta) for item in history[:2]] == ["3 February 2026, 18:00 UTC · Discord · 123123123123123123",
                                                        "3 February 2026, 18:00 UTC · Discord · erased user"]
    assert REASON not in history[1].text and "kept" in history[0].text
    undone = await core.dispatch_line(f"undo {changed}", discord(KEPT_ID))
    assert undone.text == f"Revision {changed}, undone here, was made by erased user (Discord, 3 February 2026, 18:00 UTC)."
    redone = await core.dispatch_line("redo", discord(KEPT_ID))
    assert redone.kind == "answer" and redone.text.startswith(f"Undo {int(undone.title.split()[1].rstrip(':'))}, taken back here, was made by {KEPT_ID}")
    # Idempotent: nothing names them any more, and the colleague who undid and redid is still themselves.
    assert await store.choices.forget("discord", ERASED_ID) == {"revisions": 0, "subscriptions": 0, "choices": 0}
    assert sum(r.actor == KEPT_ID for r in await store.repository.revisions(BRIEFING_ID, limit=10)) == 3


async def test_the_command_line_erases_them_counts_what_it_changed_and_refuses_what_is_no_user_id(store, store_target):
    await authored(store)
    refused = briefbot("--db", store_target, "store", "forget-user", "discord", f"<@{ERASED_ID}>")
    assert refused.returncode == 1
    assert refused.stderr.endswith(f"briefbot: “<@{ERASED_ID}>” is not a Discord user id (Discord's are digits; Slack's are U or W, then "
                                   "capitals and digits: Copy User ID, or Copy member ID, on the member); nothing was changed.\n")
    assert briefbot("--db", store_target, "store", "forget-user", "teams", ERASED_ID).returncode == 2  # argparse names the choices
    assert briefbot("--db", store_target, "store", "forget-user", "slack", ERASED_ID).returncode == 1  # a Discord id is no Slack one
    assert ERASED_ID in briefbot("--db", store_target, "admin", "history").stdout  # nothing was changed
    done = briefbot("--db", store_target, "store", "forget-user", "discord", ERASED_ID)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (f"Discord user {ERASED_ID} is now “erased user” wherever briefbot stored them as an author: "
                                           "revisions: 1 (their reasons cleared), subscriptions: 1, briefing choices: 1.")
    history = briefbot("--db", store_target, "admin", "history")
    assert history.returncode == 0 and ERASED_ID not in history.stdout and REASON not in history.stdout
    assert "· Discord · erased user" in history.stdout
    assert briefbot("--db", store_target, "admin", "undo").returncode == 0  # the colleague's change
    undone = briefbot("--db", store_target, "admin", "undo")
    assert "undone here, was made by erased user (Discord" in undone.stdout
    again = briefbot("--db", store_target, "store", "forget-user", "discord", ERASED_ID)
    assert "revisions: 0 (their reasons cleared), subscriptions: 0, briefing choices: 0." in again.stdout


def bytes_of(path: Path) -> bytes:
    """The SQLite file and its write-ahead log, as a disk would give them to whoever reads it."""
    return b"".join(part.read_bytes() for part in (path, path.with_name(path.name + "-wal")) if part.exists())


async def test_vacuum_leaves_nothing_of_a_forgotten_user_or_a_removed_briefing_in_the_file(store_path):
    shipped = read_pack(PACK)  # a person named in a briefing: in its items, its search index and its load's revision
    named = replace(shipped.timeline[0], title="Zorblax Quintavalle lands")
    other = replace(shipped, id="named-person", title="Another story", timeline=(named, *shipped.timeline[1:]))
    async with open_store(store_path) as store:
        # Freed bytes kept, as SQLite does unless built otherwise (Debian's build zeroes them): what VACUUM is for.
        await store.repository._conn.execute("PRAGMA secure_delete = OFF")
        await store.seed(DATA, BRIEFING_ID)
        await authored(store)
        await store.repository.save(other)
        await store.repository.merge_search_index()  # as `briefbot load` leaves it: the words in the index's one segment
        await store.choices.forget("discord", ERASED_ID)
        await store.choices.remove("named-person")
    # The named person's words: as written in the rows the removal freed, and as the search index holds them (folded).
    words = (b"Zorblax", b"zorblax")
    assert all(word in bytes_of(store_path) for word in words)
    vacuumed = briefbot("--db", store_path, "store", "vacuum")
    assert vacuumed.stdout == f"{store_path} rewritten: nothing deleted or replaced is left in it or in its write-ahead log.\n"
    left = bytes_of(store_path)
    assert [word for word in (*words, ERASED_ID.encode(), REASON.encode()) if word in left] == []
    assert KEPT_ID.encode() in left  # the search finds what the rows hold


async def test_vacuum_is_refused_on_postgresql_with_what_to_do_there() -> None:
    refused = briefbot("store", "vacuum", "--db", "postgresql://briefbot@127.0.0.1:1/none")  # refused before connecting
    assert refused.returncode == 1 and "VACUUM FULL rewrites a table at once (docs/privacy.md)" in refused.stderr
