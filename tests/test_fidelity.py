"""The corrections of issue #15 §3, each asked through the console as a reader would ask it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import msgspec.structs
import pytest
import yaml

from bot.adapters.console import render_text
from bot.core.catalogue_es import ES
from bot.core.digest.preview import preview_digest, preview_subscription
from bot.core.index import BriefingIndex
from bot.core.passages import contains
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.core.text import fold
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import PACK, ask

_SHIPPED = read_pack(PACK)


async def said(core: BriefingCore, line: str, now: datetime | None = None) -> str:
    """The console's answer to a line, as text."""
    reply = await ask(core, line, now=now) if now else await ask(core, line)
    assert reply.kind == "answer", reply.text
    return render_text(reply)


async def test_1_the_rally_is_while_they_meet_and_the_aims_are_official_sources(core: BriefingCore) -> None:
    brief = await said(core, "/brief")
    assert "has called supporters to fill Bogotá's Plaza de Bolívar while he meets Trump." in " ".join(brief.split())
    assert "for the hour of the meeting" not in brief
    assert "according to official sources, it aims to re-establish direct dialogue channels" in " ".join(brief.split())
    assert "bilateral priorities such as migration" in brief
    assert "such as the topics below, according to official sources (an open list)" in await said(core, "/meeting")
    # The brief's topics keep that hedge too, as /meeting shows it: the bare list read as the topics, not "such as" what
    # official sources say.
    for locale, aims, topics, hedge in [("en", "Stated aims", "Topics", "such as the topics below, according to official sources (an open list)"),
                                        ("es", "Objetivos declarados", "Temas", "como los temas que siguen, según fuentes oficiales (una lista abierta)")]:
        overview, meeting = await ask(core, "/brief", locale=locale), await ask(core, "/meeting", locale=locale)
        assert [field_of(overview, name) for name in (aims, topics)] == [field_of(meeting, name) for name in (aims, topics)]
        assert hedge in " ".join(field_of(overview, aims).split())


def entry(timeline: str, title: str) -> str:
    """One numbered event of a rendered timeline, from its title to the next event or the page's end."""
    start = timeline.index(title)
    ends = [i for i in (timeline.find("\n1", start), timeline.find("\n\n", start)) if i != -1]
    return timeline[start : min(ends)]


async def test_2_the_clinton_list_has_no_date_is_not_sanctions_and_not_petros_reply(core: BriefingCore) -> None:
    sanctions = await said(core, "/timeline topic:sanctions")
    assert "Clinton" not in sanctions
    # The article gives it no date: it is shown without one, after every dated event.
    last_page = await said(core, "/timeline page:3")
    clinton = entry(last_page, '12. Petro placed on the "Clinton List"')
    assert "\n   date not given by the source · drugs, accusations\n" in clinton
    assert "2025" not in clinton and "2026" not in clinton
    assert "falsely branding" not in clinton and "sanctions" not in clinton
    for line in ("/timeline from:2025-01", "/timeline to:2026-02", "/timeline topic:accusations from:2025"):
        assert "Clinton" not in await said(core, line), line
    # The article puts Petro's reply after both the Clinton List and Trump's "very sick" remark, and does not say
    # which it answered: the quote's context must not choose.
    reply = " ".join((await said(core, "/quotes petro")).split())
    assert "without saying which it answered" in reply and "right after" not in reply
    assert "response to Trump" not in reply


async def test_3_the_phone_call_has_no_date_and_neither_has_its_quote(core: BriefingCore) -> None:
    """The article places the call only "Amid this escalation", a year of clashes: no month, no range."""
    quotes = await said(core, "/quotes trump")
    assert "date not given · Written after the surprise phone call with Petro (the source gives no date)" in quotes
    assert "Surprise phone call" not in await said(core, "/timeline from:2025-12 to:2026-01")
    call = entry(await said(core, "/timeline page:3"), "14. Surprise phone call")
    assert "\n   date not given by the source · diplomacy\n" in call
    assert 'The source gives no date; it says only "Amid this escalation"' in " ".join(call.split())


async def test_4_the_historic_pact_call_is_only_what_the_article_says(core: BriefingCore) -> None:
    timeline = await said(core, "/timeline topic:mobilization")
    assert '"adds to the call made by the Historic Pact over the\n   weekend"' in timeline
    assert "does not say what the Historic Pact's call asked for" in timeline
    assert "mobilise while Petro" not in timeline


