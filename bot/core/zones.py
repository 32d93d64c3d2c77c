"""IANA time zone names: the only zones a pack, a subscription or the config may name."""

from __future__ import annotations

import difflib
import importlib.util
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

from bot.core.cldr import zone_id
from bot.core.text import fold

# Files in the tz folders that ZoneInfo loads but that are no place: Debian's link to the host's own clock
# (it would follow whatever the server is set to) and tzdata's "zone not set" placeholder. posixrules,
# posix/… and right/… available_timezones() already leaves out.
_NOT_PLACES = frozenset({"localtime", "Factory"})

# difflib's ratio a city's spelling must reach to be offered: "Bogata"/"Bogota" 0.83, "Tokio"/"Tokyo" 0.8; a made-up
# or other city falls short ("Gotham"/"Godthab" 0.77, another clock), as names elsewhere need only 0.75 (suggest.py).
_NEAR = 0.8


def zone_named(text: str) -> str | None:
    """The zone as the tz database spells it, for its name in any case ("america/bogota"); None when there is none."""
    lower = text.strip().lower()
    # The tzdata package's own list answers the usual name (the config's, at every start) in one small read;
    # only a name it lacks pays for listing every zone the machine has, which is slow.
    return _by_lower_name(listed=True).get(lower) or _by_lower_name(listed=False).get(lower)


def one_zone_id(name: str) -> str:
    """The one id of a zone the tz database also names by a link ("Asia/Calcutta" is "Asia/Kolkata", "US/Eastern"
    "America/New_York"), as CLDR's aliases give it: a subscription keys its days by its zone, and one zone spelled two
    ways would have two days of each date. A zone with no other name, or whose id this machine lacks, as given."""
    found = zone_id(name)
    return found if zone_named(found) == found else name


def zone_spelled_like(text: str) -> str | None:
    """The zone whose city is spelled nearest, by its one id: of the same region ("Europe/Brusels", "Asia/Tokio",
    "America/Bogotá"), or of any for a bare city ("Bogota", "Paris", "New York"); "Asia/Calcuta" is Asia/Kolkata, not
    the link Asia/Calcutta (`one_zone_id`). None when no city is near, or the nearest names several clocks ("Pacific":
    Canada's and the US's; "GMT 1": Etc/GMT+1 and Etc/GMT-1).

    By spelling alone: neither CLDR nor the tz database says whose clock a city that is no zone keeps (Geneva keeps
    Zurich's), and the nearest spelling of such a city is another clock's ("Guernsey"), so none is offered for it.
    """
    region, _, city = text.strip().rpartition("/")
    cities: dict[str, list[str]] = {}
    for zone in _by_lower_name(listed=False).values():
        where, _, name = zone.rpartition("/")
        if not region or where.lower() == region.lower():
            cities.setdefault(fold(name), []).append(zone)
    near = difflib.get_close_matches(fold(city), cities, n=1, cutoff=_NEAR)
    meant = {one_zone_id(zone) for zone in cities[near[0]]} if near else set()
    return meant.pop() if len(meant) == 1 else None


@cache
def _by_lower_name(listed: bool) -> dict[str, str]:
    """Zones by their name in lower case (no two differ only by their capitals): tzdata's list, or all the machine's."""
    names = _tzdata_list() if listed else frozenset(available_timezones())
    return {zone.lower(): zone for zone in names - _NOT_PLACES}


def _tzdata_list() -> frozenset[str]:
    """The zones the tzdata package lists, each of which available_timezones() includes; none without the package."""
    spec = importlib.util.find_spec("tzdata")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    try:
        return frozenset((Path(next(iter(spec.submodule_search_locations))) / "zones").read_text(encoding="utf-8").split())
    except OSError:
        return frozenset()


# Clock abbreviations typed as a zone (tz:EST) and the zones of the places whose clock they are most often meant as. The
# tz database has a few as zones of one place each (EST is Panama's, with no summer time; CET Brussels'), the rest not at
# all; CLDR gives such names per zone and language, not the place meant. A digest keeps a place's clock, summer time
# included, so an abbreviation is refused with the places it may mean rather than read as one of them.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("EST", "EDT"), ("America/New_York",)),
    "CST": ("America/Chicago", "Asia/Shanghai"),
    "CDT": ("America/Chicago",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MDT": ("America/Denver",),
    **dict.fromkeys(("PST", "PDT"), ("America/Los_Angeles",)),
    **dict.fromkeys(("AKST", "AKDT"), ("America/Anchorage",)),
    "HST": ("Pacific/Honolulu",),
    "AST": ("America/Halifax", "Asia/Riyadh"),
    "ADT": ("America/Halifax",),
    "BST": ("Europe/London",),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    **dict.fromkeys(("WET", "WEST"), ("Europe/Lisbon",)),
    **dict.fromkeys(("CET", "CEST", "MET", "MEST"), ("Europe/Berlin", "Europe/Paris")),
    "EET": ("Europe/Athens", "Africa/Cairo"),
    "EEST": ("Europe/Athens",),
    "MSK": ("Europe/Moscow",),
    "JST": ("Asia/Tokyo",),
    "KST": ("Asia/Seoul",),
    **dict.fromkeys(("AEST", "AEDT"), ("Australia/Sydney",)),
    **dict.fromkeys(("NZST", "NZDT"), ("Pacific/Auckland",)),
}


def places_meant(text: str) -> tuple[str, ...]:
    """The zones of the places a clock abbreviation typed as a zone may mean ("EST": America/New_York); () for any other
    name, UTC and GMT among them, which mean that clock itself."""
    return _ABBREVIATIONS.get(text.strip().upper(), ())
