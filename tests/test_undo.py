"""Undo and redo as their replies promise: what `undo N` means once a change was undone and redone, and whose change an undo took back."""

from __future__ import annotations

import pytest

from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store.packfile import read_pack_text
from tests.test_admin import POLICY, run, state


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