async def test_a_guessed_date_keeps_its_note_wherever_it_is_shown(core: BriefingCore) -> None:
    """The Historic Pact's weekend and the special visa's months are the pack's reading of "over the weekend" and "follows":
    `timeline` said so under the date, while the brief, a digest and a person's card showed the date alone, as given."""
    night = datetime(2026, 2, 2, 3, 0, tzinfo=UTC)  # 1 February in Washington: the pact's call is the latest event
    pact, note = ("31 January – 1 February 2026: Historic Pact makes a call over the weekend",
                  'Note: The source says "over the weekend"; dated here to the weekend before its own date, Tuesday 3 February 2026.')
    assert field_of(await ask(core, "/brief", now=night), "Latest") == f"{pact}\n{note}"
    spanish = field_of(await ask(core, "/brief", now=night, locale="es"), "Lo último")
    assert spanish.startswith("31 de enero – 1 de febrero de 2026: El Pacto Histórico hace una convocatoria durante el fin de semana\n"
                              'Nota: La fuente dice "over the weekend" (durante el fin de semana); aquí se fecha')
    assert (await ask(core, "set kind:person id:pedro-sanchez delegation:no", now=night)).kind == "answer"  # news for the digest
    digest = await preview_digest(core, preview_subscription(core.settings.digest, await core.repository.briefing()), night, "en")
    assert f"• {pact} (domestic, mobilization)\n{note}\n" in field_of(digest, "Latest on the timeline")
    visa = ("• September 2025 – February 2026: Petro receives a special U.S. visa\n"
            "Note: The source does not say when the special visa was granted, only that it followed the revocation.\n")
    assert visa in field_of(await ask(core, "/person petro"), "In the timeline")
    assert ("• septiembre de 2025 – febrero de 2026: Petro recibe una visa especial de EE. UU.\n"
            "Nota: La fuente no dice cuándo se otorgó la visa especial") in field_of(await ask(core, "/persona petro", locale="es"), "En la cronología")


def field_of(reply: Reply, name: str) -> str:
    """The value of the reply's field of that name."""
    assert reply.kind == "answer", reply.text
    (value,) = [field.value for field in reply.fields if field.name == name]
    return value


async def test_5_maduro_january_3_has_no_year_and_no_unsupported_tags(core: BriefingCore) -> None:
    person = await said(core, "/person Maduro")
    assert 'Captured in a military operation "on January 3" (the source gives no year and no title)' in person
    quotes = await said(core, "/quotes trump")
    assert 'Nicolás Maduro "on January 3" (the\n   source gives no year)' in quotes
    # The timeline says what the source says: "on January 3", no year, so no date and no range reaches it.
    maduro = entry(await said(core, "/timeline page:3"), "13. Military operation captures Nicolás Maduro")
    assert "\n   date not given by the source · military, drugs\n" in maduro
    assert 'captured Nicolás Maduro "on January 3" and gives no year' in maduro
    assert 'The source says only "on January 3", without a year; the phrase may date Trump\'s remark' in maduro
    assert "2025" not in maduro and "2026" not in maduro
    for line in ("/timeline from:2026-01 to:2026-01", "/timeline from:2025-01 to:2025-01", "/timeline to:2026-02"):
        assert "Maduro" not in await said(core, line), line
    assert (await ask(core, "/timeline topic:venezuela")).kind == "error"
    assert (await ask(core, "/timeline topic:crime")).kind == "error"
    aragua = await said(core, "/timeline topic:accusations")
    assert 'U.S. says Petro called Aragua Train members "friends"\n   March 2025 · accusations\n' in aragua


async def test_6_the_arrival_follows_the_special_visa(core: BriefingCore) -> None:
    visa = await said(core, "/timeline topic:visa")
    assert "Petro's arrival in Washington follows his receipt of a special visa" in visa
    assert "allows the visit" not in visa


