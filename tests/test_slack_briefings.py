"""Choosing a briefing through the real bolt app: a workspace's choice, and one channel overriding it."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.pack import pack_mapping
from bot.core.registry import local_option
from bot.store import Store
from tests.briefings_support import BRUSSELS_ID, OTHER_ID, OTHER_TITLE, add_brussels, add_other, chooser_core
from tests.conftest import BRIEFING_ID
from tests.slack_fake import CHANNEL, TEAM, USER, action_payload, signature_headers, slash_payload
from tests.test_slack_admin import interact, submit
from tests.test_slack_http import Harness, serving_bot, texts

ADMIN = "U0ADMIN"
SHIPPED = "Petro in Washington"
HOOKS = itertools.count()  # each command's own response_url


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    await add_other(store)
    core = chooser_core(store, AdminPolicy({"slack": Admins(users=frozenset({ADMIN}))}))
    async with serving_bot(core, workspace_admins=False) as running:
        yield running


async def ask(h: Harness, text: str, channel: str, user: str = ADMIN) -> dict[str, Any]:
    """`/brief <text>` in `channel` of the fake workspace; the answer sent to the response_url."""
    hook = await command(h, text, channel, user)
    (answer,) = await h.slack.wait_for(f"hook/{hook}")
    return answer.body  # type: ignore[no-any-return]


async def command(h: Harness, text: str, channel: str, user: str = ADMIN) -> str:
    """Send `/brief <text>` in `channel`; the hook its answers (if any) go to."""
    hook = f"h{next(HOOKS)}"
    fields = {**slash_payload("/brief", text, h.slack.response_url(hook), user=user), "channel_id": channel}
    assert (await h.send(urlencode(fields), "application/x-www-form-urlencoded")).status == 200
    return hook


def header(message: dict[str, Any]) -> str:
    return str(message["blocks"][0]["text"]["text"])


async def test_a_workspace_choice_with_one_channel_overriding_it(harness: Harness, store: Store) -> None:
    assert OTHER_TITLE in texts(await ask(harness, f"use briefing:{OTHER_ID} for:space", "C0ONE"))
    assert SHIPPED in texts(await ask(harness, f"use briefing:{BRIEFING_ID}", "C0TWO"))
    assert header(await ask(harness, "brief", "C0ONE", user=USER)).startswith(OTHER_TITLE)
    assert header(await ask(harness, "brief", "C0THREE", user=USER)).startswith(OTHER_TITLE)
    assert SHIPPED in header(await ask(harness, "brief", "C0TWO", user=USER))
    assert SHIPPED in header(await ask(harness, f"brief briefing:{BRIEFING_ID}", "C0THREE", user=USER))
    chosen = await store.choices.chosen("slack", TEAM, "C0TWO")
    assert [(c.channel_id, c.briefing_id) for c in chosen] == [("C0TWO", BRIEFING_ID), ("", OTHER_ID)]


async def test_a_channel_reading_spanish_is_told_the_chosen_briefing_by_its_spanish_title(harness: Harness) -> None:
    """The choice named the stored English title in a Spanish sentence; with `language:` too, it is all in the new language."""
    await ask(harness, "use language:es", CHANNEL)
    chose = texts(await ask(harness, f"usar informe:{BRIEFING_ID}", CHANNEL))
    assert f"Este canal lee ahora Petro en Washington: la reunión con Trump en la Casa Blanca ({BRIEFING_ID})." in chose, chose
    both = texts(await ask(harness, f"usar informe:{BRIEFING_ID} idioma:en", CHANNEL))
    assert f"This channel now reads {SHIPPED}" in both and "This channel now answers in English" in both and "Este canal" not in both, both


async def test_a_member_cannot_choose_and_nothing_changes(harness: Harness, store: Store) -> None:
    answer = texts(await ask(harness, f"use briefing:{OTHER_ID} for:space", "C0ONE", user=USER))
    assert "for briefing admins only" in answer
    assert await store.choices.chosen("slack", TEAM, "C0ONE") == []


async def form_in(h: Harness, text: str, channel: str) -> dict[str, Any]:
    """The modal `/brief <text>` opens in `channel`."""
    opened = len(h.slack.calls("views.open"))
    await command(h, text, channel)
    return (await h.slack.wait_for("views.open", count=opened + 1))[-1].body["view"]  # type: ignore[no-any-return]


async def outcomes(store: Store) -> dict[str, str]:
    """Each briefing's meeting outcome."""
    return {b: str(pack_mapping(await store.repository.briefing(b))["sessions"][0].get("outcome") or "") for b in (BRIEFING_ID, OTHER_ID)}


