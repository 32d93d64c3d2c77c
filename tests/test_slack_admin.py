"""Admin on Slack through the real bolt app: modals, item selects, imports, exports, and the core's one gate."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from msgspec.structs import replace

from bot.adapters.slack_app import people
from bot.adapters.slack_app.forms import MAX_INPUT
from bot.core.admin.kinds import FORM_FIELDS
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.model import Evidence
from bot.core.pack import MAX_PACK_BYTES, pack_mapping
from bot.core.registry import readers_text
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import dump_pack, read_pack_text
from bot.store.repository import SqliteBriefingRepository
from tests.briefings_support import OTHER_ID, OTHER_TITLE, add_other
from tests.conftest import BEFORE, BRIEFING_ID
from tests.slack_fake import (
    BOT_TOKEN,
    CHANNEL,
    TEAM,
    TRIGGER_SECONDS,
    USER,
    Recorded,
    home_opened_event,
    signature_headers,
    slash_payload,
)
from tests.test_slack_http import Harness, serving_bot, texts

ADMIN = "U0ADMIN"
ITEM = "deportation-flights-blocked"
SOURCE = "cubaheadlines-2026-02-03"
Payload = dict[str, Any]


@pytest.fixture
def core(repository: SqliteBriefingRepository) -> BriefingCore:
    return BriefingCore(repository, policy=AdminPolicy({"slack": Admins(users=frozenset({ADMIN}))}), pack_reader=read_pack_text, pack_writer=dump_pack)


@pytest.fixture
async def harness(core: BriefingCore) -> AsyncIterator[Harness]:
    async with serving_bot(core, workspace_admins=False) as running:
        yield running


async def slash(h: Harness, text: str, user: str = ADMIN, hook: str = "r1", trigger: str | None = None) -> None:
    """`/brief <text>` from `user`; the answer (if any) goes to hook/<hook>; `trigger` one from `FakeSlack.trigger`."""
    fields = slash_payload("/brief", text, h.slack.response_url(hook), user=user)
    form = urlencode({**fields, "trigger_id": trigger} if trigger else fields)
    assert (await h.send(form, "application/x-www-form-urlencoded")).status == 200


async def interact(h: Harness, payload: Payload) -> Any:
    """Send an interaction payload signed like Slack; the JSON the app acked with (None when empty)."""
    form = urlencode({"payload": json.dumps(payload)})
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signature_headers(form)}
    async with h.http.post(f"{h.url}/slack/events", data=form.encode(), headers=headers) as response:
        assert response.status == 200
        body = await response.read()
    return json.loads(body) if body else None


async def opened_form(h: Harness, text: str, count: int = 1) -> Payload:
    """Run `/brief <text>` as the admin and return the modal it opened."""
    await slash(h, text)
    return (await h.slack.wait_for("views.open", count=count))[-1].body["view"]


def initial(view: Payload) -> dict[str, str]:
    """Each input's initial value, by block id."""
    return {b["block_id"]: b["element"].get("initial_value", "") for b in view["blocks"] if b["type"] == "input"}


def filled(view: Payload, changes: dict[str, str], updated: Payload | None = None) -> Payload:
    """`view` as Slack sends it back, `changes` typed over what its inputs held: their initial values or, when the view
    replaced `updated` (a view as submitted), what was typed there in an input of the same block and action ids, which
    Slack keeps across an update. An input not `optional` left empty fails here: Slack sends no such view."""
    held: dict[tuple[str, str], str] = {}
    for block_id, actions in (updated or {}).get("state", {}).get("values", {}).items():
        held.update({(block_id, action): entry["value"] or "" for action, entry in actions.items()})
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] == "input" and block["element"]["type"] == "plain_text_input":
            block_id, action = block["block_id"], block["element"]["action_id"]
            value = changes.get(block_id, held.get((block_id, action), block["element"].get("initial_value", "")))
            assert value or block.get("optional"), f"Slack sends no view whose required {block_id!r} is empty"
            state[block_id] = {action: {"type": "plain_text_input", "value": value or None}}
    return {**view, "id": "V0001", "state": {"values": state}}


async def submit(h: Harness, view: Payload, changes: dict[str, str], user: str = ADMIN, updated: Payload | None = None) -> Any:
    """Submit `view` with `changes` typed over what it holds (`filled`), as Slack sends a view_submission."""
    return await interact(h, submission(filled(view, changes, updated), user))


def submission(view: Payload, user: str) -> Payload:
    """A view_submission payload for `view` (with its state) from `user`."""
    return {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM}, "view": view}


async def stored(core: BriefingCore) -> dict[str, Any]:
    return pack_mapping(await core.repository.briefing())


async def test_edit_meeting_opens_a_modal_with_the_current_values(harness: Harness) -> None:
    view = await opened_form(harness, "edit meeting")
    assert view["type"] == "modal" and view["callback_id"] == "briefbot_form"
    values = initial(view)
    assert values["status"] == "scheduled"
    assert values["venue"] == "The White House, Washington"
    assert values["start"] == "2026-02-03T11:00" and values["zone"] == "America/New_York"
    assert next(b for b in view["blocks"] if b.get("block_id") == "outcome")["element"]["multiline"] is True
    # The fields the kind declares, in its order (docs/data-pack.md), as Discord's windows show them: read from the
    # definition, so a field added to it is expected here too; the start beside its zone, and no id or stakes, written out.
    fields = [b for b in view["blocks"] if b["type"] == "input" and not b["block_id"].startswith("change.")]
    shown = [b["block_id"] for b in fields]
    assert shown == list(FORM_FIELDS["session"]), "the session form's fields, as bot/core/kinds.py declares them"
    assert shown[:5] == ["title", "parties", "start", "date", "zone"] and not {"id", "stakes", "translations"} & set(shown)
    # Aims and topics may be [] and an outcome "": optional, as Slack would refuse the view with one of them empty.
    assert {b["block_id"] for b in fields if not b["optional"]} == {"title", "status", "sources", "evidence"}
    meta = json.loads(view["private_metadata"])
    assert (meta["command"], meta["kind"], meta["item_id"], meta["channel_id"]) == ("set", "session", "meeting", CHANNEL)
    assert isinstance(meta["base"], int)


async def test_each_input_takes_no_more_than_its_field_may_hold(harness: Harness) -> None:
    """Every input took 3,000 characters, so a 300-character title was refused only after Submit; Slack now stops it as
    it is typed, at the limit validation checks (`Field.limit`), as Discord's modal does."""
    blocks = (await opened_form(harness, "edit meeting"))["blocks"]
    limits = {b["block_id"]: b["element"]["max_length"] for b in blocks if b["type"] == "input"}
    assert (limits["title"], limits["venue"], limits["note"], limits["delegation"]) == (200, 300, 500, 200)
    assert limits["outcome"] == limits["evidence"] == MAX_INPUT  # as long as a Slack input holds