async def test_7_no_titles_the_article_does_not_give_and_mcnamara_attributed(core: BriefingCore) -> None:
    trump = await said(core, "/person Trump")
    assert "Role: President of the United States (context from outside the source, which gives no title)" in trump
    assert "Organisation: Not stated by the source" in trump
    assert "Organisation: Not stated by the source" in await said(core, "/person Cepeda")
    assert "Organización: La fuente no lo indica" in render_text(await ask(core, "/persona Cepeda", locale="es"))
    # In a list, the organisation the source does not name is left out, not glued to the role as if it were one.
    listed = await said(core, "/people side:us")
    assert "   President of the United States (context from outside the source, which gives no title)\n" in listed
    assert "not stated" not in listed.lower() and "no lo indica" not in render_text(await ask(core, "/delegación parte:eeuu", locale="es"))
    found = await said(core, "/search Trump")
    assert "not stated" not in found.lower()
    mcnamara = await said(core, "/person McNamara")
    assert 'Role: Diplomat; Petro\'s X post, in the source\'s English, calls him "the U.S. business representative in Colombia"' in mcnamara
    assert "Government of the United States" not in mcnamara


async def test_8_reckless_actions_are_nobodys_quote(core: BriefingCore) -> None:
    assert "reckless" not in await said(core, "/quotes")
    assert "reckless" not in await said(core, "/quotes page:2")
    found = await said(core, "/search reckless")
    assert "1 result" in found and "Trump revokes Petro's visa" in found


async def test_9_the_stakes_are_the_authors_analysis(core: BriefingCore) -> None:
    meeting = await said(core, "/meeting")
    assert "• Gustavo Petro: The author's analysis: he aims to conclude his term" in meeting
    assert "• Donald Trump: The author's analysis: he seeks to demonstrate control" in meeting


ARRIVAL = "Latest: 2 February 2026: Petro lands in Washington"
MEETING = "Latest: 3 February 2026: Petro and Trump scheduled to meet at the White House"


@pytest.mark.parametrize(
    ("now", "latest"),
    [
        (datetime(2026, 2, 2, 4, 59, tzinfo=UTC), "Latest: 31 January – 1 February 2026: Historic Pact makes a call over the weekend"),
        (datetime(2026, 2, 2, 5, 0, tzinfo=UTC), ARRIVAL),  # midnight in Washington: 2 February there
        (datetime(2026, 2, 2, 23, 59, tzinfo=UTC), ARRIVAL),
        (datetime(2026, 2, 3, 0, 0, tzinfo=UTC), ARRIVAL),  # 3 February in UTC, still the 2nd in Washington
        (datetime(2026, 2, 3, 0, 30, tzinfo=UTC), ARRIVAL),
        (datetime(2026, 2, 3, 5, 30, tzinfo=UTC), ARRIVAL),  # the meeting's day there, but only scheduled
        (datetime(2026, 2, 3, 15, 59, tzinfo=UTC), ARRIVAL),
        (datetime(2026, 2, 3, 16, 0, tzinfo=UTC), MEETING),  # 11:00 in Washington: it has begun
    ],
)
async def test_10_latest_uses_the_venues_date_and_never_reports_the_scheduled_as_happened(
    core: BriefingCore, now: datetime, latest: str
) -> None:
    assert latest in (await said(core, "/brief", now)).splitlines()


async def test_11_the_delegation_is_over_ten_officials_four_named(core: BriefingCore) -> None:
    assert "Who: Gustavo Petro & Donald Trump; a delegation of over ten high-ranking officials, 4 of them named" in await said(core, "/brief")
    delegation = await said(core, "/delegation")
    assert "The source speaks of a delegation of over ten high-ranking officials and names 4 of them." in delegation
    assert "Delegation · 4 named members" in delegation and "may be larger" not in delegation
    assert "accompanied by a delegation of over ten high-ranking officials" in await said(core, "/search ten high-ranking")


async def test_12_loose_dates_keep_the_articles_order_and_quotes_are_by_date(core: BriefingCore) -> None:
    undated = [item.title for item in (await ask(core, "/timeline page:3")).items][-3:]
    assert undated == ['Petro placed on the "Clinton List"', "Military operation captures Nicolás Maduro", "Surprise phone call between Petro and Trump"]
    quotes = (await ask(core, "/quotes")).items
    dates = [item.meta.split(" · ")[0] for item in quotes]
    assert dates[:2] == ["January 2025", "December 2025 – January 2026"]
    assert all(d == "date not given" for d in dates[2:])


