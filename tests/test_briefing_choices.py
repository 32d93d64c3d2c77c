"""Choosing a briefing (issue #14 §1): named > channel's choice > space's choice > default; `/use`, `/briefings`."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.commands import COMMANDS
from bot.core.listing import TitleIndex
from bot.core.repository import BriefingSummary
from bot.core.requests import Request
from bot.core.text import fold, match_score
from bot.store import open_store
from bot.store.choices import BriefingInUse
from bot.store.packfile import read_pack
from tests.briefings_support import OTHER_ID, OTHER_TITLE, add_other, chooser_core
from tests.conftest import BEFORE, BRIEFING_ID, DATA, PACK, ask
from tests.test_sessions import BEFORE as SUMMIT_BEFORE
from tests.test_sessions import BETWEEN as SUMMIT_BETWEEN
from tests.test_sessions import SUMMIT, three_zones

POLICY = AdminPolicy({"discord": Admins(users=frozenset({"admin"})), "slack": Admins(users=frozenset({"U_ADMIN"}))})
SHIPPED_TITLE = "Petro"  # a word of the shipped briefing's title


@pytest.fixture
async def core(store):
    await add_other(store)
    return chooser_core(store, POLICY)


def where(platform: str = "discord", team: str = "G1", channel: str = "C1", user: str = "admin") -> dict[str, object]:
    return {"platform": platform, "team_id": team, "channel_id": channel, "user_id": user}


async def test_the_default_answers_where_nothing_was_chosen(core):
    reply = await ask(core, "/brief", **where())
    assert SHIPPED_TITLE in reply.title
    here = await ask(core, "/use", **where(user="someone"))
    assert here.title.endswith(f"({BRIEFING_ID})") and "default" in here.text


async def test_channel_choice_overrides_space_choice_and_named_overrides_both(core):
    assert (await ask(core, f"/use briefing:{OTHER_ID} for:space", **where())).kind == "answer"
    assert (await ask(core, "/brief", **where(channel="C2"))).title.startswith(OTHER_TITLE)
    await ask(core, f"/use briefing:{BRIEFING_ID}", **where(channel="C2"))  # for: defaults to the channel
    assert SHIPPED_TITLE in (await ask(core, "/brief", **where(channel="C2"))).title
    assert (await ask(core, "/brief", **where(channel="C3"))).title.startswith(OTHER_TITLE)
    assert SHIPPED_TITLE in (await ask(core, f"/brief briefing:{BRIEFING_ID}", **where(channel="C3"))).title
    why = await ask(core, "/use", **where(channel="C2", user="reader"))
    assert "This channel chose it: admin" in why.text
    why = await ask(core, "/use", **where(channel="C3", user="reader"))
    assert why.title.endswith(f"({OTHER_ID})") and "server or workspace chose it" in why.text



@pytest.mark.parametrize(("locale", "said"), [
    ("en", "This channel chose it: admin, 5 January 2026, 09:30 UTC."),
    ("es", "Lo eligió este canal: admin, 5 de enero de 2026, 09:30 UTC."),
])
async def test_use_says_when_a_channel_chose_in_the_reader_s_words(core, locale, said):
    """"2026-01-05 09:30 UTC" read as digits and dashes: when is said as the rest of the bot says an instant."""
    await ask(core, f"/use briefing:{OTHER_ID}", **where(), now=datetime(2026, 1, 5, 9, 30, tzinfo=UTC))
    # As plain text: the author a renderer names (`Marked`), "admin" here, the console's way.
    assert str((await ask(core, "/use", **where(user="reader"), locale=locale)).text) == said

async def test_spaces_are_apart_and_the_core_does_not_care_which_platform(core):
    await ask(core, f"/use briefing:{OTHER_ID} for:space", **where(team="G1"))
    assert SHIPPED_TITLE in (await ask(core, "/brief", **where(team="G2"))).title
    assert SHIPPED_TITLE in (await ask(core, "/brief", **where(platform="slack", team="G1", user="U_ADMIN"))).title


async def test_a_title_may_name_the_briefing_and_pages_keep_it(core):
    reply = await ask(core, f'/timeline briefing:"{OTHER_TITLE.upper()}"', **where())
    assert reply.page is not None and ("briefing", OTHER_ID) in reply.page.options


@pytest.mark.parametrize("line", ["/use briefing:nope", "/brief briefing:nope"])
async def test_unknown_briefing_is_a_clear_answer_listing_the_known_ids(core, line):
    reply = await ask(core, line, **where())
    assert reply.kind == "error"
    assert "no briefing “nope”" in reply.text and BRIEFING_ID in reply.text and OTHER_ID in reply.text
    assert SHIPPED_TITLE in (await ask(core, "/brief", **where())).title


async def test_non_admin_cannot_choose_and_nothing_changes(core):
    reply = await ask(core, f"/use briefing:{OTHER_ID} for:space", **where(user="mallory"))
    assert reply.kind == "error" and "admins only" in reply.text
    assert await core.choices.chosen("discord", "G1", "C1") == []


async def test_archived_briefing_stays_readable_but_cannot_be_chosen(core, store):
    await store.choices.archive(OTHER_ID)
    reply = await ask(core, f"/use briefing:{OTHER_ID}", **where())
    assert reply.kind == "error" and "archived" in reply.text
    assert await core.choices.chosen("discord", "G1", "C1") == []
    assert (await ask(core, f"/brief briefing:{OTHER_ID}", **where())).title.startswith(OTHER_TITLE)
    found = await ask(core, f"/search briefing:{OTHER_ID} Trump", **where())
    assert found.kind == "answer" and found.items


async def test_briefings_shows_a_moved_session_at_once(core):
    """A moved session shows its new time: its label is worked out per instant and zone, the page kept per version."""
    assert "3 February 2026, 11:00" in (await ask(core, "/briefings", **where(user="reader"))).items[0].text
    await ask(core, 'set kind:meeting outcome:"Agreed to meet again."', **where())  # its last change is now BEFORE
    assert "3 February 2026, 11:00" in (await ask(core, "/briefings", **where(user="reader"))).items[0].text
    # Moved within the same second: the listing (ids, titles, last changes) is the same, the briefing's version is not.
    moved = await ask(core, "set kind:meeting start:2026-02-04T09:30", **where())
    assert moved.kind == "answer", moved.text
    assert "4 February 2026, 09:30" in (await ask(core, "/briefings", **where(user="reader"))).items[0].text


async def test_briefings_asked_again_is_the_same_answer_until_something_changes(core, store):
    """A page is remembered per listing, place, language and versions: asked again it is the same reply; a change shows at once."""
    first = await ask(core, "/briefings", **where(user="reader"))
    assert await ask(core, "/briefings", **where(user="reader")) is first
    elsewhere = await ask(core, f"/use briefing:{OTHER_ID}", **where(channel="C9"))
    assert elsewhere.kind == "answer", elsewhere.text
    there = await ask(core, "/briefings", **where(channel="C9", user="reader"))  # another briefing answers there
    assert ["answers here" in item.meta for item in there.items] == [False, True]
    assert (await ask(core, "/briefings", locale="es", **where(user="reader"))).title != first.title  # the reader's language
    edited = await ask(core, 'set kind:meeting outcome:"Agreed to meet again."', **where())
    assert edited.kind == "answer", edited.text
    assert await ask(core, "/briefings", **where(user="reader")) is not first  # a new version of a shown briefing
    await store.choices.archive(OTHER_ID)
    assert (await ask(core, "/briefings", **where(user="reader"))).items[1].text.startswith("Archived")


async def test_a_briefings_page_reads_each_briefing_once_per_listing(core, store, monkeypatch):
    """Another page of the same listing (here: in Spanish) shows the briefings read before, whatever the store let go since."""
    await ask(core, "/briefings", **where(user="reader"))
    read: list[str] = []
    real = core.repository.briefing

    async def counted(briefing_id, *args, **kwargs):
        read.append(briefing_id)
        return await real(briefing_id, *args, **kwargs)

    monkeypatch.setattr(core.repository, "briefing", counted)
    spanish = await ask(core, "/briefings", locale="es", **where(user="reader"))
    assert spanish.kind == "answer" and len(spanish.items) == 2
    assert read == []


async def test_a_remembered_briefings_page_follows_the_clock_to_the_next_session(core, store):
    """The key holds each shown briefing's current session, so a page asked later shows the session then current."""
    await store.repository.save(read_pack(SUMMIT))
    before = await ask(core, "/briefings", now=SUMMIT_BEFORE, **where(user="reader"))
    assert await ask(core, "/briefings", now=SUMMIT_BEFORE + timedelta(hours=1), **where(user="reader")) is before
    between = await ask(core, "/briefings", now=SUMMIT_BETWEEN, **where(user="reader"))
    assert [item.title for item in between.items][1] == "Fictional Lakeside Water Summit (test pack) (fictional-summit)"
    assert "April 2026" in between.items[1].text and "April 2026" not in before.items[1].text