async def test_a_fields_hint_follows_its_type_in_its_own_kind(harness: Harness) -> None:
    hints = {b["block_id"]: b.get("hint", {}).get("text") for b in (await opened_form(harness, "edit meeting"))["blocks"] if b["type"] == "input"}
    assert hints["delegation"] is None and hints["parties"] == "Comma-separated"  # a session's delegation is text
    person = await opened_form(harness, "edit person gustavo-petro", count=2)
    assert next(b for b in person["blocks"] if b.get("block_id") == "delegation")["hint"]["text"] == "yes or no"


async def test_a_submission_edits_and_the_next_meeting_and_home_show_it(harness: Harness, core: BriefingCore) -> None:
    view = await opened_form(harness, "edit meeting")
    assert await submit(harness, view, {"status": "concluded", "outcome": "Both sides agreed to meet again."}) is None
    (told,) = await harness.slack.wait_for("chat.postEphemeral")
    assert (told.body["channel"], told.body["user"]) == (CHANNEL, ADMIN)
    assert "session/meeting changed" in texts(told.body)
    (home,) = await harness.slack.wait_for("views.publish")
    assert home.body["user_id"] == ADMIN and "Concluded" in texts(home.body["view"])
    await slash(harness, "meeting", user=USER, hook="m")
    (meeting,) = await harness.slack.wait_for("hook/m")
    assert "Both sides agreed to meet again." in texts(meeting.body)
    await harness.send(json.dumps(home_opened_event(USER)), "application/json")
    _, other = await harness.slack.wait_for("views.publish", count=2)
    assert other.body["user_id"] == USER and "Concluded" in texts(other.body["view"])
    assert (await stored(core))["sessions"][0]["status"] == "concluded"


async def test_only_changed_fields_are_sent(harness: Harness, core: BriefingCore) -> None:
    view = await opened_form(harness, f"edit timeline {ITEM}")
    assert await submit(harness, view, {"title": "Petro turns back two deportation flights"}) is None
    await harness.slack.wait_for("chat.postEphemeral")
    (revision,) = await core.repository.revisions((await core.repository.briefing()).id, limit=1)
    assert set(revision.after["item"]) ^ set(revision.before["item"]) == set()
    changed = {k for k in revision.after["item"] if revision.after["item"][k] != revision.before["item"].get(k)}
    assert changed == {"title", "translations"}  # the title's Spanish goes with the title it translated
    assert "title" not in revision.after["item"]["translations"]["es"] and "detail" in revision.after["item"]["translations"]["es"]


async def test_an_aim_holding_a_comma_stays_one_aim_when_a_typo_in_it_is_fixed_in_the_form(harness: Harness, core: BriefingCore) -> None:
    """The shipped session's first aim holds a comma. The form showed aims comma-separated and read them back by commas, so
    fixing a typo in it split it in two, silently changing the news: aims are one a line now, in a multi-line input."""
    aims = (await stored(core))["sessions"][0]["aims"]
    view = await opened_form(harness, "edit meeting")
    block = next(b for b in view["blocks"] if b.get("block_id") == "aims")
    assert block["element"]["multiline"] is True and block["hint"]["text"] == "One per line"
    assert initial(view)["aims"].split("\n") == aims and "," in aims[0]
    assert await submit(harness, view, {"aims": initial(view)["aims"].replace("Re-establish", "Reestablish", 1)}) is None
    assert "session/meeting changed" in texts((await harness.slack.wait_for("chat.postEphemeral"))[0].body)
    fixed = (await stored(core))["sessions"][0]["aims"]
    assert fixed == [aims[0].replace("Re-establish", "Reestablish"), aims[1]]  # as many aims, the comma kept
    # One line in the form is one aim, its comma kept, as a session's only aim is shown.
    await slash(harness, "edit meeting", hook="r2")  # another hook: the same request twice would be refused as replayed
    assert await submit(harness, (await harness.slack.wait_for("views.open", count=2))[-1].body["view"], {"aims": fixed[0]}) is None
    await harness.slack.wait_for("chat.postEphemeral", count=2)
    assert (await stored(core))["sessions"][0]["aims"] == [fixed[0]]


async def test_an_unchanged_form_changes_nothing(harness: Harness, core: BriefingCore) -> None:
    before = await stored(core)
    view = await opened_form(harness, "edit meeting")
    assert await submit(harness, view, {}) is None
    (told,) = await harness.slack.wait_for("chat.postEphemeral")
    assert "Nothing was changed" in texts(told.body)
    assert await stored(core) == before


async def test_invalid_input_is_shown_inline_on_the_field(harness: Harness, core: BriefingCore) -> None:
    before = await stored(core)
    view = await opened_form(harness, "edit meeting")
    answer = await submit(harness, view, {"zone": "Mars/Olympus_Mons"})
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"zone"}
    assert "IANA time zone" in answer["errors"]["zone"]
    assert await stored(core) == before


async def colleague(core: BriefingCore, **fields: str) -> None:
    """Another admin's edit of the meeting, from the console, while a form is open."""
    assert (await core.dispatch(Request(command="set", now=BEFORE, platform="console", operator=True, options={"kind": "meeting", **fields}))).kind == "answer"


async def test_a_stale_submission_is_refused_with_the_newer_value(harness: Harness, core: BriefingCore) -> None:
    view = await opened_form(harness, "edit meeting")
    await colleague(core, venue="Mar-a-Lago, Palm Beach")
    answer = await submit(harness, view, {"venue": "Camp David"})
    assert answer["response_action"] == "update"
    shown = texts(answer["view"])
    assert "changed since you read it" in shown and "Mar-a-Lago, Palm Beach" in shown
    assert (await stored(core))["sessions"][0]["venue"] == "Mar-a-Lago, Palm Beach"


async def test_a_stale_form_comes_back_with_the_admins_change_kept_and_one_more_save_applies_it(harness: Harness, core: BriefingCore) -> None:
    """A stale form was answered with the refusal alone, and the admin had to open the form and type the change again."""
    view = await opened_form(harness, "edit meeting")
    await colleague(core, status="postponed")  # another field than the admin's
    mine = {"venue": "Camp David", "change.reason": "moved"}
    answer = await submit(harness, view, mine)
    again = answer["view"]
    assert answer["response_action"] == "update" and again["callback_id"] == "briefbot_form"
    assert "changed since you read it" in texts(again["blocks"][0]) and "status: “postponed”" in again["blocks"][0]["text"]["text"]
    assert "Your changes are kept below" in texts(again)
    values = initial(again)
    assert (values["venue"], values["status"], values["change.reason"]) == ("Camp David", "postponed", "moved")
    (latest,) = await core.repository.revisions(BRIEFING_ID, limit=1)
    meta = json.loads(again["private_metadata"])
    assert (meta["base"], meta["kept"]) == (latest.id, ["venue"])
    assert (await stored(core))["sessions"][0]["venue"] == "The White House, Washington"
    # Saved as Slack sends it back: the colleague's field is not taken back to what the first form showed.
    assert await submit(harness, again, {}, updated=filled(view, mine)) is None
    (told,) = await harness.slack.wait_for("chat.postEphemeral")
    assert "session/meeting changed" in texts(told.body)
    meeting = (await stored(core))["sessions"][0]
    assert (meeting["venue"], meeting["status"]) == ("Camp David", "postponed")
    (saved,) = await core.repository.revisions(BRIEFING_ID, limit=1)
    assert (saved.platform, saved.actor, saved.note) == ("slack", ADMIN, "moved")


