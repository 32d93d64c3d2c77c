"""A session known only by its month: expected then, its day not announced, never begun or counted down.

The fictional summit's closing vote given only "April 2026" (in Lakeside). From 1 April /briefings said "Scheduled ·
session: April 2026", as if it had begun, and /meeting, /brief and the digest "start time not announced" (the digest's
one line "April 2026, start time not announced"), as if the day were known. Real core, real SQLite file, each renderer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from msgspec.structs import replace

from bot.core.digest.preview import preview_digest, preview_subscription
from bot.core.pack import pack_mapping, parse_pack
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import ask
from tests.test_session_alerts import SPANISH, START, SUMMIT
from tests.test_session_days import _rendered

APRIL_OVER = datetime(2026, 4, 30, 22, 0, tzinfo=UTC)  # 1 May begins in Lakeside (CEST)
IN_APRIL = datetime(2026, 4, 5, 12, 0, tzinfo=UTC)  # the ministers' session (2 April) over: the vote is the one followed
EXPECTED = {"en": "Scheduled · expected in April 2026, day not announced", "es": "Programada · prevista para abril de 2026, día sin anunciar"}
LISTED = {
    "en": "Scheduled · next session: expected in April 2026, day not announced",
    "es": "Programada · próxima sesión: prevista para abril de 2026, día sin anunciar",
}


async def _summit_with_the_vote_in_april(store: Store) -> None:
    """The summit, its titles in Spanish too, with the closing vote known only by its month."""
    data = pack_mapping(read_pack(SUMMIT))
    for session in data["sessions"]:
        session["translations"] = {"es": {"title": SPANISH[session["id"]]}}
        if session["id"] == "closing-vote":
            session["date"] = "2026-04"
    await store.repository.save(parse_pack(data, "fictional-summit.yaml"))


def _field(reply: Reply, name: str) -> str | None:
    return next((field.value for field in reply.fields if field.name == name), None)


def _listed(reply: Reply) -> str:
    """The summit's line in /briefings."""
    [summit] = [item for item in reply.items if item.title.endswith("(fictional-summit)")]
    return summit.text


async def test_a_session_known_only_by_its_month_is_expected_then_in_meeting_brief_and_briefings(core: BriefingCore, store: Store) -> None:
    await _summit_with_the_vote_in_april(store)
    for language, status in EXPECTED.items():
        meeting = await ask(core, "meeting briefing:fictional-summit", now=IN_APRIL, locale=language)
        assert meeting.fields[1].value == status, language
        assert (await ask(core, "brief briefing:fictional-summit", now=IN_APRIL, locale=language)).fields[1].value == status, language
        listed = await ask(core, "briefings", now=IN_APRIL, locale=language)
        assert _listed(listed) == LISTED[language]
        for renderer, shown in {**_rendered(meeting, language), **{f"{r} list": s for r, s in _rendered(listed, language).items()}}.items():
            assert (status if "list" not in renderer else LISTED[language]) in shown, (language, renderer)
            # No instant for a reader's clock: Discord's and Slack's would count down to a made-up day.
            assert "<t:" not in shown and "<!date" not in shown, (language, renderer)
    # Before its month it is expected all the same; its last instant in its zone still, not the next.
    before = await ask(core, "meeting briefing:fictional-summit session:closing-vote", now=START)
    assert (_field(before, "When"), _field(before, "Status")) == ("April 2026", EXPECTED["en"])
    assert _listed(await ask(core, "briefings", now=APRIL_OVER - timedelta(microseconds=1))) == LISTED["en"]
    # Once the month is over in its zone with no update, it has passed, as a day does.
    assert _field(await ask(core, "meeting briefing:fictional-summit", now=APRIL_OVER), "Status") == "Scheduled · April 2026 has passed; no update recorded since"
    assert _listed(await ask(core, "briefings", now=APRIL_OVER)) == "Scheduled · session: April 2026"


async def test_a_digest_says_a_session_known_only_by_its_month_is_expected_then(core: BriefingCore, store: Store) -> None:
    await _summit_with_the_vote_in_april(store)
    subscription = preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit"))
    quiet = replace(subscription, seen_revision=10**9, digested=True)
    assert (await preview_digest(core, quiet, IN_APRIL, "en")).text == f"Nothing new since the last digest. “Closing vote”: {EXPECTED['en']}."
    assert (await preview_digest(core, quiet, IN_APRIL, "es")).text == f"Nada nuevo desde el último boletín. «Votación final»: {EXPECTED['es']}."
    edited = await ask(core, 'set briefing:fictional-summit kind:session id:opening venue:"Lake Pavilion"', now=START, platform="cli", user_id="operator")
    assert edited.kind == "answer", edited.text
    told = await preview_digest(core, subscription, IN_APRIL, "en")
    assert [(field.name, field.value) for field in told.fields[:2]] == [("Status · Closing vote", EXPECTED["en"]), ("When · Closing vote", "April 2026")]
    # Nor is a month in the next 24 hours: nothing says it falls in them.
    assert _field(told, "Next 24 hours") == "Nothing on the agenda."