async def test_briefings_shows_the_day_or_month_of_a_session_without_a_time(core, store):
    """As /brief and /meeting show it: the line said "Not announced" for any session without a start time."""
    summit = three_zones(read_pack(SUMMIT))
    await store.repository.save(summit)

    async def line(now: datetime) -> str:
        reply = await ask(core, "/briefings", now=now, **where(user="reader"))
        return next(item.text for item in reply.items if item.title.endswith("(fictional-summit)"))

    # Its day has begun in Tokyo: today there, not yet begun as far as anyone knows, and the day still named for readers elsewhere.
    assert await line(datetime(2026, 3, 6, 16, tzinfo=UTC)) == "Scheduled · next session: today, 7 March 2026, time not announced"
    # A month is expected, no day announced, all through it: "session: March 2026" read as begun on the 1st.
    assert await line(datetime(2026, 3, 8, 12, tzinfo=UTC)) == "Scheduled · next session: expected in March 2026, day not announced"
    opening, ministers, vote = summit.sessions
    await store.repository.save(replace(summit, sessions=(replace(opening, status="concluded"), ministers, vote)))
    assert await line(datetime(2026, 3, 6, 12, tzinfo=UTC)) == "Scheduled · next session: 7 March 2026"


@pytest.mark.parametrize(("locale", "zone", "line"), [
    ("es", "Solo contiene textos provisionales («Sin redactar todavía»), en la zona horaria UTC.", "Programada · próxima sesión: sin anunciar"),
    ("en", "It holds placeholders only (“Not written yet”), on the clock of UTC.", "Scheduled · next session: not announced"),
])
async def test_a_new_briefing_s_clock_and_unannounced_session_read_as_sentences(core, locale, zone, line):
    """"con la hora de UTC", and "próxima sesión: Sin anunciar" with a field's capital in the middle of a line."""
    made = await ask(core, '/briefing new id:geneva-talks title:"Talks"', locale=locale, **where())
    assert made.text.startswith(zone), made.text
    listed = await ask(core, "/briefings", locale=locale, **where())
    assert next(item.text for item in listed.items if item.title.endswith("(geneva-talks)")) == line
    assert any(f.value == ("Sin anunciar" if locale == "es" else "Not announced") for f in (await ask(core, "/meeting briefing:geneva-talks", locale=locale, **where())).fields)


