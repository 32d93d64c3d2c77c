"""Undo and redo as their replies promise: what `undo N` means once a change was undone and redone, and whose change an undo took back."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from msgspec.structs import replace

from bot.cli.exits import EXIT_USER
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store, open_store
from bot.store.packfile import dump_pack, read_pack, read_pack_text
from tests.briefings_support import OTHER_ID, OTHER_TITLE, add_other
from tests.cli_support import briefbot, briefbot_started
from tests.conftest import BRIEFING_ID, DATA, PACK, SEED, fresh_database
from tests.load_support import load_pack
from tests.test_admin import ADMINS, OPERATOR, POLICY, run, state
from tests.test_catalogue import SYMBOLS


@pytest.fixture
def editor(repository) -> BriefingCore:
    """The core with admins configured, as the CLI builds it."""
    return BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)


def number(reply: Reply) -> int:
    """The revision a change's reply names ("Revision 5: …")."""
    return int(reply.title.split()[1].rstrip(":"))


async def test_undo_n_of_a_redone_change_undoes_its_redo_so_redo_and_undo_do_what_the_reply_says(editor, repository):
    loaded = await state(repository)
    changed = number(await run(editor, "set kind:meeting status:concluded"))  # 2
    concluded = await state(repository)
    undone = number(await run(editor, "undo"))  # 3: back before 2
    assert (await run(editor, f"undo {undone}")).kind == "answer"  # 4: undo 3 taken back, a redo
    again = await run(editor, f"undo {changed}")  # 5: undoes 2 again, that is, the redo
    assert again.kind == "answer" and await state(repository) == loaded
    assert again.footer == "/undo again walks back one change further; /redo takes this undo back."
    redo = await run(editor, "redo")  # takes 5 back, as the footer said
    assert redo.kind == "answer", redo.text
    assert await state(repository) == concluded
    assert (await run(editor, "undo")).kind == "answer"  # walks back: 2's change out again, not an undo of the redo
    assert await state(repository) == loaded
    first = await run(editor, "undo")
    assert first.kind == "error" and f"Revision 1 created Petro in Washington: the White House meeting with Trump ({BRIEFING_ID})" in first.text


def _copied(path: Path, status: str = "scheduled") -> Path:
    """The shipped pack written at `path` (its meeting's status changed, unless `status` is the shipped one)."""
    path.parent.mkdir(parents=True)
    path.write_text(PACK.read_text(encoding="utf-8").replace("  status: scheduled", f"  status: {status}"), encoding="utf-8")
    return path


async def test_undo_and_redo_of_a_load_put_back_the_folder_its_texts_are_read_from(store, editor, repository, tmp_path):
    """docs/loading.md: undo puts back the briefing exactly as before the load, so its `text:` paths lead to the same files."""
    desk = _copied(tmp_path / "desk" / "p.yaml", "postponed")
    assert await load_pack(store, desk) == (BRIEFING_ID, True)
    assert await repository.pack_folder(BRIEFING_ID) == desk.parent.resolve()
    assert (await run(editor, "undo")).kind == "answer"
    assert await repository.pack_folder(BRIEFING_ID) == DATA
    assert (await run(editor, "redo")).kind == "answer"
    assert await repository.pack_folder(BRIEFING_ID) == desk.parent.resolve()
    assert (await run(editor, "undo")).kind == "answer"
    assert await repository.pack_folder(BRIEFING_ID) == DATA


def _with_texts(pack: Path) -> Path:
    """The pack copied with its sources' texts, where its `text:` paths lead from its folder: a release copied whole."""
    for text in (source.text for source in read_pack(pack).sources if source.text):
        (pack.parent / text).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SEED / Path(text).name, pack.parent / text)  # the seed folder, wherever this checkout lies
    return pack


async def test_undoing_a_load_puts_back_the_folder_an_unchanged_load_had_moved_to(store, editor, repository, tmp_path):
    """A release copied unchanged moves the folder with no revision: the next load's undo goes back to it, not to the last load's."""
    release = _with_texts(_copied(tmp_path / "releases" / "v2" / "p.yaml"))  # its texts in it: `load` keeps no older folder
    assert await load_pack(store, release) == (BRIEFING_ID, False)
    assert await repository.pack_folder(BRIEFING_ID) == release.parent.resolve()
    assert await load_pack(store, _copied(tmp_path / "desk" / "p.yaml", "postponed")) == (BRIEFING_ID, True)
    assert (await run(editor, "undo")).kind == "answer"
    assert await repository.pack_folder(BRIEFING_ID) == release.parent.resolve()