async def test_a_second_stale_round_keeps_the_admins_changes_again(harness: Harness, core: BriefingCore) -> None:
    view = await opened_form(harness, "edit meeting")
    await colleague(core, status="postponed")
    first = await submit(harness, view, {"venue": "Camp David"})
    await colleague(core, outcome="Talks moved to next week.")
    second = await submit(harness, first["view"], {"format": "Working lunch"}, updated=filled(view, {"venue": "Camp David"}))
    again = second["view"]
    assert second["response_action"] == "update" and "Talks moved to next week." in texts(again["blocks"][0])
    values = initial(again)
    assert (values["venue"], values["format"], values["status"], values["outcome"]) == (
        "Camp David", "Working lunch", "postponed", "Talks moved to next week.",
    )
    assert json.loads(again["private_metadata"])["kept"] == ["venue", "format"]
    assert await submit(harness, again, {}, updated=filled(first["view"], {"format": "Working lunch"})) is None
    meeting = (await stored(core))["sessions"][0]
    assert (meeting["venue"], meeting["format"], meeting["status"], meeting["outcome"]) == (
        "Camp David", "Working lunch", "postponed", "Talks moved to next week.",
    )


async def test_a_stale_form_keeps_no_change_a_colleague_made_the_same(harness: Harness, core: BriefingCore) -> None:
    view = await opened_form(harness, "edit meeting")
    await colleague(core, venue="Camp David")
    again = (await submit(harness, view, {"venue": "Camp David", "format": "Working lunch"}))["view"]
    assert json.loads(again["private_metadata"])["kept"] == ["format"]  # the venue is no change of the admin's any more


def post_line(message: Payload) -> str | None:
    """The line a message's Post to channel button carries, None when it has none."""
    buttons = [e for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]
    return next((e["value"] for e in buttons if e.get("action_id") == "briefbot_post"), None)


async def test_an_answer_that_changed_something_is_never_run_again_by_post_to_channel(harness: Harness, core: BriefingCore) -> None:
    """A Post on an edit's answer ran the edit again: a later edit by another admin was silently undone."""
    first = 'set kind:meeting status:concluded outcome:"A deal."'
    await slash(harness, first, hook="a")
    (done,) = await harness.slack.wait_for("hook/a")
    assert "session/meeting changed" in texts(done.body) and post_line(done.body) is None
    await slash(harness, 'set kind:meeting status:postponed outcome:""', hook="b")
    await harness.slack.wait_for("hook/b")
    version = (await core.repository.briefing()).version
    # A button on an answer sent before this check, or a forged one, is refused: nothing runs, nothing is posted.
    assert await harness.click("briefbot_post", first, hook="p", user=ADMIN) == 200
    (refused,) = await harness.slack.wait_for("hook/p")
    assert refused.body["response_type"] == "ephemeral" and "delete_original" not in refused.body
    assert "Only an answer that changes nothing can be posted to the channel" in texts(refused.body)
    assert (await stored(core))["sessions"][0]["status"] == "postponed"
    assert (await core.repository.briefing()).version == version
    await slash(harness, "history", hook="h")  # an admin's reading still has its button
    (history,) = await harness.slack.wait_for("hook/h")
    assert post_line(history.body) == "history"


async def test_a_set_value_is_stored_as_typed_not_as_slack_escapes_it(harness: Harness, core: BriefingCore) -> None:
    """A command's text comes escaped ("&amp;", "&lt;"), a form's values as typed: both store what the admin typed."""
    await slash(harness, 'set kind:meeting outcome:"Trade & security <first>; R&amp;D later."')
    await harness.slack.wait_for("hook/r1")
    assert (await stored(core))["sessions"][0]["outcome"] == "Trade & security <first>; R&amp;D later."
    view = await opened_form(harness, "edit meeting")
    assert initial(view)["outcome"] == "Trade & security <first>; R&amp;D later."
    assert await submit(harness, view, {"outcome": "Trade &amp; security & <later>"}) is None
    assert (await stored(core))["sessions"][0]["outcome"] == "Trade &amp; security & <later>"


async def test_quote_marks_inside_a_quoted_value_are_stored_as_typed(harness: Harness, core: BriefingCore) -> None:
    """Only the quotes around a value delimit it: a phone's “…” inside '…' are the question's own."""
    await slash(harness, "set kind:faq id:significance question:'Why is “the meeting” important?'")
    await harness.slack.wait_for("hook/r1")
    assert next(f for f in (await stored(core))["faq"] if f["id"] == "significance")["question"] == "Why is “the meeting” important?"


async def test_set_with_lang_writes_the_spanish_text_and_says_who_now_reads_it(harness: Harness, core: BriefingCore) -> None:
    """`/brief set … lang:es` writes the Spanish translation, the English original untouched; an empty value clears it."""
    before = await stored(core)
    await slash(harness, 'set kind:faq id:significance lang:es answer:"Una respuesta revisada."', hook="t")
    (done,) = await harness.slack.wait_for("hook/t")
    assert "Readers of Spanish now see the Spanish answer in place of the English text." in texts(done.body)
    after = await stored(core)
    entry, shipped = (next(f for f in pack["faq"] if f["id"] == "significance") for pack in (after, before))
    assert entry["answer"] == shipped["answer"] and entry["translations"]["es"]["answer"] == "Una respuesta revisada."
    await slash(harness, 'set kind:faq id:significance lang:es answer:""', hook="c")
    (cleared,) = await harness.slack.wait_for("hook/c")
    assert "Readers of Spanish now see the English answer marked untranslated" in texts(cleared.body)
    assert "answer" not in next(f for f in (await stored(core))["faq"] if f["id"] == "significance")["translations"]["es"]


async def test_the_select_lists_the_core_items_and_opens_the_chosen_one(harness: Harness) -> None:
    await slash(harness, "edit timeline")
    (message,) = await harness.slack.wait_for("hook/r1")
    assert message.body["response_type"] == "ephemeral"
    (section,) = [b for b in message.body["blocks"] if b.get("accessory")]
    select = section["accessory"]
    assert select["type"] == "static_select" and select["action_id"] == "briefbot_pick"
    values = [o["value"] for o in select["options"]]
    assert values[0] == ITEM and len(values) <= 25
    chosen = select["options"][0]
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": ADMIN, "team_id": TEAM},
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "channel_id": CHANNEL, "is_ephemeral": True},
        "response_url": harness.slack.response_url("r2"),
        "trigger_id": "1337.42.pick",
        "actions": [
            {"type": "static_select", "action_id": "briefbot_pick", "block_id": section["block_id"], "selected_option": chosen}
        ],
    }
    assert await interact(harness, payload) is None
    (opened,) = await harness.slack.wait_for("views.open")
    assert opened.body["trigger_id"] == "1337.42.pick"
    assert initial(opened.body["view"])["title"] == "Petro blocks two U.S. deportation flights"


