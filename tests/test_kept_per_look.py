"""What a channel decides (its choices, language, briefing and that briefing's index) is kept per look at the store:
a commit by any connection is seen by the very next request, and a reader's own language keeps its own answers."""

from __future__ import annotations

import gc
from pathlib import Path

from msgspec.structs import replace

from bot.core.choosing import Choice
from bot.core.index import BriefingIndex
from bot.core.model import Briefing
from bot.core.recent import BRIEFINGS_HELD, Stamped
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store import Store, open_store
from tests.conftest import BEFORE, ask
from tests.test_held_briefings import SERVED, add_stories, story

CHAT = {"platform": "discord", "team_id": "T1", "channel_id": "C1"}
# A list answer (remembered per version) and one written afresh each time: the two ways a command reads its index.
LINES = ("/brief", "/agenda")


def marked(briefing: Briefing, mark: str) -> Briefing:
    """The briefing with `mark` as its title and its agenda items', so both lines show which one answered."""
    return replace(briefing, title=mark, agenda=tuple(replace(item, title=mark) for item in briefing.agenda))


def shows(reply: Reply, mark: str) -> bool:
    """The reply is of the briefing marked `mark` (see `marked`)."""
    return mark in reply.title or (bool(reply.items) and reply.items[0].title == mark)  # `/agenda`'s title is a count


def indexes_alive() -> int:
    """The indexes any object still holds (built ones are frozen out of the collector's view, bot/core/kept.py: counted here)."""
    gc.unfreeze()
    gc.collect()
    return sum(isinstance(thing, BriefingIndex) for thing in gc.get_objects())


def chat_core(store: Store) -> BriefingCore:
    """A core wired as `briefbot run` wires one: the channels' choices read through it."""
    return BriefingCore(store.repository, choices=store.choices)


async def test_a_channel_s_language_fixed_in_another_connection_is_seen_by_the_next_request(store: Store, store_target: str | Path) -> None:
    core = chat_core(store)
    english = [await ask(core, line, **CHAT) for line in LINES]  # the channel's choices and index now kept
    assert english == [await ask(core, line, **CHAT) for line in LINES]
    async with open_store(store_target) as other:
        await other.choices.choose(Choice("discord", "T1", "C1", None, "admin", BEFORE, language="es"))
    spanish = [await ask(core, line, **CHAT) for line in LINES]
    assert spanish == [await ask(chat_core(store), line, **{**CHAT, "locale": "es"}) for line in LINES]
    assert spanish[0].title != english[0].title


async def test_a_chosen_briefing_edited_in_another_connection_is_not_answered_from_before(store: Store, store_target: str | Path) -> None:
    await add_stories(store, 2)
    for n in range(2):
        await store.repository.save(marked(await store.repository.briefing(story(n)), f"Story {n}"))
    await store.choices.choose(Choice("discord", "T1", "C1", story(0), "admin", BEFORE))
    core = chat_core(store)
    for line in LINES:
        assert shows(await ask(core, line, **CHAT), "Story 0")
    async with open_store(store_target) as other:
        await other.repository.save(marked(await other.repository.briefing(story(0)), "Edited elsewhere"))
    for line in LINES:
        assert shows(await ask(core, line, **CHAT), "Edited elsewhere")
    async with open_store(store_target) as other:  # the channel now reads another briefing
        await other.choices.choose(Choice("discord", "T1", "C1", story(1), "admin", BEFORE))
    for line in LINES:
        assert shows(await ask(core, line, **CHAT), "Story 1")


async def test_a_named_briefing_removed_in_another_connection_is_unknown_at_once(store: Store, store_target: str | Path) -> None:
    await add_stories(store, 1)
    await store.repository.save(marked(await store.repository.briefing(story(0)), "Story 0"))
    core = chat_core(store)
    for line in LINES:  # the channel's own briefing (the default) kept first: a name is not answered from it
        assert not shows(await ask(core, line, **CHAT), "Story 0")
        assert shows(await ask(core, f"{line} briefing:{story(0)}", **CHAT), "Story 0")
    async with open_store(store_target) as other:
        await other.choices.remove(story(0))
    for line in LINES:
        gone = await ask(core, f"{line} briefing:{story(0)}", **CHAT)
        assert gone.kind == "error" and story(0) in gone.text
    assert "Petro" in (await ask(core, "/brief", **CHAT)).title


async def test_readers_of_two_languages_in_one_channel_each_read_their_own(store: Store) -> None:
    core = chat_core(store)
    for _ in range(2):  # the second time, each from what the first kept
        for locale in ("en", "es", "en"):
            for line in LINES:
                assert await ask(core, line, **{**CHAT, "locale": locale}) == await ask(chat_core(store), line, **{**CHAT, "locale": locale})


async def test_channels_reading_more_briefings_than_the_bound_hold_only_the_bound(store: Store) -> None:
    await add_stories(store, SERVED)
    for n in range(SERVED):
        await store.choices.choose(Choice("discord", "T1", f"C{n}", story(n), "admin", BEFORE))
    before = indexes_alive()  # earlier tests' cores may still hold indexes of their own
    core = chat_core(store)
    for n in range(SERVED):
        reply = await ask(core, "/brief", **{**CHAT, "channel_id": f"C{n}"})
        assert f"Story {n}" in reply.title, reply.title
    assert indexes_alive() - before <= BRIEFINGS_HELD  # a channel's memo holds none


def test_kept_entries_hold_for_one_stamp_and_up_to_the_bound() -> None:
    kept: Stamped[str, int] = Stamped(2)
    kept.put(1, "a", 1)
    kept.put(1, "b", 2)
    kept.put(1, "c", 3)  # past the bound: the oldest stored goes
    assert (kept.get((1, "a")), kept.get((1, "b")), kept.get((1, "c"))) == (None, 2, 3)
    kept.put(2, "a", 4)  # a new look at the store: nothing of the old one is found
    assert (kept.get((1, "b")), kept.get((2, "b")), kept.get((2, "a"))) == (None, None, 4)
    kept.put(None, "x", 5)  # a store that cannot say keeps nothing
    assert kept.get((None, "x")) is None