async def test_undo_n_of_a_change_already_undone_says_so_and_how_to_put_it_back(editor, repository):
    changed = number(await run(editor, "set kind:meeting status:concluded"))  # 2
    undone = number(await run(editor, "undo"))  # 3
    loaded = await state(repository)
    refused = await run(editor, f"undo {changed}")
    assert refused.text == f"Revision {changed} is already undone (revision {undone}); /redo puts it back."
    spanish = await run(editor, f"undo {changed}", replace(OPERATOR, locale="es"))
    assert spanish.text == f"La revisión {changed} ya está deshecha (revisión {undone}); /rehacer la recupera."
    await run(editor, "set kind:faq id:significance answer:Elsewhere.")  # nothing left to redo: undo 3 is the way back
    assert (await run(editor, f"undo {changed}")).text == f"Revision {changed} is already undone (revision {undone}); /undo {undone} puts it back."
    redone = number(await run(editor, f"undo {undone}"))
    assert (await run(editor, f"undo {undone}")).text == (
        f"Revision {undone} is already taken back (revision {redone}); /undo {redone} undoes the change again."
    )
    assert [r.id for r in await repository.revisions(BRIEFING_ID, limit=1)] == [redone]  # the refusals wrote nothing
    assert (await run(editor, f"undo {redone}")).kind == "answer"
    assert (await state(repository))["sessions"] == loaded["sessions"]


async def test_undo_n_of_another_briefings_revision_names_that_briefing_and_how_to_undo_it(store, editor, repository):
    await add_other(store)
    other = number(await run(editor, f"set kind:meeting status:postponed briefing:{OTHER_ID}"))
    refused = await run(editor, f"undo {other}")
    assert refused.text == f"Revision {other} belongs to another briefing, {OTHER_TITLE} ({OTHER_ID}); to undo it, add briefing:{OTHER_ID}."
    spanish = await run(editor, f"undo {other}", replace(OPERATOR, locale="es"))
    translated = next(known.title_in("es") for known in await repository.briefings() if known.id == OTHER_ID)  # as the reader reads it
    assert spanish.text == f"La revisión {other} es de otro informe, {translated} ({OTHER_ID}); para deshacerla, añade informe:{OTHER_ID}."
    assert (await run(editor, f"undo {other + 1}")).text == f"There is no revision {other + 1}."
    assert (await run(editor, f"undo {other} briefing:{OTHER_ID}")).kind == "answer"


async def test_an_undo_names_whose_change_it_took_back_and_when_as_history_does(editor):
    """Plain undo takes back the latest change by anyone: an admin fixing their own mistake sees if it was a colleague's.
    When is said in the reader's words (an ISO stamp, "2026-02-03 18:00 UTC", read as digits and dashes)."""
    changed = number(await run(editor, "set kind:meeting status:concluded", ADMINS[0]))
    undone = await run(editor, "undo")
    # As plain text (the console's): a Discord admin by their id, which Discord's renderer writes as their mention.
    assert str(undone.text) == f"Revision {changed}, undone here, was made by 111 (Discord, 3 February 2026, 18:00 UTC)."
    history = (await run(editor, "history")).items[1]
    assert str(history.meta) == "3 February 2026, 18:00 UTC · Discord · 111"
    spanish = (await run(editor, "history", replace(OPERATOR, locale="es"))).items[1]
    assert str(spanish.meta) == "3 de febrero de 2026, 18:00 UTC · Discord · 111"
    redone = await run(editor, "redo", replace(OPERATOR, locale="es"))
    assert redone.text == f"Lo deshecho en la revisión {number(undone)}, que se recupera aquí, lo deshizo el operador (línea de comandos, 3 de febrero de 2026, 18:00 UTC)."
    assert str((await run(editor, f"undo {changed}")).text) == f"Revision {changed}, undone here, was made by 111 (Discord, 3 February 2026, 18:00 UTC)."