async def test_use_needs_a_space(core):
    reply = await ask(core, f"/use briefing:{OTHER_ID}", platform="discord", user_id="admin", channel_id="DM1")
    assert reply.kind == "error" and "server, a workspace" in reply.text


async def test_briefings_lists_title_status_next_session_and_last_change(core, store):
    await store.choices.archive(OTHER_ID)
    reply = await ask(core, "/briefings", **where(user="reader"))
    assert [i.title for i in reply.items] == [f"{t} ({i})" for t, i in (((await store.repository.briefing()).title, BRIEFING_ID), (OTHER_TITLE, OTHER_ID))]
    shipped, other = reply.items
    assert "Scheduled" in shipped.text and "3 February 2026" in shipped.text
    # When it last changed, written out with its zone, as a screen reader reads a date in words rather than an ISO stamp.
    updated = next(b.updated_at for b in await store.repository.briefings() if b.id == BRIEFING_ID)
    assert shipped.meta.startswith(f"last change {updated.day} {updated:%B %Y, %H:%M} UTC · ")
    assert "answers here" in shipped.meta and "default" in shipped.meta
    assert other.text.startswith("Archived")
    # A session already begun is no "next session", whatever the pack's status last said.
    assert shipped.text == "Scheduled · next session: Tue 3 February 2026, 11:00 EST (Washington)"
    later = (await ask(core, "/briefings", now=BEFORE + timedelta(days=30), **where(user="reader"))).items[0]
    assert later.text == "Scheduled · session: Tue 3 February 2026, 11:00 EST (Washington)"
    spanish = (await ask(core, "/briefings", now=BEFORE + timedelta(days=30), locale="es", **where(user="reader"))).items[0]
    assert spanish.text.startswith("Programada · sesión: mar")


