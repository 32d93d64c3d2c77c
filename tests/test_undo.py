"""Undo and redo as their replies promise: what `undo N` means once a change was undone and redone, and whose change an undo took back."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store.packfile import read_pack_text
from tests.briefings_support import OTHER_ID, OTHER_TITLE, add_other
from tests.conftest import BRIEFING_ID
from tests.test_admin import ADMINS, OPERATOR, POLICY, run, state


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
    assert again.footer == "undo again walks back one change further; redo takes this undo back."
    redo = await run(editor, "redo")  # takes 5 back, as the footer said
    assert redo.kind == "answer", redo.text
    assert await state(repository) == concluded
    assert (await run(editor, "undo")).kind == "answer"  # walks back: 2's change out again, not an undo of the redo
    assert await state(repository) == loaded
    first = await run(editor, "undo")
    assert first.kind == "error" and "created the briefing" in first.text


async def test_undo_n_of_a_change_already_undone_says_so_and_how_to_put_it_back(editor, repository):
    changed = number(await run(editor, "set kind:meeting status:concluded"))  # 2
    undone = number(await run(editor, "undo"))  # 3
    loaded = await state(repository)
    refused = await run(editor, f"undo {changed}")
    assert refused.text == f"Revision {changed} is already undone (revision {undone}); redo puts it back."
    spanish = await run(editor, f"undo {changed}", replace(OPERATOR, locale="es"))
    assert spanish.text == f"La revisión {changed} ya está deshecha (revisión {undone}); rehacer la recupera."
    await run(editor, "set kind:faq id:significance answer:Elsewhere.")  # nothing left to redo: undo 3 is the way back
    assert (await run(editor, f"undo {changed}")).text == f"Revision {changed} is already undone (revision {undone}); undo {undone} puts it back."
    redone = number(await run(editor, f"undo {undone}"))
    assert (await run(editor, f"undo {undone}")).text == (
        f"Revision {undone} is already taken back (revision {redone}); undo {redone} undoes the change again."
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
    """Plain undo takes back the latest change by anyone: an admin fixing their own mistake sees if it was a colleague's."""
    changed = number(await run(editor, "set kind:meeting status:concluded", ADMINS[0]))
    undone = await run(editor, "undo")
    assert undone.text == f"Revision {changed}, undone here, was made by 111 (discord, 2026-02-03 18:00 UTC)."
    history = (await run(editor, "history")).items[1]
    assert history.meta == "2026-02-03 18:00 UTC · discord · 111"
    redone = await run(editor, "redo", replace(OPERATOR, locale="es"))
    assert redone.text == f"Lo deshecho en la revisión {number(undone)}, que se recupera aquí, lo deshizo operator (cli, 2026-02-03 18:00 UTC)."
    assert (await run(editor, f"undo {changed}")).text == f"Revision {changed}, undone here, was made by 111 (discord, 2026-02-03 18:00 UTC)."


async def test_a_redo_is_named_alike_in_its_answer_and_in_history_and_an_undo_of_a_redo_is_an_undo(editor):
    await run(editor, "set kind:meeting status:concluded")  # 2
    await run(editor, "undo")  # 3
    redo = await run(editor, "undo 3")  # undoing an undo: a redo
    assert redo.title == "Revision 4: session/meeting redone (undo 3 taken back)"
    assert redo.footer == "undo takes the change back again."
    assert (await run(editor, "undo")).title == "Revision 5: session/meeting back as it was before revision 4"
    titles = [item.title for item in (await run(editor, "history")).items[:2]]
    assert titles == ["Revision 5 · session/meeting as before revision 4 (undo)", "Revision 4 · session/meeting redone (undo 3 taken back)"]


async def test_an_empty_value_shows_as_every_empty_value_does(editor):
    """The shipped meeting's outcome is "" (none yet): its change read `outcome: “” → “Agreed”`, its clearing `“Agreed” → —`."""
    assert (await run(editor, "set kind:meeting outcome:Agreed")).fields[0].value == "— → “Agreed”"
    assert (await run(editor, "set kind:meeting outcome:")).fields[0].value == "“Agreed” → —"
    assert [item.text for item in (await run(editor, "history kind:meeting")).items[:2]] == ["outcome: “Agreed” → —", "outcome: — → “Agreed”"]