async def test_a_redo_is_named_alike_in_its_answer_and_in_history_and_an_undo_of_a_redo_is_an_undo(editor):
    await run(editor, "set kind:meeting status:concluded")  # 2
    await run(editor, "undo")  # 3
    redo = await run(editor, "undo 3")  # undoing an undo: a redo
    assert redo.title == "Revision 4: session/meeting redone (undo 3 taken back)"
    assert redo.footer == "/undo takes the change back again."
    assert (await run(editor, "undo")).title == "Revision 5: session/meeting back as it was before revision 4"
    titles = [item.title for item in (await run(editor, "history")).items[:2]]
    assert titles == ["Revision 5 · session/meeting as before revision 4 (undo)", "Revision 4 · session/meeting redone (undo 3 taken back)"]


async def test_an_empty_value_shows_as_every_empty_value_does(editor):
    """The shipped meeting's outcome is "" (none yet): its change read `outcome: “” → “Agreed”`, its clearing `“Agreed” → —`;
    empty is now said in a word, as is the change, where a screen reader read "em dash right arrow"."""
    assert (await run(editor, "set kind:meeting outcome:Agreed")).fields[0].value == "was empty, now “Agreed”"
    assert (await run(editor, "set kind:meeting outcome:")).fields[0].value == "was “Agreed”, now empty"
    assert [item.text for item in (await run(editor, "history kind:meeting")).items[:2]] == ["outcome: was “Agreed”, now empty", "outcome: was empty, now “Agreed”"]



@pytest.mark.parametrize(("locale", "said"), [
    ("en", ["was empty, now “Agreed”", "was “Agreed”, now empty", "outcome: was “Agreed”, now empty"]),
    ("es", ["antes vacío, ahora «Agreed»", "antes «Agreed», ahora vacío", "resultado: antes «Agreed», ahora vacío"]),
])
async def test_a_change_is_said_in_words_a_screen_reader_reads(editor, locale, said):
    """Built in code, `— → “Agreed”` read "em dash right arrow" and escaped the catalogue's own check for arrows:
    an edit's answer, history and an undo say each change in the reader's words, with no symbol standing for one."""
    who = replace(OPERATOR, locale=locale)
    answers = [await run(editor, line, who) for line in ("set kind:meeting outcome:Agreed", "set kind:meeting outcome:")]
    assert [answer.fields[0].value for answer in answers] + [(await run(editor, "history kind:meeting", who)).items[0].text] == said
    undone = await run(editor, "undo", who)
    history = await run(editor, "history", who)
    shown = [field.value for reply in (*answers, undone) for field in reply.fields] + [item.text for item in history.items]
    assert shown and not [text for text in shown if SYMBOLS.search(text) or "—" in text]


@asynccontextmanager
async def _lock_held(target: str | Path, waiting: int, stores: tuple[Store, ...]) -> AsyncIterator[None]:
    """The briefing's write lock held by another connection until `waiting` writers queue on it, then released.

    Every writer has then read the log and the item's latest revision, and none has committed: two admins pressing
    undo at the same moment from two processes, in the one order that is hard to hit by chance.
    """
    if isinstance(target, Path):
        queued: list[str] = []

        def traced(statement: str) -> None:  # called as the statement starts, before it waits for the lock
            if statement == "BEGIN IMMEDIATE":
                queued.append(statement)

        for store in stores:
            await store.repository._conn.set_trace_callback(traced)  # type: ignore[attr-defined]
        with contextlib.closing(sqlite3.connect(target, isolation_level=None, check_same_thread=False)) as holder:
            holder.execute("BEGIN IMMEDIATE")
            yield
            while len(queued) < waiting:
                await asyncio.sleep(0.01)
            holder.execute("COMMIT")
        for store in stores:
            await store.repository._conn.set_trace_callback(None)  # type: ignore[attr-defined]
        return
    async with _advisory_lock_held(target, waiting):
        yield


@asynccontextmanager
async def _advisory_lock_held(url: str, waiting: int) -> AsyncIterator[None]:
    """The PostgreSQL store's write lock on the briefing held until `waiting` connections (of any process) queue on it."""
    holder = await asyncpg.connect(url)
    try:
        locked = holder.transaction()
        await locked.start()
        await holder.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", BRIEFING_ID)
        yield
        while await holder.fetchval(_QUEUED) < waiting:
            await asyncio.sleep(0.01)
        await locked.commit()
    finally:
        await holder.close()


