"""A refused load in the store: which edits it names, and the operator's message built from it."""

from __future__ import annotations

import msgspec
import pytest

from bot.cli.loading import refusal_lines
from bot.core.catalogue import Catalogue
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.loads import SHOWN_EDITS, EditedSinceLoad
from bot.store.packfile import read_pack, read_pack_text
from tests.conftest import PACK
from tests.load_support import load_pack
from tests.test_admin import OPERATOR, POLICY, state


async def test_a_refusal_names_the_newest_edits_and_counts_the_rest(store: Store) -> None:
    core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
    for n in range(SHOWN_EDITS + 2):
        reply = await core.dispatch_line(f'set kind:meeting outcome:"Round {n}"', OPERATOR)
        assert reply.kind == "answer", reply.text
    edited_state = await state(store.repository)
    with pytest.raises(EditedSinceLoad) as caught:
        await load_pack(store, PACK)
    refused = caught.value
    assert refused.taken.total == SHOWN_EDITS + 2
    assert [r.id for r in refused.taken.edits] == list(range(SHOWN_EDITS + 3, 3, -1))  # newest first; 1 is the seed
    assert await state(store.repository) == edited_state

    lines = await refusal_lines(store, refused, "pack.yaml", Catalogue())
    assert len(lines) == 1 + SHOWN_EDITS + 5
    assert lines[SHOWN_EDITS + 1 :] == [
        "  … and 2 older changes",
        "What loading it would change:",
        "  meeting: changed: outcome",
        "Edited since the last load and changed by the file: session/meeting",
        lines[-1],
    ]
    assert "briefbot load pack.yaml --discard-edits" in lines[-1]

    assert await load_pack(store, PACK, discard_edits=True) == (refused.current.id, True)
    assert (await store.repository.briefing()).sessions[0].outcome == read_pack(PACK).sessions[0].outcome


async def test_a_load_is_refused_only_where_it_changes_an_edited_item(store: Store) -> None:
    """A pack that holds the edits since the last load and changes other items loads; one that changes an edited item does not."""
    core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
    assert (await core.dispatch_line('set kind:meeting outcome:"Agreed."', OPERATOR)).kind == "answer"
    edited = await store.repository.briefing()
    kept = msgspec.structs.replace(edited, faq=(msgspec.structs.replace(edited.faq[0], question="Changed?"), *edited.faq[1:]))
    assert await store.load(kept, PACK) == (edited.id, True)
    assert (await store.repository.briefing()).sessions[0].outcome == "Agreed."
    assert (await core.dispatch_line('set kind:meeting outcome:"Agreed twice."', OPERATOR)).kind == "answer"
    with pytest.raises(EditedSinceLoad) as caught:
        await store.load(kept, PACK)
    assert caught.value.taken.items == [("session", "meeting")]


async def test_a_refusal_names_only_the_edits_the_pack_would_take_back(store: Store) -> None:
    """The edits since the last load that the pack holds as they are stay, so the refusal neither names nor counts them:
    among many of those, the one it takes back is never left off the list."""
    core = BriefingCore(store.repository, policy=POLICY, pack_reader=read_pack_text)
    assert (await core.dispatch_line('set kind:meeting outcome:"Agreed."', OPERATOR)).kind == "answer"
    for n in range(SHOWN_EDITS + 1):
        assert (await core.dispatch_line(f'set kind:faq id:significance answer:"Edited {n}."', OPERATOR)).kind == "answer"
    now = await store.repository.briefing()
    held = msgspec.structs.replace(now, sessions=(msgspec.structs.replace(now.sessions[0], outcome=""), *now.sessions[1:]))
    with pytest.raises(EditedSinceLoad) as caught:
        await store.load(held, PACK)
    assert caught.value.taken.items == [("session", "meeting")] and caught.value.taken.total == 1
    assert [(r.id, r.kind, r.item_id) for r in caught.value.taken.edits] == [(2, "session", "meeting")]