async def test_a_form_changes_the_briefing_it_was_opened_for(harness: Harness, store: Store) -> None:
    """A submission names no channel: it was refused ("There is no revision 2") or written to the default briefing."""
    await ask(harness, f"use briefing:{OTHER_ID}", "C0ONE")
    view = await form_in(harness, "edit meeting", "C0ONE")
    assert await submit(harness, view, {"outcome": "Edited in the channel."}) is None
    (told,) = await harness.slack.wait_for("chat.postEphemeral")
    assert told.body["channel"] == "C0ONE" and "session/meeting changed" in texts(told.body)
    assert await outcomes(store) == {BRIEFING_ID: "", OTHER_ID: "Edited in the channel."}
    # Named with briefing: where the channel reads the default; and an add.
    view = await form_in(harness, f"edit meeting briefing:{OTHER_ID}", "C0TWO")
    assert await submit(harness, view, {"outcome": "Edited by name."}) is None
    await harness.slack.wait_for("chat.postEphemeral", count=2)
    assert await outcomes(store) == {BRIEFING_ID: "", OTHER_ID: "Edited by name."}
    view = await form_in(harness, "add person", "C0ONE")
    typed = {"id": "added-here", "name": "Added Here", "role": "R", "organisation": "O", "side": "colombia",
             "sources": "cubaheadlines-2026-02-03", "evidence": "Petro has crafted a diverse agenda in Washington."}
    assert await submit(harness, view, typed) is None
    await harness.slack.wait_for("chat.postEphemeral", count=3)
    people = {b: {p["id"] for p in pack_mapping(await store.repository.briefing(b))["people"]} for b in (BRIEFING_ID, OTHER_ID)}
    assert "added-here" in people[OTHER_ID] and "added-here" not in people[BRIEFING_ID]


async def test_an_item_picked_from_a_select_is_edited_in_the_briefing_named(harness: Harness, store: Store) -> None:
    hook = await command(harness, f"edit session briefing:{OTHER_ID}", "C0TWO")
    (message,) = await harness.slack.wait_for(f"hook/{hook}")
    (section,) = [b for b in message.body["blocks"] if b.get("accessory")]
    chosen = section["accessory"]["options"][0]
    payload = {
        "type": "block_actions", "team": {"id": TEAM}, "user": {"id": ADMIN, "team_id": TEAM}, "channel": {"id": "C0TWO"},
        "container": {"type": "message", "channel_id": "C0TWO", "is_ephemeral": True},
        "response_url": harness.slack.response_url("pick"), "trigger_id": "1337.42.pick",
        "actions": [{"type": "static_select", "action_id": "briefbot_pick", "block_id": section["block_id"], "selected_option": chosen}],
    }
    assert await interact(harness, payload) is None
    (opened,) = await harness.slack.wait_for("views.open")
    assert await submit(harness, opened.body["view"], {"outcome": "Picked and edited."}) is None
    await harness.slack.wait_for("chat.postEphemeral")
    assert await outcomes(store) == {BRIEFING_ID: "", OTHER_ID: "Picked and edited."}


def has_post(message: dict[str, Any]) -> bool:
    """Whether a private answer offers Post to channel."""
    return any(e.get("action_id") == "briefbot_post" for b in message["blocks"] if b["type"] == "actions" for e in b["elements"])


@pytest.mark.parametrize(("line", "posted"), [
    (f"use briefing:{OTHER_ID}", False),  # chooses: posted, it would choose again over a later choice
    ("use language:es", False),
    ("subscribe time:08:00 tz:UTC", False),
    ("use", True),  # only says what applies here
    ("briefings", True),
])
async def test_only_an_answer_that_changed_nothing_offers_post_to_channel(harness: Harness, line: str, posted: bool) -> None:
    answer = await ask(harness, line, "C0ONE")
    assert answer["response_type"] == "ephemeral" and "Can't answer that" not in texts(answer)
    assert has_post(answer) is posted