def test_12_quotes_are_in_date_order_whatever_the_pack_order() -> None:
    shipped = read_pack(PACK)
    index = BriefingIndex(msgspec.structs.replace(shipped, quotes=shipped.quotes[::-1]))
    dated = [q.id for q in index.quotes if q.date]
    assert dated == ["petro-undignified-treatment", "petro-taking-up-arms"]
    assert [q.id for q in index.quotes if q.date is None] == [q.id for q in shipped.quotes[::-1] if q.date is None]


async def test_12_the_quotes_command_lists_by_date_whatever_the_pack_order(core: BriefingCore, store: Store) -> None:
    shipped = read_pack(PACK)
    await store.repository.save(msgspec.structs.replace(shipped, quotes=shipped.quotes[::-1]))
    dates = [item.meta.split(" · ")[0] for item in (await ask(core, "/quotes")).items]
    assert dates[:2] == ["January 2025", "December 2025 – January 2026"]


SECTION_4 = [
    ("/faq decline", "drug trafficking, policy towards Venezuela, Colombia's role in the hemisphere, and mutual criticisms in international forums"),
    ("/faq truce", '"a kind of forced truce"'),
    ("/faq truce", "\"Tuesday's meeting seems to be the realization of that unexpected easing of tensions\""),
    ("/faq message", "multilateralism and environmental protection"),
    ("/faq message", "confront Trump head-on"),
    ("/faq home", '"diplomacy in Washington, mobilization in Bogotá"'),
    ("/faq home", '"has activated his political base in Colombia"'),
    ("/faq home", '"without directly mentioning Senator Iván Cepeda"'),
    ("/faq reconcile", '"has all the ingredients to be a turning point, but not necessarily a reconciliation"'),
    ("/faq reconcile", "Mutual distrust"),
    ("/faq reconcile", '"two historically allied countries, now divided by ideological visions, leadership styles, and a shifting hemispheric geopolitics"'),
    ("/faq reconcile", '"unprecedented personal accusations"'),
]


@pytest.mark.parametrize(("line", "words"), SECTION_4)
async def test_section_4_what_the_article_says_is_answerable_and_attributed(core: BriefingCore, line: str, words: str) -> None:
    first = (await ask(core, line)).items[0]
    answer = " ".join(first.text.split())
    assert words in answer and ("The author's analysis" in answer or "According to the article's author" in answer)


@pytest.mark.parametrize(
    ("query", "ref"),
    [
        ("arrival", "timeline/arrival-washington"),
        ("landed", "timeline/arrival-washington"),
        ("international forums", "faq/decline-causes"),
        ("forced truce", "faq/forced-truce"),
        ("easing of tensions", "faq/forced-truce"),
        ("twofold", "faq/twofold-message"),
        ("multilateralism", "faq/twofold-message"),
        ('"mobilization in Bogotá"', "faq/dual-strategy"),
        ("political base", "faq/dual-strategy"),
        ("directly mentioning", "faq/dual-strategy"),
        ("turning point", "faq/turning-point"),
        ("mutual distrust", "faq/turning-point"),
        ("hemispheric geopolitics", "faq/turning-point"),
        ("unprecedented personal accusations", "faq/turning-point"),
    ],
)
async def test_section_4_search_finds_it(core: BriefingCore, query: str, ref: str) -> None:
    reply = await ask(core, f"/search {query}")
    assert ref in [item.ref for item in reply.items], query


async def test_context_tells_the_background_attributed_and_says_what_the_source_leaves_out(core: BriefingCore) -> None:
    text = " ".join((await said(core, "/context")).split())
    assert text.startswith("Context · 4 entries")
    assert 'the author writes, "it left deep scars"' in text and "according to the author, the relationship has deteriorated" in text
    assert 'accused (the source does not say by whom) of allowing massive cocaine production' in text
    assert 'captured Nicolás Maduro "on January 3" (the source gives no year)' in text
    assert 'The author writes that the White House meeting "seems to be the realization' in text and "in the author's words" in text
    assert [item.ref for item in (await ask(core, "/context")).items] == [
        "context/year-of-clashes", "context/drug-accusations", "context/unexpected-easing", "context/regional-diplomacy",
    ]