async def test_a_long_title_with_an_ampersand_or_a_bracket_is_cut_at_slacks_limit_not_back_at_it(harness: Harness, core: BriefingCore) -> None:
    """Plain text was clipped as mrkdwn: a `&` with no `;` after it (or a `<` with no `>`) moved the cut back to it, so
    "Meeting: Q&A <live> on tariffs…" read "Meeting: Q…" in a header, a modal's title and a select's option."""
    title = "Q&A <live on " + "tariffs, visas and deportations " * 6
    briefing = await core.repository.briefing()
    first = replace(briefing.timeline[0], title=title)
    await core.repository.save(replace(briefing, sessions=(replace(briefing.sessions[0], title=title),), timeline=(first, *briefing.timeline[1:])))
    heading = f"Meeting: {title}"
    await slash(harness, "meeting", hook="meeting")
    (answer,) = await harness.slack.wait_for("hook/meeting")
    assert answer.body["blocks"][0]["text"] == {"type": "plain_text", "text": heading[:149] + "…"}
    assert await harness.click("briefbot_home_meeting", "meeting", hook=None, user=ADMIN) == 200
    (opened,) = await harness.slack.wait_for("views.open")
    assert opened.body["view"]["title"]["text"] == "Meeting: Q&A <live on…"  # after a whole word, not "…on t…"
    await slash(harness, "edit timeline", hook="pick")
    (message,) = await harness.slack.wait_for("hook/pick")
    (select,) = [b["accessory"] for b in message.body["blocks"] if b.get("accessory")]
    assert {"type": "plain_text", "text": f"{ITEM} · {title}"[:74] + "…"} in [o["text"] for o in select["options"]]


async def test_a_slow_users_info_never_outlives_the_trigger_the_user_is_told_slack_is_busy(harness: Harness, core: BriefingCore) -> None:
    """users.info rate limited: the client waited out the 429, the 3-second trigger_id expired, and "Sorry, that did not
    work" followed. Now its wait is bounded by the trigger's life: Slack is busy, try again; nothing opens to anyone (no
    admin gate is skipped), and the lookup, finished meanwhile, lets the next try open at once."""
    lookup = asyncio.Event()
    harness.slack.held["users.info"] = lookup
    busy = catalogue_for("en")("slack.busy")
    for n, user in enumerate((ADMIN, USER)):
        await slash(harness, "edit meeting", user=user, hook=f"slow{n}", trigger=harness.slack.trigger())
        (told,) = await harness.slack.wait_for(f"hook/slow{n}")
        assert told.body["text"] == busy and told.body["response_type"] == "ephemeral"
    assert await harness.click("briefbot_home_meeting", "meeting", hook=None, user=ADMIN) == 200
    (dm,) = await harness.slack.wait_for("chat.postMessage")
    assert dm.body["channel"] == ADMIN and dm.body["text"] == busy
    assert harness.slack.calls("views.open") == []
    lookup.set()
    await harness.bot.inflight.drain(5)  # the lookups finish in the background and are cached
    trigger = harness.slack.trigger()
    await slash(harness, "edit meeting", hook="again", trigger=trigger)
    (opened,) = await harness.slack.wait_for("views.open")
    assert opened.body["trigger_id"] == trigger and opened.body["view"]["callback_id"] == "briefbot_form"
    await slash(harness, "edit meeting", user=USER, hook="member", trigger=harness.slack.trigger())
    (refused,) = await harness.slack.wait_for("hook/member")
    assert "is for briefing admins only" in texts(refused.body) and len(harness.slack.calls("views.open")) == 1
    assert not harness.slack.calls("hook/again")  # the form alone, no message


async def test_a_trigger_expired_before_the_form_opens_tells_the_admin_slack_is_busy(harness: Harness) -> None:
    """A command Slack delivered late: views.open answers expired_trigger_id, which is Slack's delay, not a failure of ours."""
    trigger = harness.slack.trigger()
    harness.slack.triggers[trigger] -= TRIGGER_SECONDS  # issued 3 s before it arrived
    await slash(harness, "edit meeting", hook="late", trigger=trigger)
    (told,) = await harness.slack.wait_for("hook/late")
    assert told.body["text"] == catalogue_for("en")("slack.busy")
    assert len(harness.slack.calls("views.open")) == 1  # tried once, and refused by Slack: no retry with a dead trigger


async def test_add_opens_an_empty_form_and_adds_the_item(harness: Harness, core: BriefingCore) -> None:
    view = await opened_form(harness, "add faq")
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"][:4] == ["id", "question", "answer", "sources"]
    assert set(initial(view).values()) == {""}
    typed = {"id": "next-steps", "question": "What happens next?", "answer": "Not announced.", "sources": SOURCE,
             "evidence": "Petro has crafted a diverse agenda in Washington."}
    assert await submit(harness, view, typed) is None
    await harness.slack.wait_for("chat.postEphemeral")
    assert any(entry["id"] == "next-steps" for entry in (await stored(core))["faq"])
    await slash(harness, "faq next", user=USER, hook="f")
    (faq,) = await harness.slack.wait_for("hook/f")
    assert "What happens next?" in texts(faq.body)


async def test_a_session_with_no_aims_announced_is_added_its_status_as_the_add_starts_it(harness: Harness, core: BriefingCore) -> None:
    """A session's aims and topics may be [] (no aims announced yet): a required input would keep Slack from sending the view."""
    view = await opened_form(harness, "add session")
    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert blocks["aims"]["optional"] and blocks["topics"]["optional"] and not blocks["title"]["optional"]
    assert initial(view)["status"] == "scheduled"  # what the add starts it with, not a blank to fill
    typed = {"id": "gala", "title": "Gala dinner", "sources": SOURCE, "evidence": "Petro has crafted a diverse agenda in Washington."}
    assert await submit(harness, view, typed) is None
    await harness.slack.wait_for("chat.postEphemeral")
    gala = next(s for s in (await stored(core))["sessions"] if s["id"] == "gala")
    assert (gala["title"], gala["status"], gala["aims"], gala["topics"]) == ("Gala dinner", "scheduled", [], [])


async def test_add_with_a_bad_id_names_the_field(harness: Harness) -> None:
    view = await opened_form(harness, "add faq")
    answer = await submit(harness, view, {"id": "Not An Id", "question": "Q?", "answer": "A.", "sources": SOURCE, "evidence": "Q? A."})
    assert answer["response_action"] == "errors" and "id" in answer["errors"]


async def test_a_refused_add_comes_back_with_its_answers(harness: Harness, core: BriefingCore) -> None:
    """A refusal no input shows (a source the briefing lacks) keeps the answers too; the source fixed, Save adds it."""
    view = await opened_form(harness, "add faq")
    typed = {"id": "next-steps", "question": "What happens next?", "answer": "Not announced.", "sources": SOURCE,
             "evidence": "Petro has crafted a diverse agenda in Washington.", "change.source": "nope"}
    answer = await submit(harness, view, typed)
    again = answer["view"]
    assert answer["response_action"] == "update" and "Your answers are kept below" in texts(again)
    assert json.loads(again["private_metadata"])["command"] == "add"
    assert {name: initial(again)[name] for name in typed} == typed
    assert await submit(harness, again, {"change.source": SOURCE}, updated=filled(view, typed)) is None
    assert any(entry["id"] == "next-steps" for entry in (await stored(core))["faq"])


