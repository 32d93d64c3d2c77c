"""CLDR's words remembered for a one-shot ask: the same words as Babel's, keyed by all they are made of, and a file
that is missing, corrupt, foreign or unwritable changes nothing but the time (bot/core/cldr.py)."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import babel
import pytest
from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from babel.units import format_unit

from bot.core import cldr
from bot.core.catalogue import catalogue_for
from bot.core.formatting import local_time_label
from bot.core.model import Zone
from tests.cli_support import briefbot

EN, ES = "en_GB", "es"  # the CLDR identifiers the catalogues write in
DAYS = (date(2026, 2, 3), date(2025, 9, 1), date(2024, 2, 29))


@pytest.fixture(autouse=True)
def running_bot_after() -> Iterator[None]:
    yield
    cldr.forget()  # the other tests' processes ask Babel every time, as a running bot does


def every_word() -> list[tuple[str, str]]:
    """(cldr's word, Babel's own) for each kind of word, in both languages."""
    pairs = []
    for locale, cldr_locale in ((EN, Locale.parse(EN)), (ES, Locale.parse(ES))):
        for day in DAYS:
            pairs += [(cldr.date_word(day, pattern, locale), format_date(day, pattern, locale=cldr_locale)) for pattern in ("long", "EEE", "EEEE", "LLLL")]
            pairs += [(cldr.skeleton_word(skeleton, day, locale), format_skeleton(skeleton, day, locale=cldr_locale)) for skeleton in ("yMMMM", "MMMMd")]
        for value in (0, 1, 2, 59, 61):
            pairs += [(cldr.duration_word(value, unit, locale), format_unit(value, f"duration-{unit}", locale=cldr_locale)) for unit in ("year", "day", "minute")]
        for number in (0, 1, 2, 1234, 1_000_000):
            pairs += [(cldr.number_word(number, locale), format_decimal(number, locale=cldr_locale)), (cldr.plural_word(number, locale), cldr_locale.plural_form(number))]
        for language in ("en", "es", "fr", "pt"):
            pairs.append((cldr.language_word(language, locale), str(cldr_locale.languages[language])))
        for size, unit in ((40, "kilobyte"), (1.04, "megabyte")):
            pairs.append((cldr.size_word(size, unit, locale), format_unit(size, f"digital-{unit}", length="short", locale=cldr_locale)))
    aliases = get_global("zone_aliases")
    pairs += [(cldr.zone_id(zone), aliases.get(zone, zone)) for zone in ("Asia/Calcutta", "US/Eastern", "America/Bogota")]
    return pairs


def test_the_remembered_words_are_babels_own():
    cldr.remember(None)
    asked = every_word()  # each asked of Babel
    assert all(ours == babels for ours, babels in asked)
    entry = json.loads(json.dumps(cldr.learned()))  # as the file gives it back
    cldr.remember(entry)
    assert every_word() == asked  # each read from the entry
    assert cldr.learned() is None  # nothing new to write


def test_babels_version_is_read_without_importing_it():
    assert cldr.babel_version() == babel.__version__


def test_a_word_is_keyed_by_all_it_is_made_of():
    cldr.remember(None)
    day = date(2026, 2, 3)
    words = {cldr.date_word(day, "EEE", EN), cldr.date_word(day, "EEEE", EN), cldr.date_word(day, "EEE", ES), cldr.date_word(date(2026, 2, 4), "EEE", EN)}
    assert words == {"Tue", "Tuesday", "mar", "Wed"}
    assert cldr.skeleton_word("yMMMM", day, EN) != cldr.skeleton_word("MMMMd", day, EN)
    assert (cldr.number_word(1, EN), cldr.plural_word(1, EN), cldr.duration_word(1, "day", EN), cldr.duration_word(1, "hour", EN)) == ("1", "one", "1 day", "1 hour")
    with pytest.raises(TypeError, match="expected a date"):  # its time of day would not be in the key
        cldr.date_word(datetime(2026, 2, 3, 23, 0, tzinfo=UTC), "EEE", EN)


def test_the_weekday_is_the_zones_own_with_the_words_remembered():
    # 03:00 UTC on 3 February is still 2 February in Washington: each zone's local day is its own key.
    cat = catalogue_for("en")
    at = datetime(2026, 2, 3, 3, 0, tzinfo=UTC)
    cldr.remember(None)
    first = [local_time_label(at, Zone(zone=zone, label="here"), cat) for zone in ("Europe/Madrid", "America/New_York")]
    cldr.remember(cldr.learned())
    again = [local_time_label(at, Zone(zone=zone, label="here"), cat) for zone in ("America/New_York", "Europe/Madrid")]
    assert first == again[::-1]
    assert first[0].startswith("Tue") and first[1].startswith("Mon")


@pytest.mark.parametrize(
    "entry",
    [
        None,
        [1, 2],
        {"format": cldr.FORMAT, "babel": "0.0.1", "words": {"number\ten_GB\t1234": "wrong"}},
        {"format": cldr.FORMAT - 1, "babel": cldr.babel_version(), "words": {"number\ten_GB\t1234": "wrong"}},
        {"format": cldr.FORMAT, "babel": cldr.babel_version(), "words": ["number\ten_GB\t1234", "wrong"]},
        {"format": cldr.FORMAT, "babel": cldr.babel_version(), "words": {"number\ten_GB\t1234": 5}},
    ],
)
def test_a_foreign_or_corrupt_entry_is_ignored(entry):
    cldr.remember(entry)
    assert cldr.number_word(1234, EN) == "1,234"
    assert cldr.learned() == {"format": cldr.FORMAT, "babel": cldr.babel_version(), "words": {"number\ten_GB\t1234": "1,234"}}


def test_an_entry_of_this_babel_is_believed():
    # What shows the words are read, not asked again: the one case a word need not be Babel's is a hand-made file.
    cldr.remember({"format": cldr.FORMAT, "babel": cldr.babel_version(), "words": {"number\ten_GB\t1234": "planted"}})
    assert cldr.number_word(1234, EN) == "planted"


def test_a_running_bot_asks_babel_every_time():
    cldr.remember({"format": cldr.FORMAT, "babel": cldr.babel_version(), "words": {"number\ten_GB\t1234": "planted"}})
    cldr.forget()
    assert cldr.number_word(1234, EN) == "1,234"
    assert cldr.learned() is None


def test_a_countdowns_next_values_are_asked_with_the_first():
    cldr.remember(None)
    assert cldr.duration_word(4, "day", ES) == "4 días"
    words = cldr.learned()["words"]  # type: ignore[index]
    assert words == {f"duration\tes\tday\t{n}": format_unit(n, "duration-day", locale=Locale.parse(ES)) for n in range(60)}
    cldr.remember({"format": cldr.FORMAT, "babel": cldr.babel_version(), "words": words})
    assert cldr.duration_word(3, "day", ES) == "3 días"
    assert cldr.duration_word(75, "day", ES) == "75 días"  # beyond the values asked at once: asked then
    assert cldr.learned()["words"]["duration\tes\tday\t75"] == "75 días"  # type: ignore[index]


def test_a_file_that_would_outgrow_its_cap_starts_over_with_the_new_words():
    known = {f"number\ten_GB\t{n}": format_decimal(n, locale=Locale.parse(EN)) for n in range(cldr.CAP)}
    cldr.remember({"format": cldr.FORMAT, "babel": cldr.babel_version(), "words": known})
    assert cldr.number_word(5, EN) == "5" and cldr.learned() is None
    assert cldr.number_word(cldr.CAP, EN) == "2,000"
    assert cldr.learned()["words"] == {f"number\ten_GB\t{cldr.CAP}": "2,000"}  # type: ignore[index]


def ask(tmp_path: Path, *words: str) -> str:
    """One `briefbot ask`'s answer at a fixed instant, with this test's own cache folder; it must succeed."""
    done = briefbot("--db", tmp_path / "b.sqlite3", *words, "--now", "2026-01-20T15:30:00Z", env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_answers_are_the_same_with_and_without_the_words(tmp_path):
    file = tmp_path / "cache" / "briefbot" / "cldr.json"
    for language in ("en", "es"):
        for line in ("/brief", "/timeline", "/quotes"):
            file.unlink(missing_ok=True)
            fresh = ask(tmp_path, "--locale", language, "ask", line)  # every word asked of Babel, then written down
            assert file.exists()
            assert ask(tmp_path, "--locale", language, "ask", line) == fresh  # every word read back
    assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_the_ask_reads_and_rewrites_the_file(tmp_path):
    file = tmp_path / "cache" / "briefbot" / "cldr.json"
    fresh = ask(tmp_path, "ask", "/brief")
    words = json.loads(file.read_text(encoding="utf-8"))["words"]
    planted = {key: "PLANTED" if key.startswith("date\ten_GB\tlong\t") else word for key, word in words.items()}
    file.write_text(json.dumps({"format": cldr.FORMAT, "babel": cldr.babel_version(), "words": planted}), encoding="utf-8")
    assert "PLANTED" in ask(tmp_path, "ask", "/brief")
    file.write_text(json.dumps({"format": cldr.FORMAT, "babel": "0.0.1", "words": planted}), encoding="utf-8")
    assert ask(tmp_path, "ask", "/brief") == fresh  # another Babel's words are not believed, and are replaced
    assert json.loads(file.read_text(encoding="utf-8"))["words"] == words
    file.write_text('{"format": 1, "babel": "trunc', encoding="utf-8")
    assert ask(tmp_path, "ask", "/brief") == fresh
    assert json.loads(file.read_text(encoding="utf-8"))["words"] == words


def test_a_location_that_cannot_be_written_means_no_words_kept(tmp_path):
    fresh = ask(tmp_path, "ask", "/brief")
    (tmp_path / "cache" / "briefbot" / "cldr.json").unlink()
    (tmp_path / "cache" / "briefbot" / "cldr.json").mkdir()  # a folder where the file would be
    assert ask(tmp_path, "ask", "/brief") == fresh
    assert sorted(path.name for path in (tmp_path / "cache" / "briefbot").iterdir()) == ["cldr.json", "settings.json"]  # no partial file left


def test_an_ask_in_a_process_that_goes_on_leaves_babel_asked_every_time(tmp_path, monkeypatch):
    from bot.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["--db", str(tmp_path / "b.sqlite3"), "ask", "/brief"]) == 0
    assert (tmp_path / "cache" / "briefbot" / "cldr.json").exists()
    assert cldr.number_word(987_654, EN) == "987,654"
    assert cldr.learned() is None  # not remembered: a running bot's words are never written down