def test_every_quoted_phrase_of_the_context_is_in_its_own_evidence() -> None:
    """A quotation in an entry is the source's own words, found in a passage the entry cites (`why` shows it)."""
    phrases = [(entry.id, phrase) for entry in _SHIPPED.context for phrase in re.findall(r'"([^"]+)"', entry.body)]
    assert len(phrases) >= 7
    for entry_id, phrase in phrases:
        entry = next(e for e in _SHIPPED.context if e.id == entry_id)
        # A sentence quoted whole ends in a stop the source wrote as a comma before its "Trump declared".
        assert any(contains(piece.passage, phrase.rstrip(".,")) for piece in entry.evidence), (entry_id, phrase)


async def test_the_spanish_context_is_a_labelled_translation_that_puts_no_words_in_quotation_marks(core: BriefingCore) -> None:
    spanish = await ask(core, "contexto", locale="es")
    assert spanish.title == "Contexto · 4 entradas" and spanish.footer.endswith(ES["content.translated"].format(language="inglés"))
    assert spanish.items[1].title == "Las acusaciones de narcotráfico"
    for item in spanish.items:  # a translated quote is reported speech, never presented as the speaker's words
        assert not set(item.text) & set('"«»“”'), item.ref
    assert "(la fuente no dice por quién)" in spanish.items[1].text and "(la fuente no da el año)" in spanish.items[1].text


async def every_page(core: BriefingCore, line: str, locale: str = "en") -> str:
    """Every page of an answer as one line of text, so a check does not depend on where a page ends."""
    first = await ask(core, line, locale=locale)
    count = first.page.count if first.page else 1
    pages = [first] + [await ask(core, f"{line} page:{n}", locale=locale) for n in range(2, count + 1)]
    return " ".join(" ".join(render_text(page).split()) for page in pages)


async def test_13_planned_is_planned_attribution_kept_and_nothing_added(core: BriefingCore) -> None:
    """A second reading against the article: what it says will happen is not told as done, what it attributes
    stays attributed (official sources, the author), and what it leaves open (whose sovereignty, when) stays open."""
    agenda = await every_page(core, "/agenda")
    assert "Petro is to meet the Colombian diaspora." in agenda and "Petro is to deliver a lecture" in agenda
    assert 'without solely relying on the presidential axis"' in agenda and "beyond the presidential axis" not in agenda
    faq = await every_page(core, "/faq")
    assert "According to official sources, the meeting aims to" in faq and "The meeting will focus" not in faq
    assert "The author's analysis: this meeting is significant" in faq
    assert 'the recent history between Petro and Trump is marked by "unprecedented personal accusations"' in faq
    timeline = await every_page(core, "/timeline")
    assert 'the author writes, "it left deep scars"' in timeline
    assert "defend sovereignty" in timeline and "Colombia's sovereignty" not in timeline
    quotes = await every_page(core, "/quotes petro")
    assert "after Trump suggested military strikes against drug-producing countries" in quotes and "U.S. strikes" not in quotes
    spanish = await every_page(core, "cronología", locale="es")
    assert "Petro y Trump, citados en la Casa Blanca" in spanish
    visa = await every_page(core, "cronología tema:visa", locale="es")
    assert '«acciones imprudentes» (traducción; la fuente cita "reckless actions")' in visa


async def test_the_oas_meeting_is_the_authors_reading_told_in_full(core: BriefingCore) -> None:
    """Read alone, "Part of the same effort to re-engage in regional diplomacy" was the bot's own analysis of an effort
    it never named: the article's author gives the aim, for this meeting and the congress members' alike."""
    english, spanish = await every_page(core, "/agenda"), await every_page(core, "agenda", locale="es")
    assert ("Meeting with the Secretary-General of the OAS date not announced · time not announced · place not announced "
            "According to the author, part of an attempt to show that Colombia can reinsert itself into the regional diplomatic scene.") in english
    assert ("Reunión con el secretario general de la OEA fecha sin anunciar · hora sin anunciar · lugar sin anunciar "
            "Según el autor, parte de un intento de mostrar que Colombia puede reinsertarse en la escena diplomática regional.") in spanish
    assert "same effort" not in english and "mismo esfuerzo" not in spanish