async def test_autocomplete_offers_titles_and_sends_ids(core):
    request = Request(command="brief", now=BEFORE, **where())  # type: ignore[arg-type]
    choices = await core.complete(request, "briefing", "second")
    assert [(c.label, c.value) for c in choices] == [(OTHER_TITLE, OTHER_ID)]


SPANISH_TITLE = "Petro en Washington: la reunión con Trump en la Casa Blanca"  # the shipped pack's, kept by the other briefing's copy


async def test_autocomplete_offers_the_title_in_the_language_the_answer_comes_in(core, store):
    """The reader's language, else the channel's fixed one: the title `/briefings` shows them, found by its own words."""
    english = Request(command="brief", now=BEFORE, **where(user="reader"))  # type: ignore[arg-type]
    spanish = replace(english, locale="es")
    assert await core.complete(english, "briefing", "casa blanca") == []
    offered = await core.complete(spanish, "briefing", "casa blanca")
    # The pack's Spanish title, kept by its copy: each offered with its id, to tell them apart.
    assert [(c.label, c.value) for c in offered] == [(f"{SPANISH_TITLE} ({BRIEFING_ID})", BRIEFING_ID), (f"{SPANISH_TITLE} ({OTHER_ID})", OTHER_ID)]
    assert (await ask(core, "/use language:es", **where())).kind == "answer"
    assert [c.value for c in await core.complete(english, "briefing", "casa blanca")] == [BRIEFING_ID, OTHER_ID]
    assert [c.value for c in await core.complete(replace(english, command="timeline"), "topic", "sanc")] == ["sanciones"]  # the topic as the answer names it
    assert (await ask(core, f"/brief briefing:{BRIEFING_ID.upper()}", **where(channel="C2"))).kind == "answer"  # ids are lower case
    shipped = read_pack(PACK)  # the copy's own Spanish title: one title names one briefing
    spanish_head = tuple(("title", "Una segunda historia") if field == "title" else (field, value) for field, value in dict(shipped.translations)["es"])
    await store.repository.save(replace(shipped, id=OTHER_ID, title=OTHER_TITLE, translations=(("es", spanish_head),)))
    chosen = await ask(core, '/brief briefing:"una segunda historia"', **where(channel="C2"))
    assert chosen.kind == "answer" and chosen.title.startswith(OTHER_TITLE)  # a translated title typed by hand names its briefing


async def test_autocomplete_sees_a_new_briefing_and_a_new_title_at_once(core, store):
    """The title index is kept per listing: a briefing saved or retitled after it was built is offered on the next keystroke."""
    request = Request(command="brief", now=BEFORE, **where())  # type: ignore[arg-type]
    assert [c.value for c in await core.complete(request, "briefing", "sec")] == [OTHER_ID]
    await store.repository.save(replace(read_pack(PACK), id="third-story", title="Secret talks"))
    # A title starting with it ranks as an id starting with it does ("second-story"), in listing order.
    assert [c.value for c in await core.complete(request, "briefing", "sec")] == [OTHER_ID, "third-story"]
    await store.repository.save(replace(read_pack(PACK), id=OTHER_ID, title="A first story"))
    assert [c.label for c in await core.complete(request, "briefing", "sec")] == ["A first story", "Secret talks"]  # by its id, newly titled
    assert [c.label for c in await core.complete(request, "briefing", "secr")] == ["Secret talks"]


