"""After an edit, the editing process answers from the briefing the edit built, without reading it all back: that
briefing must be exactly what the store now holds, as another process reads it, after every kind of change."""

from __future__ import annotations

from bot.core.service import BriefingCore
from bot.store import open_store
from bot.store.packfile import read_pack_text
from tests.conftest import BRIEFING_ID, PACK
from tests.test_admin import OPERATOR, POLICY, run

CITED = "sources:cubaheadlines-2026-02-03 evidence:'Petro has crafted a diverse agenda in Washington.'"
IMPORT = "the shipped pack imported with one FAQ answer changed"
# Every kind of change an admin makes, each kind of item, and history's own changes between them.
CHANGES = [
    'set kind:faq id:significance answer:"An answer changed in place."',
    f"add kind:faq id:extra question:Why? answer:Because. {CITED}",
    'set kind:faq id:extra answer:"Changed again." evidence:"Petro has crafted a diverse agenda in Washington."',
    "remove kind:faq id:significance",
    "undo",  # the removal's undo puts the entry back
    "redo",
    "remove kind:person id:pedro-sanchez",
    "undo",
    'set kind:person id:pedro-sanchez name:"Pedro Sánchez Jr." role:"A role"',
    "set kind:meeting status:concluded",
    f'add kind:timeline id:later date:2026-02-04 title:"A later event" detail:"What happened." {CITED}',
    'set kind:briefing title:"A title set in chat"',
    "undo",
    IMPORT,  # the whole briefing, as an import writes it
    "undo",
]


async def test_the_editing_process_reads_what_another_process_reads_after_every_change(store, store_target) -> None:
    editor = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
    for line in CHANGES:
        if line == IMPORT:
            text = PACK.read_text(encoding="utf-8").replace("answer: ", "answer: Imported. ", 1)
            dry = await editor.import_text(OPERATOR, text, "x.yaml", apply=False)
            reply = await editor.import_text(OPERATOR, text, "x.yaml", apply=True, approval=dry.approval)
        else:
            reply = await run(editor, line, OPERATOR)
        assert reply.kind == "answer", (line, reply)
        mine = await store.repository.briefing(BRIEFING_ID)
        async with open_store(store_target) as other:  # a process started now: it reads the store, nothing cached
            theirs = await other.repository.briefing(BRIEFING_ID)
        assert (mine, mine.version) == (theirs, theirs.version), line
