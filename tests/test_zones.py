"""Zone names: every IANA zone the machine has, in any case, and nothing else ZoneInfo would load."""

from __future__ import annotations

from zoneinfo import available_timezones

import pytest

from bot.core.zones import zone_named


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