async def test_the_spanish_pact_note_quotes_the_source_s_own_words_never_a_translation(core: BriefingCore) -> None:
    """"La fuente dice "durante el fin de semana"" put a translation in quotation marks as the source's words
    (docs/data-pack.md: translated text uses none): the English article's words are quoted, their translation beside them."""
    shown = await every_page(core, "cronología tema:movilización", locale="es")
    assert 'Nota: La fuente dice "over the weekend" (durante el fin de semana); aquí se fecha' in shown, shown
    (event,) = [e for e in _SHIPPED.timeline if e.id == "historic-pact-call"]
    note = dict(dict(event.translations)["es"])["note"]
    for phrase in re.findall(r'"([^"]+)"', note):  # every quoted phrase is the source's own, in its evidence
        assert any(contains(piece.passage, phrase) for piece in event.evidence), phrase


# What a field says beside words of a translated quote it puts in quotation marks: they are the source's English.
SOURCES_ENGLISH = "in the source's English"


def _texts(value: object, path: str = "") -> list[tuple[str, str]]:
    """Every text of the pack file but its quotes and evidence (the source's own words), with where it is."""
    if isinstance(value, dict):
        return [found for key, item in value.items() if key not in ("quotes", "evidence") for found in _texts(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [found for n, item in enumerate(value) for found in _texts(item, f"{path}[{n}]")]
    return [(path, value)] if isinstance(value, str) else []


def test_words_the_source_translated_are_quoted_nowhere_as_the_speakers_own() -> None:
    """Petro's quotes carry translated_from, so /quotes labels their English as the source's; a timeline detail, a role
    or an agenda entry putting those words in quotation marks showed them unlabelled, as what he said. Elsewhere they
    are paraphrased, or quoted with SOURCES_ENGLISH beside them."""
    translated = [fold(quote.words) for quote in _SHIPPED.quotes if quote.translated_from]
    assert translated
    shown = []
    for path, text in _texts(yaml.safe_load(PACK.read_text(encoding="utf-8"))):
        for phrase in re.findall(r'"([^"]+)"|“([^”]+)”|«([^»]+)»', text):
            words = fold("".join(phrase))
            if any(words in quote for quote in translated):
                shown.append(path)
                assert SOURCES_ENGLISH in text, (path, text)
    assert shown == [".people[6].role"]  # McNamara, as Petro's post names him: labelled


async def test_the_delegations_officials_have_no_organisation_the_article_does_not_give(core: BriefingCore) -> None:
    """The article names them as members of Petro's delegation, with a title and no government: their passages show
    the delegation, and their organisation is "Not stated by the source", as for others the article gives none."""
    delegation = "Accompanied by a delegation of over ten high-ranking officials, including Foreign Minister Rosa Yolanda Villavicencio"
    for name in ("Pedro Sánchez", "Daniel García-Peña", "Ricardo Roa", "Rosa Yolanda Villavicencio"):
        (person,) = [p for p in _SHIPPED.people if p.name == name]
        assert any(piece.passage.startswith(delegation) and name in piece.passage for piece in person.evidence), name
        assert person.organisation in ("", "Ecopetrol"), name
        assert "Government" not in await said(core, f"/person {name}"), name
    assert "Organisation: Not stated by the source" in await said(core, "/person Pedro Sanchez")
    assert "Organización: La fuente no lo indica" in render_text(await ask(core, "/persona Pedro Sanchez", locale="es"))


def test_what_the_summary_says_is_in_its_passages_and_the_authors_view_is_his() -> None:
    """"Closed-door" and Bogotá's plaza were in none of the summary's passages, and "his most serious attempt" was the
    author's reading told as fact."""
    passages = " ".join(piece.passage for piece in _SHIPPED.summary_evidence)
    assert "closed-door meeting" in passages and "mobilization in Bogotá" in passages
    assert "that is, in the author's view, his most serious attempt" in " ".join(_SHIPPED.summary.split())


async def test_the_arrival_says_its_date_is_worked_out_from_monday(core: BriefingCore) -> None:
    arrival = entry(await said(core, "/timeline from:2026-02"), "Petro lands in Washington")
    assert 'The source says "In the early hours of Monday"; dated here to the Monday before' in " ".join(arrival.split())