async def submit_new(h: Harness, view: dict[str, Any], typed: dict[str, str], user: str) -> Any:
    """Submit the new-briefing modal with `typed`, as Slack sends a view_submission; the JSON of the ack."""
    state = {name: {name: {"type": "plain_text_input", "value": value}} for name, value in typed.items()}
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM},
               "view": {**view, "id": "V0001", "state": {"values": state}}}
    form = urlencode({"payload": json.dumps(payload)})
    async with h.http.post(f"{h.url}/slack/events", data=form.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", **signature_headers(form)}) as response:
        assert response.status == 200
        body = await response.read()
    return json.loads(body) if body else None


async def opened_modal(h: Harness, user: str) -> dict[str, Any]:
    fields = {**slash_payload("/brief", "briefing new", h.slack.response_url(f"h{next(HOOKS)}"), user=user)}
    assert (await h.send(urlencode(fields), "application/x-www-form-urlencoded")).status == 200
    return (await h.slack.wait_for("views.open"))[-1].body["view"]  # type: ignore[no-any-return]


async def home_use(h: Harness, user: str = USER) -> str:
    """The Home tab's "Which briefing" button, clicked by `user`: the text of the modal it opens."""
    click = {**action_payload("briefbot_home_use", "use", None, user=user), "trigger_id": h.slack.trigger()}  # each click its own
    assert (await h.send(urlencode({"payload": json.dumps(click)}), "application/x-www-form-urlencoded")).status == 200
    return texts((await h.slack.wait_for("views.open", count=len(h.slack.triggers)))[-1].body["view"])


async def test_the_home_tabs_briefing_button_says_what_the_tab_shows_and_how_a_channel_chooses(harness: Harness) -> None:
    """It answered "The default: neither this channel nor its server or workspace chose a briefing", though the Home tab
    is no channel, and said nothing of how to choose: now the workspace's choice or the default, in those words, and
    how an admin chooses, for a channel or the whole workspace."""
    shown = await home_use(harness)
    assert f"Here: {SHIPPED}" in shown and "neither this channel" not in shown
    assert "The default: this server or workspace chose no briefing, so it answers in every channel that chose none." in shown
    assert "There is no channel here. An admin chooses in a channel: /brief use briefing:ID there, for that channel" in shown
    assert "with for:space added, for the whole server or workspace" in shown
    await ask(harness, f"use briefing:{OTHER_ID} for:space", "C0ONE")
    shown = await home_use(harness)
    assert f"Here: {OTHER_TITLE} ({OTHER_ID})" in shown and f"This server or workspace chose it for every channel that chose none: <@{ADMIN}>," in shown
    harness.slack.users["U0LECTORA"] = {"id": "U0LECTORA", "locale": "es-ES"}
    shown = await home_use(harness, "U0LECTORA")
    assert "Lo eligió este servidor o espacio de trabajo para todos los canales que no eligieron ninguno" in shown
    assert "Aquí no hay ningún canal. Un admin elige en un canal: /brief usar informe:ID allí" in shown


async def test_briefing_new_opens_a_modal_whose_submission_creates_the_briefing(harness: Harness, store: Store) -> None:
    view = await opened_modal(harness, ADMIN)
    assert view["callback_id"] == "briefbot_briefing_new" and [b["block_id"] for b in view["blocks"]] == ["id", "title", "zone", "language"]
    # The venue's zone is UTC when left empty, the language the admin's own.
    assert [b["optional"] for b in view["blocks"]] == [False, False, True, True]
    assert await submit_new(harness, view, {"id": "geneva-talks", "title": "Talks in Geneva", "zone": "Europe/Zurich"}, ADMIN) is None  # closes
    (said,) = await harness.slack.wait_for("chat.postEphemeral")
    assert "Created Talks in Geneva (geneva-talks)" in texts(said.body)
    assert (await store.repository.briefing("geneva-talks")).venue.zone == "Europe/Zurich"
    assert header(await ask(harness, "brief briefing:geneva-talks", "C0ONE", user=USER)).startswith("Talks in Geneva")


@pytest.mark.parametrize("language", ["en", "es"])
async def test_briefing_new_given_a_title_too_long_opens_its_modal_without_it_and_says_why(harness: Harness, language: str) -> None:
    """A 240-character title went into the modal as its initial value, over the input's 200: Slack refused the view and the
    admin read "Sorry, that did not work". Now the title is left out, the modal says why, and what fits is kept."""
    await ask(harness, f"use language:{language}", CHANNEL)
    title = "The long negotiations over tariffs, visas and deportations " * 4
    await command(harness, f'briefing new title:"{title.strip()}" zone:Europe/Zurich', CHANNEL)
    (opened,) = await harness.slack.wait_for("views.open")
    view = opened.body["view"]
    inputs = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"}
    assert inputs == {"id": None, "title": None, "zone": "Europe/Zurich", "language": None}
    cat = catalogue_for(language)
    assert cat("briefing_new.too_long", field=local_option("title", language), limit=200) in texts(view)
    assert await submit_new(harness, view, {"id": "tariff-talks", "title": "Tariff talks", "zone": "Europe/Zurich"}, ADMIN) is None
    assert (await harness.bot.core.repository.briefing("tariff-talks")).venue.zone == "Europe/Zurich"


@pytest.mark.parametrize("language", ["en", "es"])
async def test_a_refused_new_briefing_shows_the_problem_beside_its_input_and_keeps_what_was_typed(
    harness: Harness, store: Store, language: str
) -> None:
    """An id in use turned the modal into the refusal alone, everything typed gone: each problem is now shown beside the
    input it is about, as an edit form's are, and the modal, as typed, is sent again once the id is changed."""
    await ask(harness, f"use language:{language}", CHANNEL)
    cat = catalogue_for(language)
    view = await opened_modal(harness, ADMIN)
    typed = {"id": BRIEFING_ID, "title": "Talks in Geneva", "zone": "Europe/Zurich", "language": "en"}
    taken = await submit_new(harness, view, typed, ADMIN)
    assert taken == {"response_action": "errors", "errors": {"id": cat("briefing.exists", briefing=BRIEFING_ID)}}
    unknown = await submit_new(harness, view, {**typed, "id": "geneva-talks", "zone": "Europe/Genf"}, ADMIN)
    assert unknown["response_action"] == "errors" and list(unknown["errors"]) == ["zone"] and "IANA" in unknown["errors"]["zone"]
    assert "geneva-talks" not in {s.id for s in await store.repository.briefings()}
    assert await submit_new(harness, view, {**typed, "id": "geneva-talks"}, ADMIN) is None  # the same modal, the id changed
    assert (await store.repository.briefing("geneva-talks")).venue.zone == "Europe/Zurich"


async def test_a_new_briefing_is_told_in_the_language_fixed_where_its_modal_opened(harness: Harness) -> None:
    await ask(harness, "use language:es", CHANNEL)
    view = await opened_modal(harness, ADMIN)  # in CHANNEL
    assert await submit_new(harness, view, {"id": "geneva-talks", "title": "Talks in Geneva"}, ADMIN) is None
    (said,) = await harness.slack.wait_for("chat.postEphemeral")
    assert said.body["channel"] == CHANNEL and "Se creó el informe «Talks in Geneva» (geneva-talks)" in texts(said.body)


async def test_a_member_is_refused_before_the_modal_opens_and_their_submission_creates_nothing(harness: Harness, store: Store) -> None:
    """A member got the modal, filled it in, and only then was refused: the core's gate is asked first, as `edit`'s form does."""
    hook = await command(harness, "briefing new", CHANNEL, user=USER)
    (refused,) = await harness.slack.wait_for(f"hook/{hook}")
    assert refused.body["response_type"] == "ephemeral" and "admins only" in texts(refused.body)
    assert harness.slack.calls("views.open") == []
    view = await opened_modal(harness, ADMIN)  # an admin's modal submitted by the member (a replay) meets the same gate
    answer = await submit_new(harness, view, {"id": "geneva-talks", "title": "Talks"}, USER)
    assert answer["response_action"] == "update" and "admins only" in texts(answer)
    assert "geneva-talks" not in {s.id for s in await store.repository.briefings()}


async def test_a_subscription_without_tz_is_on_the_followed_briefing_s_own_clock(harness: Harness, store: Store) -> None:
    """A channel reading a summit in Brussels gets its digest on Brussels time, and one reading the shipped briefing on
    Washington's, its first zone: no zone of one briefing is pinned for all."""
    await add_brussels(store)
    await ask(harness, f"use briefing:{BRUSSELS_ID}", "C0EU")
    brussels = texts(await ask(harness, "subscribe", "C0EU"))
    assert "This channel gets the digest daily at 07:30 (Brussels)" in brussels and f"A summit in Brussels ({BRUSSELS_ID})" in brussels
    assert "This channel gets the digest daily at 07:30 (New York)" in texts(await ask(harness, f"subscribe briefing:{BRIEFING_ID}", "C0US"))
    assert {(s.channel_id, s.briefing_id, s.zone) for s in await store.digests.subscriptions()} == {
        ("C0EU", BRUSSELS_ID, "Europe/Brussels"), ("C0US", BRIEFING_ID, "America/New_York"),
    }


@pytest.mark.parametrize("typed", ["informe nuevo", "informe acción:nuevo", "briefing action:new", "informe nuevo id:ginebra"])
async def test_a_spanish_admin_s_briefing_new_in_their_words_opens_the_modal(harness: Harness, typed: str) -> None:
    """`/brief informe nuevo` is `/brief briefing new`: the bare word is the action, as the core reads it, in any language."""
    await ask(harness, "use language:es", CHANNEL)
    hook = await command(harness, typed, CHANNEL)
    view = (await harness.slack.wait_for("views.open"))[-1].body["view"]
    assert view["callback_id"] == "briefbot_briefing_new" and view["title"]["text"] == "Nuevo informe"
    assert [b["element"].get("initial_value") for b in view["blocks"]] == ["ginebra" if "id:" in typed else None, None, None, None]
    assert await submit_new(harness, view, {"id": "geneva-talks", "title": "Conversaciones en Ginebra"}, ADMIN) is None
    (said,) = await harness.slack.wait_for("chat.postEphemeral")
    assert "Se creó el informe «Conversaciones en Ginebra» (geneva-talks)" in texts(said.body)
    # No language given: the briefing is written in the one its admin reads, and the answer says so.
    assert "Su texto se escribirá en español (lengua:es), el idioma en que lees" in texts(said.body), texts(said.body)
    assert (await harness.bot.core.repository.briefing("geneva-talks")).language == "es"
    assert not harness.slack.calls(f"hook/{hook}")  # the modal, not an answer to the command


@pytest.mark.parametrize("typed", ['informe nuevo id:cumbre título:"Cumbre de Bogotá" zona:America/Bogota',
                                   'briefing new id:cumbre title:"Cumbre de Bogotá" zone:America/Bogota'])
async def test_a_briefing_new_line_with_its_id_and_title_creates_it_without_a_modal(harness: Harness, store: Store, typed: str) -> None:
    await ask(harness, "use language:es", CHANNEL)
    assert "Se creó el informe «Cumbre de Bogotá» (cumbre)" in texts(await ask(harness, typed, CHANNEL))
    assert harness.slack.calls("views.open") == []
    assert (await store.repository.briefing("cumbre")).venue.zone == "America/Bogota"


async def test_unsubscribe_finds_the_channel_s_subscriptions_whatever_it_reads_now(harness: Harness, store: Store) -> None:
    """A channel subscribed, then its admin chose another briefing: its digests still come, so unsubscribe stops them;
    of several, it asks which, naming them."""
    await add_brussels(store)
    await ask(harness, f"use briefing:{OTHER_ID}", "C0EU")
    await ask(harness, "subscribe", "C0EU")
    await ask(harness, f"use briefing:{BRIEFING_ID}", "C0EU")
    assert f"This channel no longer gets the digest or alerts of {OTHER_TITLE} ({OTHER_ID})." in texts(await ask(harness, "unsubscribe", "C0EU"))
    for named in (OTHER_ID, BRUSSELS_ID):
        await ask(harness, f"subscribe briefing:{named}", "C0EU")
    which = texts(await ask(harness, "unsubscribe", "C0EU"))
    assert f"This channel gets the digests of several briefings ({OTHER_ID}, {BRUSSELS_ID}); name the one to stop: /brief unsubscribe briefing:ID." in which
    assert len(await store.digests.subscriptions("slack")) == 2
    await ask(harness, f"unsubscribe briefing:{BRUSSELS_ID}", "C0EU")
    assert f"({OTHER_ID})." in texts(await ask(harness, "unsubscribe", "C0EU"))  # the only one left
    assert await store.digests.subscriptions("slack") == []
    assert "This channel has no digest subscription." in texts(await ask(harness, "unsubscribe", "C0EU"))


async def test_a_new_briefing_says_use_chooses_it_here_and_an_edit_of_it_tells_undo_with_it(harness: Harness) -> None:
    """In a workspace `use` chooses it; until then, the channel reads another, so what an edit of it tells to type names it."""
    view = await opened_modal(harness, ADMIN)
    assert await submit_new(harness, view, {"id": "geneva-talks", "title": "Talks in Geneva"}, ADMIN) is None
    (said,) = await harness.slack.wait_for("chat.postEphemeral")
    assert "Choose it here with /brief use briefing:geneva-talks." in " ".join(texts(said.body).split())
    changed = " ".join(texts(await ask(harness, "set kind:session id:first-session venue:Geneva briefing:geneva-talks", CHANNEL)).split())
    assert "/brief undo briefing:geneva-talks reverts revision 4; /brief undo briefing:geneva-talks again walks further back" in changed, changed
    undone = " ".join(texts(await ask(harness, "undo briefing:geneva-talks", CHANNEL)).split())  # as told
    assert "Revision 5: session/first-session in geneva-talks back as it was before revision 4" in undone, undone
    refused = " ".join(texts(await ask(harness, "remove kind:source id:first-source briefing:geneva-talks", CHANNEL)).split())
    assert "To see them all: /brief uses kind:source id:first-source briefing:geneva-talks\"" in refused, refused
    assert "named by 3 items" in texts(await ask(harness, "uses kind:source id:first-source briefing:geneva-talks", CHANNEL))