async def test_a_title_several_briefings_share_is_not_guessed_and_an_id_beats_a_title(core, store):
    """Two desks may title their stories alike: a title typed by hand that names several lists them and asks for the id,
    in `/use` and in every command's briefing:, rather than pick the first; an id names its own briefing, whatever
    another briefing is titled."""
    await store.repository.save(replace(read_pack(PACK), id="third-story", title=OTHER_TITLE))
    for command, typed in (("use", OTHER_TITLE), ("brief", OTHER_TITLE.upper())):  # typed by hand, in any case
        refused = await ask(core, f'/{command} briefing:"{typed}"', **where())
        said = f"Several briefings have the title “{typed}”: {OTHER_TITLE} ({OTHER_ID}); {OTHER_TITLE} (third-story)."
        assert refused.kind == "error" and refused.text.startswith(said) and "briefing:ID" in refused.text, refused.text
    assert (await ask(core, "/use", **where(user="reader"))).title.endswith(f"({BRIEFING_ID})")  # nothing was chosen
    spanish = await ask(core, f'/use briefing:"{OTHER_TITLE}"', locale="es", **where())
    assert spanish.text.startswith(f"Varios informes tienen el título «{OTHER_TITLE}»: {SPANISH_TITLE} ({OTHER_ID}); {SPANISH_TITLE} (third-story).")
    assert "informe:ID" in spanish.text
    offered = await core.complete(Request(command="brief", now=BEFORE, **where()), "briefing", "second")  # type: ignore[arg-type]
    assert [c.label for c in offered] == [f"{OTHER_TITLE} ({OTHER_ID})", f"{OTHER_TITLE} (third-story)"]

    # A briefing listed before it titled with another's id: the id still names its own.
    await store.repository.save(replace(read_pack(PACK), id="another-story", title="third-story"))
    assert (await ask(core, "/use briefing:third-story", **where())).title.endswith("(third-story).")
    assert (await ask(core, "/use briefing:Third-Story", **where(channel="C2"))).title.endswith("(third-story).")


_TITLE = st.text(st.sampled_from("abcé É-:1 "), max_size=12)


@settings(max_examples=300)
@given(titles=st.lists(st.tuples(_TITLE, st.none() | _TITLE), max_size=12), typed=_TITLE, limit=st.integers(1, 5))
def test_the_title_index_ranks_as_the_score_of_every_title(titles, typed, limit):
    """TitleIndex answers what scoring every title a Spanish reader reads (the translation, else the original), and
    its id, with `match_score` answered: the same titles, in the same order. Typed words may match the title's words
    and the id's together (scored 1)."""
    listed = [BriefingSummary(f"b{n}", title, False, titles=(("es", spanish),) if spanish is not None else ())
              for n, (title, spanish) in enumerate(titles)]
    read = [spanish if spanish is not None else title for title, spanish in titles]
    shared = Counter(fold(title) for title in read)
    labels = [f"{title} ({listed[n].id})" if shared[fold(title)] > 1 else title for n, title in enumerate(read)]

    def score(n: int) -> int:
        ident = listed[n].id
        return max(match_score(typed, read[n]), match_score(typed, ident), min(1, match_score(typed, f"{read[n]} {ident}")))

    scored = sorted(((score(n), n) for n in range(len(listed))), key=lambda s: (-s[0], s[1]))
    expected = [(labels[n], listed[n].id) for score, n in scored if score > 0][:limit]
    assert TitleIndex(listed, "es").suggest(typed, limit) == expected


async def test_subscribing_to_an_archived_briefing_is_refused(core, store):
    await store.choices.archive(OTHER_ID)
    reply = await ask(core, f"/subscribe briefing:{OTHER_ID}", **where())
    assert reply.kind == "error" and "archived" in reply.text
    assert await store.digests.subscriptions() == []