DENIED_LINES = [
    "edit meeting",
    "edit timeline",
    f"edit timeline {ITEM}",
    "add faq",
    "set kind:meeting status:concluded",
    "add kind:faq id:x question:Q answer:A sources:cubaheadlines-2026-02-03 evidence:'Petro has crafted a diverse agenda in Washington.'",
    f"remove kind:timeline id:{ITEM}",
    "history",
    "undo",
    "export",
]


async def test_a_non_admin_is_denied_every_admin_command_and_nothing_changes(harness: Harness, core: BriefingCore) -> None:
    before = await stored(core)
    admin_view = await opened_form(harness, "edit meeting")
    for n, line in enumerate(DENIED_LINES):
        await slash(harness, line, user=USER, hook=f"d{n}")
        (answer,) = await harness.slack.wait_for(f"hook/d{n}")
        assert f"{line.split()[0]} is for briefing admins only" in texts(answer.body), line  # names the command typed
        assert answer.body["response_type"] == "ephemeral"
    # A form submitted by someone else (a replay, or an admin removed meanwhile) meets the same gate.
    answer = await submit(harness, admin_view, {"status": "cancelled"}, user=USER)
    assert answer["response_action"] == "update" and "is for briefing admins only" in texts(answer["view"])
    assert len(harness.slack.calls("views.open")) == 1
    assert await stored(core) == before


async def test_edit_without_a_kind_says_how(harness: Harness) -> None:
    await slash(harness, "edit")
    (answer,) = await harness.slack.wait_for("hook/r1")
    assert "/brief edit meeting" in texts(answer.body)


async def import_round(h: Harness, user: str, file_id: str, line: str = "import") -> Payload:
    """Open the import modal (`/brief <line>`), submit it with `file_id`, and return the view the check filled in."""
    await slash(h, line, user=user)
    (opened,) = await h.slack.wait_for("views.open")
    view = opened.body["view"]
    files = {"type": "file_input", "files": [{"id": file_id, "name": "pack.yaml"}]}
    submitted = {**view, "id": "V0001", "state": {"values": {"pack": {"value": files}}}}
    working = await interact(h, submission(submitted, user))
    assert working["response_action"] == "update"
    (updated,) = await h.slack.wait_for("views.update")
    assert updated.body["view_id"] == "V0001"
    return updated.body["view"]


async def test_import_shows_a_dry_run_then_applies(harness: Harness, core: BriefingCore) -> None:
    briefing = await core.repository.briefing()
    changed = dump_pack(briefing).replace("status: scheduled", "status: postponed")
    assert changed != dump_pack(briefing)
    harness.slack.files["F1"] = ("pack.yaml", changed.encode())
    before = await stored(core)
    dry = await import_round(harness, ADMIN, "F1")
    assert "Dry run" in texts(dry) and dry["callback_id"] == "briefbot_import_apply"
    assert await stored(core) == before
    (download,) = harness.slack.calls("file/F1")
    assert download.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    apply = submission({**dry, "id": "V0001", "state": {"values": {}}}, ADMIN)
    assert (await interact(harness, apply))["response_action"] == "update"
    _, applied = await harness.slack.wait_for("views.update", count=2)
    assert "the pack was imported" in texts(applied.body["view"])
    assert (await stored(core))["sessions"][0]["status"] == "postponed"
    await harness.slack.wait_for("views.publish")


async def test_import_apply_is_refused_if_the_briefing_changed_after_the_dry_run(harness: Harness, core: BriefingCore) -> None:
    briefing = await core.repository.briefing()
    harness.slack.files["F4"] = ("pack.yaml", dump_pack(briefing).replace("status: scheduled", "status: postponed").encode())
    dry = await import_round(harness, ADMIN, "F4")
    assert json.loads(dry["private_metadata"])["approval"]["version"] == briefing.version
    edit = await core.dispatch_line('set kind:meeting venue:"Blair House"', Request(command="", now=BEFORE, platform="console", operator=True))
    assert edit.kind == "answer", edit.text
    edited = await stored(core)
    apply = submission({**dry, "id": "V0001", "state": {"values": {}}}, ADMIN)
    assert (await interact(harness, apply))["response_action"] == "update"
    _, refused = await harness.slack.wait_for("views.update", count=2)
    assert "The briefing changed since the dry run" in texts(refused.body["view"])
    assert await stored(core) == edited


async def test_import_apply_takes_back_edits_only_as_apply_anyway_and_only_the_file_checked(harness: Harness, core: BriefingCore) -> None:
    """An export, then an edit, then the export changed and uploaded: the dry run names the edit it takes back and its
    button says "Apply anyway"; a file changed in Slack between the dry run and the Apply is not imported."""
    exported = dump_pack(await core.repository.briefing())
    edit = await core.dispatch_line('set kind:meeting outcome:"Both sides met."', Request(command="", now=BEFORE, platform="console", operator=True))
    assert edit.kind == "answer", edit.text
    harness.slack.files["F5"] = ("pack.yaml", exported.replace("status: scheduled", "status: postponed").encode())
    dry = await import_round(harness, ADMIN, "F5")
    said = texts(dry)
    assert "has 1 change since its last load which importing pack.yaml would take back:" in said, said
    assert "Revision 2 · session/meeting changed · " in said and "Edited since the last load and changed by the file: session/meeting" in said
    assert dry["submit"]["text"] == "Apply anyway" and json.loads(dry["private_metadata"])["approval"]["discard_edits"] is True
    edited = await stored(core)
    harness.slack.files["F5"] = ("pack.yaml", exported.replace("status: scheduled", "status: cancelled").encode())  # edited in Slack
    assert (await interact(harness, submission({**dry, "id": "V0001", "state": {"values": {}}}, ADMIN)))["response_action"] == "update"
    _, refused = await harness.slack.wait_for("views.update", count=2)
    assert "Nothing was imported: the file no longer holds what its dry run showed" in texts(refused.body["view"])
    assert await stored(core) == edited

    harness.slack.files["F5"] = ("pack.yaml", exported.replace("status: scheduled", "status: postponed").encode())  # put back
    assert (await interact(harness, submission({**dry, "id": "V0002", "state": {"values": {}}}, ADMIN)))["response_action"] == "update"
    *_, applied = await harness.slack.wait_for("views.update", count=3)
    assert "the pack was imported" in texts(applied.body["view"])
    meeting = (await stored(core))["sessions"][0]
    assert (meeting["status"], meeting.get("outcome", "")) == ("postponed", "")


