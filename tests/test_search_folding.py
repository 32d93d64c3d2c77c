"""Search folds words one way on both stores: accents, case and letter forms, and dotted abbreviations, in the index and
in the search alike; a search's answer never depends on what was searched before; a long search says what it read."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import msgspec.structs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.model import Briefing, FaqEntry
from bot.core.service import BriefingCore
from bot.core.text import search_fold
from bot.store import Store, open_store
from bot.store.database import connect, migrate
from bot.store.packfile import read_pack
from bot.store.postgres.database import connect as connect_postgres
from bot.store.postgres.database import migrate as migrate_postgres
from bot.store.postgres.database import migrations as postgres_migrations
from bot.store.rows import ITEM_COLUMNS, item_rows
from tests.conftest import PACK, ask, fresh_database

ODD = "odd"
# What each FAQ answer says, by its id: the letters NFKD decomposes, those it leaves whole, and other scripts.
ANSWERS = {
    "strasse": "Meeting on the Hauptstraße in Köln",
    "ligature": "The ﬁnance ministry's ofﬁce reviews ﬂows",
    "polish": "Talks in Łódź and Gdańsk",
    "nordic": "Øresund, Ærø and an œuvre",
    "wide": "ＷＡＳＨＩＮＧＴＯＮ talks",
    "greek": "Αθήνα summit with ΟΔΥΣΣΕΑΣ",
    "turkish": "Summit in İstanbul and IZMIR",
    "cyrillic": "Ёлка in Москва",
    "abbreviation": "The U.S. Treasury and EE. UU. officials",
}
# A word a reader types, and the answer it must find on both stores.
TYPED = [
    ("strasse", "strasse"), ("STRASSE", "strasse"), ("hauptstr", "strasse"), ("koln", "strasse"),
    ("finance", "ligature"), ("ﬁnance", "ligature"), ("office", "ligature"), ("flows", "ligature"),
    ("lodz", "polish"), ("Łódź", "polish"), ("gdansk", "polish"),
    ("oresund", "nordic"), ("aero", "nordic"), ("oeuvre", "nordic"),
    ("washington", "wide"), ("ＷＡＳＨ", "wide"),
    ("αθηνα", "greek"), ("Αθήνα", "greek"), ("οδυσσεας", "greek"), ("Οδυσσέας", "greek"),
    ("istanbul", "turkish"), ("ıstanbul", "turkish"), ("İSTANBUL", "turkish"), ("izmir", "turkish"),
    ("елка", "cyrillic"), ("москва", "cyrillic"),
    ("US", "abbreviation"), ("U.S.", "abbreviation"), ("EEUU", "abbreviation"), ("EE. UU.", "abbreviation"),
]
SHIPPED: Briefing = read_pack(PACK)


def odd_briefing() -> Briefing:
    """The shipped pack as another briefing whose FAQ answers hold the odd words (`ANSWERS`)."""
    source = SHIPPED.sources[0].id
    faq = tuple(FaqEntry(id=item_id, question=f"What about {item_id}?", answer=answer, sources=(source,)) for item_id, answer in ANSWERS.items())
    return msgspec.structs.replace(SHIPPED, id=ODD, title="Odd words", faq=faq, translations=())


async def found(store: Store, text: str) -> list[str]:
    """The ids of the odd briefing's FAQ answers a search finds."""
    return sorted(hit.item_id for hit in (await store.repository.search(ODD, text, ("faq",)))[0])


@pytest.mark.parametrize(("typed", "answer"), TYPED)
async def test_every_spelling_of_a_word_finds_it_on_both_stores(store: Store, typed: str, answer: str) -> None:
    """Both stores fold the index's words and the searched words by one definition (`search_fold`): before, SQLite's
    unicode61 and PostgreSQL's unaccent each missed some of these (strasse, ﬁnance, lodz, oresund, αθηνα, İstanbul…)."""
    await store.repository.save(odd_briefing())
    assert await found(store, typed) == [answer]


