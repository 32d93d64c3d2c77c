"""Zone names: every IANA zone the machine has, in any case, and nothing else ZoneInfo would load."""

from __future__ import annotations

from zoneinfo import available_timezones

import pytest

from bot.core.zones import is_zone, zone_named


def test_every_zone_the_machine_lists_is_one_by_its_name_in_any_case():
    for name in available_timezones() - {"localtime", "Factory"}:
        assert is_zone(name) and zone_named(name.lower()) == zone_named(name.upper()) == name, name


# Debian's link to the host's clock, tzdata's "zone not set", the tz folders' own copies (all of which ZoneInfo
# opens where the host has them), a folder, and nothing.
@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "right/UTC", "posix/Europe/Madrid", "America", ""])
def test_a_name_that_is_no_place_is_no_zone(name: str):
    assert not is_zone(name) and zone_named(name) is None


def test_a_typed_name_is_trimmed_but_a_stored_one_must_be_exact():
    assert zone_named(" utc ") == "UTC"
    assert not is_zone(" UTC") and not is_zone("utc")