@pytest.mark.parametrize("line", [f"import briefing:{OTHER_ID}", f'importar informe:"{OTHER_TITLE}"'])
async def test_an_import_given_a_briefing_checks_and_applies_the_file_to_that_one(harness: Harness, store: Store, line: str) -> None:
    """`/brief import briefing:ID` in a channel reading another briefing: the dry run and its Apply are that briefing's (the
    modal carries it), as an edit form's are; the modal forgot it, and refused that briefing's own export as "not the one
    read here". Spanish `informe:` names it too, by its title."""
    await add_other(store)
    harness.slack.users[ADMIN] = {"id": ADMIN, "locale": "es-LA" if line.startswith("importar") else "en-US"}
    exported = dump_pack(await store.repository.briefing(OTHER_ID))
    harness.slack.files["F8"] = ("pack.yaml", exported.replace("status: scheduled", "status: postponed").encode())
    before = await stored(harness.bot.core)
    dry = await import_round(harness, ADMIN, "F8", line)
    assert dry["callback_id"] == "briefbot_import_apply", texts(dry)
    assert json.loads(dry["private_metadata"])["briefing"] == OTHER_ID
    assert (await interact(harness, submission({**dry, "id": "V0001", "state": {"values": {}}}, ADMIN)))["response_action"] == "update"
    _, applied = await harness.slack.wait_for("views.update", count=2)
    assert "briefbot_import" not in texts(applied.body["view"]) and "callback_id" not in applied.body["view"], texts(applied.body["view"])
    assert (await store.repository.briefing(OTHER_ID)).sessions[0].status == "postponed"
    assert await stored(harness.bot.core) == before  # the channel's briefing is left as it was


async def test_an_import_naming_no_briefing_there_is_refused_before_a_file_is_chosen(harness: Harness) -> None:
    await slash(harness, "import briefing:nowhere")
    (answer,) = await harness.slack.wait_for("hook/r1")
    assert "There is no briefing “nowhere”; the store holds: petro-trump-2026." in texts(answer.body)
    assert harness.slack.calls("views.open") == []


@pytest.mark.parametrize(("locale", "over", "size"), [("en-US", 1, "1.01 MB"), ("en-US", 40_000, "1.04 MB"), ("es-LA", 40_000, "1,04 MB")])
async def test_import_refuses_a_file_over_the_cap(harness: Harness, locale: str, over: int, size: str) -> None:
    """At the size files.info gives, before a download, in the reader's way: over the cap never reads as the cap ("1.0 MB")."""
    harness.slack.users[ADMIN] = {"id": ADMIN, "locale": locale}
    harness.slack.files["F2"] = ("big.yaml", b"#" * (MAX_PACK_BYTES + over))
    view = await import_round(harness, ADMIN, "F2")
    assert catalogue_for(locale)("import.too_large", file="big.yaml", size=size, limit="1 MB") in texts(view), texts(view)
    assert harness.slack.calls("file/F2") == []


@pytest.mark.parametrize(("file_id", "content", "said"), [
    ("F6", b"\xff\xfe\x00bad", "pack.yaml is not UTF-8 text; export a pack as YAML and upload that. Nothing was imported."),
    ("F404", None, "Slack did not hand over F404; please upload it again. Nothing was imported."),  # files.info: file_not_found
])
async def test_import_refuses_a_file_that_is_not_text_or_not_handed_over(harness: Harness, file_id: str, content: bytes | None, said: str) -> None:
    if content is not None:
        harness.slack.files[file_id] = ("pack.yaml", content)
    assert said in texts(await import_round(harness, ADMIN, file_id))


async def test_import_by_a_non_admin_is_denied_before_the_modal_opens(harness: Harness) -> None:
    await slash(harness, "import", user=USER)
    (answer,) = await harness.slack.wait_for("hook/r1")
    assert "is for briefing admins only" in texts(answer.body)
    assert harness.slack.calls("views.open") == []


async def test_an_import_submitted_by_a_non_admin_downloads_nothing(harness: Harness, core: BriefingCore) -> None:
    briefing = await core.repository.briefing()
    harness.slack.files["F3"] = ("pack.yaml", dump_pack(briefing).replace("status: scheduled", "status: cancelled").encode())
    before = await stored(core)
    await slash(harness, "import")  # the admin's modal, submitted by someone else (a forged or shared view)
    (opened,) = await harness.slack.wait_for("views.open")
    files = {"type": "file_input", "files": [{"id": "F3", "name": "pack.yaml"}]}
    submitted = {**opened.body["view"], "id": "V0001", "state": {"values": {"pack": {"value": files}}}}
    assert (await interact(harness, submission(submitted, USER)))["response_action"] == "update"
    (updated,) = await harness.slack.wait_for("views.update")
    assert "is for briefing admins only" in texts(updated.body["view"]) and "callback_id" not in updated.body["view"]
    assert harness.slack.calls("files.info") == [] and harness.slack.calls("file/F3") == []
    assert await stored(core) == before


def arg(recorded: Recorded, name: str) -> str:
    """A Web API argument as the fake received it, from the query string or the body."""
    return recorded.query.get(name) or (recorded.body or {}).get(name, "")


def uploads(h: Harness) -> list[Recorded]:
    """Every POST of file bytes to an upload URL."""
    return [r for r in h.slack.requests if r.api.startswith("upload/")]


async def test_export_uploads_the_pack_to_the_admins_dm_and_it_loads_back(harness: Harness, core: BriefingCore) -> None:
    await slash(harness, "export")
    (answer,) = await harness.slack.wait_for("hook/r1")
    assert answer.body["response_type"] == "ephemeral"
    assert "petro-trump-2026-v1.yaml is in your direct messages" in texts(answer.body)
    (opened,) = harness.slack.calls("conversations.open")
    assert arg(opened, "users") == ADMIN
    (asked,) = harness.slack.calls("files.getUploadURLExternal")
    assert arg(asked, "filename") == "petro-trump-2026-v1.yaml"
    (upload,) = uploads(harness)
    assert int(arg(asked, "length")) == len(upload.body)
    assert "Authorization" not in upload.headers  # the upload URL is pre-signed; the token stays with the API
    assert read_pack_text(upload.body.decode("utf-8"), "exported.yaml") == await core.repository.briefing()
    (completed,) = harness.slack.calls("files.completeUploadExternal")
    (shared,) = json.loads(arg(completed, "files"))
    assert harness.slack.shares == {shared["id"]: ["D0ADMIN"]}  # the admin's DM with the app, not the channel
    assert "/brief import" in arg(completed, "initial_comment")


async def test_export_says_it_leaves_out_a_text_path_a_chat_typed(harness: Harness, tmp_path: Path) -> None:
    """The file an admin got had no `text:` line for the path they typed in Slack, and the answer said nothing of it
    (`briefbot export` tells only the operator, on standard error); it says which source's path it left out, and why."""
    notes = tmp_path / "notes.txt"
    await slash(harness, f"set kind:source id:{SOURCE} text:{notes}", hook="r1")
    assert "Revision 2" in texts((await harness.slack.wait_for("hook/r1"))[0].body)
    await slash(harness, "export", hook="r2")
    (answer,) = await harness.slack.wait_for("hook/r2")
    said = catalogue_for("en")("export.texts_left_out", n=1, sources=SOURCE)
    assert said.startswith(f"This file leaves out the text: path of source {SOURCE}: ") and said in texts(answer.body), texts(answer.body)
    (upload,) = uploads(harness)
    assert str(notes) not in upload.body.decode("utf-8") and f"id: {SOURCE}" in upload.body.decode("utf-8")