# The connections waiting for the advisory lock this connection holds.
_QUEUED = """SELECT count(*) FROM pg_locks queued JOIN pg_locks held USING (locktype, database, classid, objid, objsubid)
WHERE queued.locktype = 'advisory' AND NOT queued.granted AND held.granted AND held.pid = pg_backend_pid()"""


async def _race(store: Store, target: str | Path, line: str, who: tuple[Request, Request] = (OPERATOR, OPERATOR)) -> list[Reply]:
    """`line` run at once by two cores over one store, each with its own connection (two processes), both having read
    what they need before either writes."""
    async with open_store(target) as other:
        cores = [BriefingCore(s.repository, policy=POLICY, pack_reader=read_pack_text) for s in (store, other)]
        async with _lock_held(target, 2, (store, other)):
            racing = [asyncio.create_task(run(core, line, asker)) for core, asker in zip(cores, who, strict=True)]
        return sorted(await asyncio.gather(*racing), key=lambda reply: reply.kind)  # the answer, then the refusal


async def test_two_admins_undoing_at_once_the_loser_hears_it_is_already_undone_not_to_undo_the_undo(store, store_target, editor, repository):
    """Following "undo 18 first" would put back the change both wanted gone: revision 18 is the undo of 17."""
    loaded = await state(repository)
    changed = number(await run(editor, 'set kind:meeting format:"F2"'))
    won, lost = await _race(store, store_target, "undo")
    undone = number(won)
    assert won.title == f"Revision {undone}: session/meeting back as it was before revision {changed}"
    assert lost.kind == "error" and lost.text == f"Revision {changed} is already undone (revision {undone}); /redo puts it back."
    assert await state(repository) == loaded
    assert [r.id for r in await repository.revisions(BRIEFING_ID, limit=1)] == [undone]  # the loser wrote nothing
    # A redo raced alike, by two Spanish admins: the loser is told the undo is already taken back, not to undo the redo.
    spanish = replace(OPERATOR, locale="es")
    won, lost = await _race(store, store_target, "redo", (spanish, spanish))
    redone = number(won)
    assert lost.text == f"Lo deshecho en la revisión {undone} ya se recuperó (revisión {redone}); /deshacer {redone} vuelve a deshacerlo."
    assert (await state(repository))["sessions"] != loaded["sessions"]


async def test_two_admins_undoing_an_import_at_once_the_loser_hears_it_is_already_undone(store, store_target, editor, repository):
    original = await state(repository)
    text = dump_pack(await repository.briefing()).replace("status: scheduled", "status: postponed")
    dry = await editor.import_text(OPERATOR, text, "new.yaml", apply=False)
    imported = number(await editor.import_text(OPERATOR, text, "new.yaml", apply=True, approval=dry.approval))
    won, lost = await _race(store, store_target, "undo")
    assert won.kind == "answer" and await state(repository) == original
    assert lost.text == f"Revision {imported} is already undone (revision {number(won)}); /redo puts it back."


async def test_two_briefbot_admin_undo_processes_at_once_one_undoes_and_the_other_says_it_is_already_undone(postgres_server):
    """`briefbot admin undo & briefbot admin undo & wait`: on PostgreSQL, whose locks show who waits, in a fixed order."""
    async with fresh_database(postgres_server) as url:
        assert briefbot("--db", url, "admin", "set", "kind:meeting", "format:F2").returncode == 0  # seeds the store first: revision 2
        async with _advisory_lock_held(url, 2):
            racing = [await briefbot_started("--db", url, "admin", "undo") for _ in range(2)]
        outputs = [await process.communicate() for process in racing]
        said = sorted((p.returncode, out.decode(), err.decode()) for p, (out, err) in zip(racing, outputs, strict=True))
    (won, undone, _), (lost, nothing, refused) = said
    assert (won, undone.splitlines()[0]) == (0, "Revision 3: session/meeting back as it was before revision 2")
    # The refusal is said on standard error, as every `briefbot admin` refusal is.
    assert (lost, nothing, refused.splitlines()[-1]) == (EXIT_USER, "", "Revision 2 is already undone (revision 3); /redo puts it back.")