async def test_a_search_answers_the_same_whatever_was_searched_before(store: Store) -> None:
    """A search was remembered by Python's fold of its text, which took spellings as one that the index told apart: on
    SQLite `αθηνα` then `Αθήνα` both found nothing, the other way round both found the answer (and `finance`/`ﬁnance`);
    "u s" (two words) and "U.S." (one) fold alike too. Each answer is the one a core that searched nothing before gives."""
    await store.repository.save(odd_briefing())

    async def title(core: BriefingCore, text: str) -> str:
        return (await ask(core, f"/search {text}", briefing_id=ODD)).title

    for first, second in [("αθηνα", "Αθήνα"), ("Αθήνα", "αθηνα"), ("finance", "ﬁnance"), ("ﬁnance", "finance"), ("u s", "U.S."), ("U.S.", "u s")]:
        core = BriefingCore(store.repository)
        assert [await title(core, first), await title(core, second)] == [await title(BriefingCore(store.repository), text) for text in (first, second)]
    assert "1 result" in await title(BriefingCore(store.repository), "αθηνα")


async def test_dotted_abbreviations_are_found_by_their_squeezed_form(core: BriefingCore) -> None:
    """`US` and `EEUU` find what says "U.S." and "EE. UU.", as `/search U.S.` does (the index holds them squeezed)."""
    titles = {}
    for line, locale in [("/search U.S.", "en"), ("/search US", "en"), ("/search u.s", "en"), ("/buscar EEUU", "es"), ("/buscar EE. UU.", "es")]:
        titles[line] = (await ask(core, line, locale=locale)).title
    assert titles["/search US"].replace("US", "U.S.") == titles["/search U.S."]
    assert titles["/buscar EEUU"].replace("EEUU", "EE. UU.") == titles["/buscar EE. UU."]
    assert " 0 " not in titles["/search US"] and titles["/search US"] != titles["/search u.s"]  # "u.s" lacks its last stop: two words


async def test_a_search_past_twelve_words_says_which_it_read(core: BriefingCore) -> None:
    """The 13th word on is never read (each word is a term every candidate's score reads): the answer says so."""
    line = "petro trump the a meeting with in of and to washington house zzzz"
    read = "petro trump the a meeting with in of and to washington house"
    english = await ask(core, f"/search {line}")
    assert english.footer == f"Only the first 12 words were searched for: “{read}”; the rest were left out."
    spanish = await ask(core, f"/buscar {line}", locale="es")
    assert spanish.footer.startswith(f"Solo se buscaron las primeras 12 palabras: «{read}»; el resto se dejó fuera.\n")
    assert (await ask(core, f"/search {read}")).footer == ""


# Each character of a word as a reader may type it: upper or lower case, an accent added, full-width, or the letter
# NFKD does not decompose that a reader's keyboard gives for it.
_OTHER_FORMS = {"s": ["ſ"], "l": ["ł", "Ł"], "o": ["ø", "Ø", "ó"], "i": ["ı", "İ", "í"], "d": ["đ"], "σ": ["ς", "Σ", "σ́"]}


@st.composite
def variants(draw: st.DrawFn) -> tuple[str, str]:
    """An answer, and a prefix of one of its words (at least two letters) as some reader may type it."""
    answer = draw(st.sampled_from(sorted(ANSWERS)))
    word = draw(st.sampled_from([w for w in search_fold(ANSWERS[answer]).lower().split() if len(w) > 2 and w.isalpha()]))
    prefix = word[: draw(st.integers(2, len(word)))]
    typed = []
    for char in prefix:
        forms = [char, char.upper(), char + "\u0301", *_OTHER_FORMS.get(char, [])]
        if char.isascii():
            forms.append(chr(ord(char) - ord("a") + ord("ａ")))
        typed.append(draw(st.sampled_from(forms)))
    return answer, unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), "".join(typed))