async def test_a_subscription_whose_briefing_was_archived_is_listed_and_refused_as_still_subscribed(core, store):
    assert (await ask(core, f"/subscribe briefing:{OTHER_ID} time:08:00", **where())).kind == "answer"
    await store.choices.archive(OTHER_ID)
    (item,) = (await ask(core, "/subscriptions", **where())).items
    assert item.meta.endswith(f"sends nothing: its briefing is archived (briefbot briefings archive {OTHER_ID} --undo resumes it)")
    refused = await ask(core, f"/subscribe briefing:{OTHER_ID} time:10:00", **where())
    assert refused.kind == "error" and "this channel stays subscribed to it" in refused.text and "nothing was subscribed" not in refused.text
    assert f"archive {OTHER_ID} --undo" in refused.text
    assert [s.time.strftime("%H:%M") for s in await store.digests.subscriptions()] == ["08:00"]  # nothing was changed
    spanish = await ask(core, "/subscriptions", **where(), locale="es")
    assert "no envía nada: su informe está archivado" in spanish.items[0].meta


async def test_use_says_which_briefings_digests_the_channel_still_gets(core, store):
    """A subscription follows its briefing, not the channel's choice: `/use` says so when they part, and how to switch."""
    assert (await ask(core, f"/subscribe briefing:{OTHER_ID}", **where())).kind == "answer"
    moved = await ask(core, f"/use briefing:{BRIEFING_ID}", **where())
    assert moved.text == (f"Digests and alerts here still come from {OTHER_TITLE} ({OTHER_ID}): a subscription keeps the briefing it"
                          " was made for. To switch them: /unsubscribe briefing:ID, then /subscribe.")
    spanish = await ask(core, f"/use briefing:{BRIEFING_ID}", locale="es", **where())
    assert spanish.text.startswith(f"Los resúmenes y avisos de aquí siguen llegando de {SPANISH_TITLE} ({OTHER_ID}):")
    assert (await ask(core, f"/use briefing:{OTHER_ID}", **where())).text == ""  # it reads what it gets
    assert (await ask(core, f"/use briefing:{BRIEFING_ID}", **where(channel="C2"))).text == ""  # another channel's
    await store.choices.archive(OTHER_ID)  # sends nothing: no digests to speak of
    assert (await ask(core, f"/use briefing:{BRIEFING_ID}", **where())).text == ""


async def test_choices_survive_a_restart(store_target):
    async with open_store(store_target) as first:
        await first.seed(DATA, BRIEFING_ID)
        await add_other(first)
        await ask(chooser_core(first, POLICY), f"/use briefing:{OTHER_ID}", **where(), now=BEFORE + timedelta(hours=1))
    async with open_store(store_target) as again:
        assert (await ask(chooser_core(again, POLICY), "/brief", **where())).title.startswith(OTHER_TITLE)


async def test_remove_refuses_while_a_channel_or_space_chose_it_and_says_where(core, store):
    await ask(core, f"/use briefing:{OTHER_ID} for:space", **where())
    await ask(core, f"/use briefing:{OTHER_ID}", **where(channel="C9"))
    with pytest.raises(BriefingInUse) as refused:
        await store.choices.remove(OTHER_ID)
    assert sorted(refused.value.users) == [("choice", "discord", "G1", ""), ("choice", "discord", "G1", "C9")]
    assert OTHER_ID in {s.id for s in await store.repository.briefings()}


async def test_an_admin_starts_a_new_briefing_in_chat_and_reads_it(core, store):
    made = await ask(core, '/briefing new id:geneva-talks title:"Talks in Geneva"', **where())
    assert made.kind == "answer" and made.title == "Created Talks in Geneva (geneva-talks)", made.text
    assert (await ask(core, "/brief briefing:geneva-talks", **where(user="reader"))).title.startswith("Talks in Geneva")
    (first,) = await store.repository.revisions("geneva-talks")
    assert (first.actor, first.platform) == ("admin", "discord")


async def test_a_topic_asked_of_a_briefing_without_topics_is_told_there_are_none_yet(core):
    """A new briefing's timeline has no topics to list: the refusal says so, not "Topics: ." with nothing after it."""
    await ask(core, '/briefing new id:geneva-talks title:"Talks in Geneva"', **where())
    refused = await ask(core, "/timeline topic:sanctions briefing:geneva-talks", **where(user="reader"))
    assert (refused.kind, refused.text) == ("error", "There is no topic “sanctions”: this briefing's timeline has no topics yet.")
    spanish = await ask(core, "/timeline topic:sanciones briefing:geneva-talks", locale="es", **where(user="reader"))
    assert spanish.text == "No hay ningún tema «sanciones»: la cronología de este informe aún no tiene temas."


