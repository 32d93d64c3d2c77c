"""Zone names: every IANA zone the machine has, in any case, and nothing else ZoneInfo would load."""

from __future__ import annotations

from zoneinfo import available_timezones

import pytest

from bot.core.zones import zone_named, zone_spelled_like


def test_every_zone_the_machine_lists_is_one_by_its_name_in_any_case():
    for name in available_timezones() - {"localtime", "Factory"}:
        assert zone_named(name) == name and zone_named(name.lower()) == zone_named(name.upper()) == name, name


# Debian's link to the host's clock, tzdata's "zone not set", the tz folders' own copies (all of which ZoneInfo
# opens where the host has them), a folder, and nothing.
@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "right/UTC", "posix/Europe/Madrid", "America", ""])
def test_a_name_that_is_no_place_is_no_zone(name: str):
    assert zone_named(name) is None


def test_a_typed_name_is_trimmed_and_spelled_as_the_database_spells_it():
    assert zone_named(" utc ") == zone_named("utc") == "UTC"


@pytest.mark.parametrize(("typed", "meant"), [
    ("Europe/Brusels", "Europe/Brussels"), ("America/Bogotá", "America/Bogota"), ("Asia/Tokio", "Asia/Tokyo"),
    ("europe/lisboa", "Europe/Lisbon"), ("America/Sao Paulo", "America/Sao_Paulo"),
    ("America/Argentina/Buenos_Aries", "America/Argentina/Buenos_Aires"),
    # A bare city, of any region; by the zone's one id, never a link's name (Asia/Calcutta, US/Eastern).
    ("Bogota", "America/Bogota"), ("Paris", "Europe/Paris"), ("New_York", "America/New_York"), ("new york", "America/New_York"),
    ("Asia/Calcuta", "Asia/Kolkata"), ("US/Eastrn", "America/New_York"),
])
def test_a_misspelt_zone_or_a_bare_city_is_offered_its_zone_by_its_one_id(typed: str, meant: str):
    assert zone_spelled_like(typed) == meant


# A city that is no zone keeps another city's clock, which no data here names: its nearest spelling would be another clock
# ("Europe/Guernsey" for Geneva, "Europe/Isle_of_Man" for Milan), so none is offered. Nor is a zone outside the region.
# A bare name that is several regions' cities keeps several clocks: "Pacific" is Canada's and the US's, "GMT+1" one side of
# Greenwich or the other.
@pytest.mark.parametrize("typed", ["Europe/Geneva", "Europe/Milan", "America/Gotham", "Europa/Madrid", "Mars/Olympus", "posix/Europe/Madrid", "localtime", "",
                                   "Geneva", "Milan", "Pacific", "GMT+1"])
def test_a_city_that_is_no_zone_is_offered_none(typed: str):
    assert zone_spelled_like(typed) is None