async def test_export_by_a_non_admin_is_denied_privately_and_uploads_nothing(harness: Harness) -> None:
    await slash(harness, "export", user=USER)
    (answer,) = await harness.slack.wait_for("hook/r1")
    assert answer.body["response_type"] == "ephemeral" and "is for briefing admins only" in texts(answer.body)
    for api in ("conversations.open", "files.getUploadURLExternal", "files.completeUploadExternal"):
        assert harness.slack.calls(api) == [], api
    assert uploads(harness) == [] and harness.slack.shares == {}


async def test_a_failed_upload_is_logged_and_the_admin_gets_the_short_message(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.slack.upload_status = 500
    with caplog.at_level(logging.ERROR, logger="bot.adapters.slack_app"):
        await slash(harness, "export")
        (answer,) = await harness.slack.wait_for("hook/r1")
    assert answer.body["response_type"] == "ephemeral"
    shown = texts(answer.body)
    assert "Sorry, that did not work" in shown and "500" not in shown and "Traceback" not in shown
    assert len(uploads(harness)) == 1
    assert harness.slack.calls("files.completeUploadExternal") == [] and harness.slack.shares == {}
    (logged,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert logged.exc_info is not None and "export" in logged.getMessage()


async def test_a_spanish_admin_gets_forms_and_their_outcomes_in_spanish(harness: Harness, core: BriefingCore) -> None:
    harness.slack.users[ADMIN] = {"id": ADMIN, "locale": "es-LA"}
    await slash(harness, "edit", hook="r1")
    (usage,) = await harness.slack.wait_for("hook/r1")
    assert "Indica qué editar: /brief editar reunión" in texts(usage.body) and "meeting" not in texts(usage.body)
    view = await opened_form(harness, "edit meeting")
    # The submission is acked before any lookup: its language comes from the lookup made when the form opened.
    assert await submit(harness, view, {}) is None
    (told,) = await harness.slack.wait_for("chat.postEphemeral")
    assert "No se cambió nada" in texts(told.body)
    assert len(harness.slack.calls("users.info")) == 1


async def test_spanish_add_and_edit_open_the_same_forms_as_english(harness: Harness) -> None:
    """`/brief añadir tipo:persona` opened no form while `add kind:person` did: the form was chosen by the English word typed."""
    harness.slack.users[ADMIN] = {"id": ADMIN, "locale": "es-LA"}
    pairs = [
        ("add kind:person", "añadir tipo:persona"),
        ("add person", "añadir persona"),
        (f"edit kind:timeline id:{ITEM}", f"editar tipo:cronología id:{ITEM}"),
        (f"edit timeline {ITEM}", f"editar cronología {ITEM}"),
        ("edit meeting", "editar reunión"),
    ]
    for n, (english, spanish) in enumerate(pairs):
        by_english = await opened_form(harness, english, count=2 * n + 1)
        by_spanish = await opened_form(harness, spanish, count=2 * n + 2)
        assert by_spanish == by_english, spanish
    assert by_english["title"]["text"] == "Editar sesión"  # the reader's language, as for the English words
    added = harness.slack.calls("views.open")[1].body["view"]
    assert added["title"]["text"] == "Añadir persona" and json.loads(added["private_metadata"])["command"] == "add"
    await slash(harness, "editar tipo:cronología", hook="pick")  # no id: the select of the kind's items, as `edit timeline`
    (pick,) = await harness.slack.wait_for("hook/pick")
    assert "¿Qué elemento de tipo cronología quieres editar?" in texts(pick.body)
    await slash(harness, "importar", hook="import")  # Slack's other word of its own, in the reader's words too
    assert (await harness.slack.wait_for("views.open", count=11))[-1].body["view"]["callback_id"] == "briefbot_import"
    await slash(harness, "editar", hook="usage")
    (usage,) = await harness.slack.wait_for("hook/usage")
    assert "Indica qué editar: /brief editar reunión" in texts(usage.body) and "meeting" not in texts(usage.body)


@pytest.mark.parametrize("line", ["calendar", f"calendario informe:{BRIEFING_ID}", "export"])
async def test_a_file_commands_line_is_never_posted_to_the_channel(harness: Harness, line: str) -> None:
    """A forged (or old) Post to channel naming a file command posted the console's words about the file for everyone:
    `repeatable` let every line that changes nothing through, and a file command changes nothing."""
    assert await harness.click("briefbot_post", line, hook="p", user=ADMIN) == 200
    (refused,) = await harness.slack.wait_for("hook/p")
    assert refused.body["response_type"] == "ephemeral" and "delete_original" not in refused.body
    assert "Only an answer, not a file, can be posted to the channel" in texts(refused.body)
    assert [r for r in harness.slack.requests if r.api.startswith("hook/") and r.body.get("response_type") == "in_channel"] == []
    # Its answer, wherever a line of one is shown (a page button carrying it), has no Post to channel to click.
    assert await harness.click("briefbot_page_next", line, hook="q", user=ADMIN) == 200
    (shown,) = await harness.slack.wait_for("hook/q")
    assert post_line(shown.body) is None
    # Nor does a page button naming one, on a channel message its clicker posted, put it over that message for everyone.
    assert await harness.click("briefbot_page_next", line, hook="c", ephemeral=False, user=ADMIN, block_id=f"briefbot_by_{ADMIN}") == 200
    (private,) = await harness.slack.wait_for("hook/c")
    assert (private.body["response_type"], private.body["replace_original"]) == ("ephemeral", False)


HEAD_INPUTS = ["title", "summary", "evidence", "zone", "label", "language", "change.source", "change.reason"]
NEW_PASSAGE = "Petro has crafted a diverse agenda in Washington."  # in the shipped source's text


async def test_edit_briefing_opens_the_heads_own_form_and_saves_it_with_its_history(harness: Harness, core: BriefingCore) -> None:
    """`/brief edit briefing` said "Say what to set": the head now has its form, its passages citing the form's source."""
    shipped = await core.repository.briefing()
    view = await opened_form(harness, "edit briefing")
    values = initial(view)
    assert list(values) == HEAD_INPUTS and view["title"]["text"] == "Edit briefing"
    assert (values["title"], values["zone"], values["label"], values["language"]) == (shipped.title, "America/New_York", "Washington", "en")
    assert values["evidence"] == "\n\n".join(piece.passage for piece in shipped.summary_evidence)
    meta = json.loads(view["private_metadata"])
    assert (meta["command"], meta["kind"], meta["item_id"], meta["briefing"]) == ("set", "briefing", BRIEFING_ID, BRIEFING_ID)
    assert meta["base"] == (await core.repository.revisions(BRIEFING_ID, "head", BRIEFING_ID, limit=1))[0].id
    changes = {"summary": "Petro meets Trump.", "evidence": f"{values['evidence']}\n\n{NEW_PASSAGE}", "change.source": SOURCE,
               "change.reason": "a shorter summary"}
    assert await submit(harness, view, changes) is None
    (told,) = await harness.slack.wait_for("chat.postEphemeral")
    assert f"briefing/{BRIEFING_ID} changed" in texts(told.body)
    edited = await core.repository.briefing()
    assert edited.summary == "Petro meets Trump." and edited.summary_evidence[-1].passage == NEW_PASSAGE
    (logged,) = await core.repository.revisions(BRIEFING_ID, "head", BRIEFING_ID, limit=1)
    assert (logged.platform, logged.actor, logged.note, logged.source) == ("slack", ADMIN, "a shorter summary", SOURCE)


async def test_a_heads_form_refuses_a_stale_edit_and_a_new_passage_without_its_source(harness: Harness, core: BriefingCore) -> None:
    view = await opened_form(harness, "edit kind:briefing")
    uncited = {"evidence": f"{initial(view)['evidence']}\n\n{NEW_PASSAGE}"}
    assert "needs source:ID" in texts((await submit(harness, view, uncited))["view"])
    operator = Request(command="set", now=BEFORE, platform="console", operator=True, options={"kind": "briefing", "title": "Petro at the White House"})
    assert (await core.dispatch(operator)).kind == "answer"
    answer = await submit(harness, view, {"summary": "Mine."})
    assert answer["response_action"] == "update"
    shown = texts(answer["view"])
    assert "changed since you read it" in shown and "Petro at the White House" in shown
    assert (await core.repository.briefing()).summary != "Mine."


async def test_a_heads_form_in_spanish_edits_the_briefing_named_and_leaves_out_a_field_too_long(
    harness: Harness, core: BriefingCore, store: Store
) -> None:
    await add_other(store)
    passages = tuple(Evidence(SOURCE, f"Passage {n}: " + ("the officials met and talked " * 17).strip()) for n in range(9))
    await store.repository.save(replace(await store.repository.briefing(OTHER_ID), summary_evidence=passages))
    harness.slack.users[ADMIN] = {"id": ADMIN, "locale": "es-LA"}
    view = await opened_form(harness, f"editar informe informe:{OTHER_ID}")
    assert view == await opened_form(harness, f"edit kind:briefing briefing:{OTHER_ID}", count=2)
    assert view["title"]["text"] == "Editar informe" and "evidence" not in initial(view)
    assert readers_text(catalogue_for("es"), "slack.form_too_long", field="evidence", limit=MAX_INPUT) in texts(view)
    assert await submit(harness, view, {"label": "Washington D.C."}) is None
    (told,) = await harness.slack.wait_for("chat.postEphemeral")
    assert f"Revisión 4: briefing/{OTHER_ID} cambiado" in texts(told.body)  # the item names its briefing: no "en {OTHER_ID}"
    other = await store.repository.briefing(OTHER_ID)
    assert other.zones[0].label == "Washington D.C." and other.summary_evidence == passages
    assert (await core.repository.briefing()).zones[0].label == "Washington"
    await slash(harness, "editar", hook="usage")
    (usage,) = await harness.slack.wait_for("hook/usage")
    assert "/brief editar informe (su título, resumen, huso horario e idioma)" in texts(usage.body)


async def test_a_workspace_admin_demoted_in_slack_loses_the_admin_commands_within_the_bound(repository: SqliteBriefingRepository) -> None:
    """A cached "is an admin" let a demoted workspace admin edit, undo and subscribe for five minutes; now for ADMIN_SECONDS."""
    core = BriefingCore(repository, policy=AdminPolicy({"slack": Admins(platform_admins=True)}))
    now = [0.0]
    async with serving_bot(core, workspace_admins=True) as h:
        h.bot.admins.clock = lambda: now[0]
        h.slack.users[ADMIN] = {"id": ADMIN, "is_admin": True}
        await slash(h, "meeting", user=USER, hook="reader")  # a reader, looked up once
        view = await opened_form(h, "edit meeting")
        h.slack.users[ADMIN] = {"id": ADMIN, "is_admin": False}  # demoted in Slack's admin console
        now[0] = people.ADMIN_SECONDS
        answer = await submit(h, view, {"status": "cancelled"})
        assert answer["response_action"] == "update" and "is for briefing admins only" in texts(answer["view"])
        for n, line in enumerate(("undo", "subscribe")):
            await slash(h, line, hook=f"d{n}")
            (refused,) = await h.slack.wait_for(f"hook/d{n}")
            assert f"{line} is for briefing admins only" in texts(refused.body), line
        await slash(h, "meeting", user=USER, hook="again")  # a reader's lookup keeps its five minutes
        await h.slack.wait_for("hook/again")
        assert [r.query["user"] for r in h.slack.calls("users.info")] == [USER, ADMIN, ADMIN]
    assert (await stored(core))["sessions"][0]["status"] == "scheduled"


async def test_a_refusal_names_the_command_as_typed_and_who_can_make_them_an_admin(harness: Harness) -> None:
    """It said "briefing is for briefing admins only; ask one of them to add you in config/briefbot.yaml.": the command cut
    short, and a file only the operator can change, with no word of restarting or of Slack's workspace admins."""
    await slash(harness, "briefing new", user=USER)
    (answer,) = await harness.slack.wait_for("hook/r1")
    shown = texts(answer.body)
    assert "/brief briefing action:new is for briefing admins only. Only the bot's operator can make you one" in shown
    assert "slack.admin_user_ids" in shown and "slack.workspace_admins: true" in shown and "restart the bot" in shown
    assert "config/briefbot.yaml" not in shown and harness.slack.calls("views.open") == []


async def test_errors_name_commands_as_slack_takes_them(harness: Harness, store: Store) -> None:
    """An import of another stored briefing said "un admin lo elige … con /usar informe:…", and a head's passage without its
    source "(/fuentes las lista)": commands this app lacks on Slack, where every command follows /brief."""
    await add_other(store)
    harness.slack.users[ADMIN] = {"id": ADMIN, "locale": "es-LA"}
    harness.slack.files["F5"] = ("pack.yaml", dump_pack(await store.repository.briefing(OTHER_ID)).encode())
    other = texts(await import_round(harness, ADMIN, "F5"))
    assert f"un admin lo elige para un canal con /brief usar informe:{OTHER_ID}" in other and " /usar" not in other
    await slash(harness, 'cambiar tipo:informe evidence:"Petro aterrizó"', hook="head")
    (head,) = await harness.slack.wait_for("hook/head")
    assert "(/brief fuentes las lista)" in texts(head.body) and " /fuentes" not in texts(head.body)


async def test_a_pack_whose_whole_file_is_wrong_is_refused_in_the_readers_words(harness: Harness) -> None:
    """A Spanish admin's import of a list, not a mapping, was refused at "pack.yaml: (top): …", the one English word left."""
    harness.slack.users[ADMIN] = {"id": ADMIN, "locale": "es-LA"}
    harness.slack.files["F6"] = ("pack.yaml", b"- one\n- two\n")
    shown = texts(await import_round(harness, ADMIN, "F6"))
    assert "pack.yaml: (nivel superior): se esperaba" in shown and "(top)" not in shown


async def test_a_command_name_typed_in_two_words_is_the_command_on_slack_too(harness: Harness) -> None:
    """`ex portar` is `exportar`, as the core reads it (`por qué` is `porqué`): the file, not the console's words about it."""
    await slash(harness, "ex portar")
    (answer,) = await harness.slack.wait_for("hook/r1")
    assert "petro-trump-2026-v1.yaml is in your direct messages" in texts(answer.body)
    assert len(uploads(harness)) == 1