@pytest.mark.parametrize(("line", "said"), [
    (f'/briefing new id:{OTHER_ID} title:"Again"', "already a briefing"),
    # Named by the option typed: there is no pack file, and `briefing.id` is a path in one.
    ('/briefing new id:"Bad Id" title:"Bad"', "nothing was changed:\nid: expected an id"),
    ("/briefing new id:ok title:\"\" ", "needs an id: and a title:"),
    ("/briefing new id:geneva-talks", "needs an id: and a title:"),
])
async def test_a_new_briefing_is_refused_with_a_clear_answer(core, store, line, said):
    before = await store.repository.briefings()
    reply = await ask(core, line, **where())
    assert reply.kind == "error" and said in reply.text, reply.text
    assert await store.repository.briefings() == before


async def test_only_admins_start_a_briefing(core, store):
    reply = await ask(core, '/briefing new id:geneva-talks title:"Talks"', **where(user="mallory"))
    assert reply.kind == "error" and "admins only" in reply.text
    assert "geneva-talks" not in {s.id for s in await store.repository.briefings()}


READ_COMMANDS = [spec.name for spec in COMMANDS.specs if not spec.admin and spec.name not in ("help", "briefings")]


@pytest.mark.parametrize("name", READ_COMMANDS)
async def test_every_read_command_takes_briefing_with_title_autocomplete(core, name):
    """Issue #14 §1: each read command's `briefing:` is read (an unknown id is refused) and completes on titles."""
    needed = {"person": "Petro", "search": "trade", "why": "summary"}.get(name, "")  # a command's required words
    reply = await ask(core, f"/{name} {needed} briefing:nope", **where())
    assert reply.kind == "error" and "no briefing “nope”" in reply.text, (name, reply.text)
    choices = await core.complete(Request(command=name, now=BEFORE, **where()), "briefing", "second")  # type: ignore[arg-type]
    assert [(c.label, c.value) for c in choices] == [(OTHER_TITLE, OTHER_ID)]


async def test_a_page_of_briefings_turns_by_its_own_line(core) -> None:
    """`/briefings` takes no briefing:, so its pages' lines name none, even where a channel chose one: a page's button
    must ask for the next page."""
    assert (await ask(core, f"/use briefing:{OTHER_ID}", **where())).kind == "answer"
    first = await ask(core, "/briefings", page_size=1, **where())
    assert first.page is not None and first.page.count == 2
    (line,) = first.page.lines_for(2)
    assert "briefing:" not in line
    turned = await ask(core, line, page_size=1, **where())
    assert turned.kind == "answer" and turned.page is not None and turned.page.number == 2, turned.text


@pytest.mark.parametrize(("platform", "choose_hint", "stays", "locale", "said"), [
    ("console", "briefing_new.choose_console", True, "en", "Chosen with --briefing for this console or command."),
    ("console", "briefing_new.choose_console", True, "es", "Elegido con --briefing para esta consola o este comando."),
    ("cli", "briefing_new.choose_cli", False, "en", "Chosen with --briefing for this console or command."),
])
async def test_use_and_briefings_name_the_briefing_briefing_chose(core, platform, choose_hint, stays, locale, said):
    """`briefbot console --briefing X` reads X: `/use` says so and why, and `/briefings` marks X, not the default."""
    fields = {"platform": platform, "briefing_id": OTHER_ID, "choose_hint": choose_hint, "briefing_stays": stays, "locale": locale}
    here = await ask(core, "/use", **fields)
    assert here.title.endswith(f"({OTHER_ID})") and here.text == said
    listed = await ask(core, "/briefings", **fields)
    marked = [item.title for item in listed.items if ("answers here" if locale == "en" else "responde aquí") in item.meta]
    assert len(marked) == 1 and marked[0].endswith(f"({OTHER_ID})")