@pytest.fixture
async def both_stores(tmp_path: Path, postgres_server: str | None) -> list[Store]:
    """A SQLite store and a PostgreSQL one, each holding the odd briefing."""
    async with fresh_database(postgres_server) as url, open_store(tmp_path / "odd.sqlite3") as sqlite, open_store(url) as postgres:
        for store in (sqlite, postgres):
            await store.repository.save(odd_briefing())
        yield [sqlite, postgres]


@given(typed=variants())
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_sqlite_and_postgresql_find_the_same_for_any_spelling(both_stores: list[Store], typed: tuple[str, str]) -> None:
    """Whatever case, accents, width or unaccented letters a reader types, both stores find the same answers, and
    among them the one holding the word."""
    answer, text = typed
    sqlite, postgres = [await found(store, text) for store in both_stores]
    assert sqlite == postgres, text
    assert answer in sqlite, text


async def test_sqlite_migration_025_folds_a_stored_index(tmp_path: Path) -> None:
    """A store written before 025 held its search texts as written (the index folded them with unicode61): the
    migration folds them and the summaries, and indexes them again."""
    path = tmp_path / "v24.sqlite3"
    conn = await connect(path)
    try:
        assert await migrate(conn, target=24) == 24
        await conn.execute("BEGIN")
        await conn.execute(
            "INSERT INTO briefings (id, title, summary, zones, content_hash, updated_at, evidence, language, translations, search_translations)"
            " VALUES (?, 'Odd', 'Talks in Łódź', '[]', '', '2026-01-01T00:00:00+00:00', '[]', 'en', '{}', '')", (ODD,))
        await conn.executemany(f"INSERT INTO items ({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(ITEM_COLUMNS))})",
                               [_as_written(row) for row in item_rows(odd_briefing()) if row[1] == "faq"])
        await conn.execute("COMMIT")
    finally:
        await conn.close()
    async with open_store(path) as store:
        assert await found(store, "strasse") == ["strasse"] and await found(store, "US") == ["abbreviation"]
        assert [hit.kind for hit in (await store.repository.search(ODD, "lodz"))[0]] == ["summary", "faq"]


async def test_postgresql_migration_015_folds_stored_documents(postgres_server: str | None) -> None:
    """As SQLite's 025: documents written before 015 (unaccent over the text as written) are folded and written again."""
    async with fresh_database(postgres_server, "template0") as url:
        async with connect_postgres(url, max_size=1) as pool, pool.acquire() as conn:
            await conn.execute("CREATE TABLE schema_migrations (number integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            for number, file, sql in postgres_migrations()[:14]:
                await conn.execute(sql)
                await conn.execute("INSERT INTO schema_migrations (number, name) VALUES ($1, $2)", number, file)
            await conn.execute(
                "INSERT INTO briefings (id, title, summary, zones, content_hash, updated_at, evidence, language, translations, search_translations)"
                " VALUES ($1, 'Odd', 'Talks in Łódź', '[]', '', now(), '[]', 'en', '{}', '')", ODD)
            await conn.executemany(f"INSERT INTO items ({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join(f'${n}' for n in range(1, len(ITEM_COLUMNS) + 1))})",
                                   [_as_written(row) for row in item_rows(odd_briefing()) if row[1] == "faq"])
        async with connect_postgres(url, max_size=1) as pool:
            assert await migrate_postgres(pool) == len(postgres_migrations())
        async with open_store(url) as store:
            assert await found(store, "strasse") == ["strasse"] and await found(store, "US") == ["abbreviation"]
            assert [hit.kind for hit in (await store.repository.search(ODD, "lodz"))[0]] == ["summary", "faq"]


def _as_written(row: tuple[object, ...]) -> tuple[object, ...]:
    """An FAQ entry's row as a store before the fold wrote it: its question and answer as written."""
    question, answer = f"What about {row[2]}?", ANSWERS[str(row[2])]
    return (*row[:5], question, answer, *row[7:])
