"""Forgiving matching: accents, case and punctuation never matter, and no script is dropped."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from bot.core.index import BriefingIndex
from bot.core.model import Person
from bot.core.text import fold, prose_break
from bot.store.packfile import read_pack
from tests.conftest import PACK, ask


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("García-Peña", "garcia pena"),
        ("  NICOLÁS   Maduro ", "nicolas maduro"),
        ("Москва, Россия", "москва россия"),
        ("北京", "北京"),
        ("O'Brien_x", "o brien x"),
        ("ǅemal", "dzemal"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


ARRIVED = "Colombian President Gustavo Petro landed in Washington in the early hours of Monday."
LLEGADA = "El presidente colombiano Gustavo Petro aterrizó en Washington en la madrugada del lunes."


@pytest.mark.parametrize(
    ("window", "piece"),
    [
        (f"{LLEGADA} Hablará de aranceles con EE. UU. y de", LLEGADA),
        ("Petro llegó. Habló de migración con EE. UU., Panamá y", "Petro llegó. Habló de migración con EE. UU.,"),
        (f"{ARRIVED} They meet at 11:00 a.m. EST at the", ARRIVED),
        (f"{ARRIVED} He met U.S. officials at the", ARRIVED),
        (f"{ARRIVED} He then met the US. Trump is", f"{ARRIVED} He then met the US."),
        ("Petro met the 11 a.m. crowd at the White House", "Petro met the 11 a.m. crowd at the White"),
    ],
)
def test_a_long_text_is_cut_after_a_sentence_not_an_abbreviations_stop(window, piece):
    """A piece ends where a sentence does, never "…EE." with "UU." opening the next or "…a.m." before "EST"."""
    assert window[: prose_break(window)] == piece


def test_names_in_any_script_are_found():
    briefing = read_pack(PACK)
    extra = Person("sergei-lavrov", "Сергей Лавров", "Minister", "Government", "other", False, ("cubaheadlines-2026-02-03",))
    index = BriefingIndex(replace(briefing, people=(*briefing.people, extra)))
    assert index.people_matching("лавров") == [extra]
    assert index.people_matching("сер") == [extra]


async def test_timeline_query_ignores_accents_and_case(core):
    plain = await ask(core, "/timeline query:nicolas")
    accented = await ask(core, "/timeline query:NICOLÁS")
    assert [i.title for i in plain.items] == [i.title for i in accented.items] == ["Military operation captures Nicolás Maduro"]
    both = await ask(core, '/timeline query:"petro visa"')
    assert {i.title for i in both.items} == {"Trump revokes Petro's visa", "Petro receives a special U.S. visa"}
