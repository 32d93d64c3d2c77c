"""CLDR's words through Babel, in one place, so a one-shot ask can answer from the words an earlier ask wrote down.

Babel's formatting modules and a language's CLDR data (en_GB's chain of four files and `global.dat`) are a large
share of a cold `briefbot ask`. `briefbot ask` hands in what the last ask wrote down (`remember`) and writes back
what it had to ask Babel for (`learned`). Each word is keyed by everything it is made of (what is formatted and how,
and the CLDR locale), and the whole set by Babel's version, which fixes its CLDR data, and `FORMAT`. A process that
hands in nothing, a running bot, always asks Babel. Babel itself is imported at the first word asked of it, so an
ask answered from remembered words never imports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache, partial
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any, Literal

from bot.core.text import fold

if TYPE_CHECKING:
    from babel import Locale

# Raise when a key's spelling or a word's making changes: an older file then counts as foreign.
FORMAT = 2
# A file stays small to read (about 40 bytes a word); one that would outgrow this starts over with the newest words.
CAP = 2_000
# A countdown's next word is usually another value of the same unit: a miss asks Babel for these at once.
COUNTED = range(60)

_known: dict[str, str] | None = None
_new: dict[str, str] = {}


def remember(entry: Any) -> None:
    """Answer from this entry's words from now on, when it was written by this Babel and this format; else start empty.

    `entry` is what `learned` gave an earlier process, read back from JSON, or anything else found in its place.
    Without a version to key the words by, nothing is remembered.
    """
    global _known
    _new.clear()
    version = babel_version()
    if version is None:
        _known = None
        return
    words = entry.get("words") if isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("babel") == version else None
    _known = {key: word for key, word in words.items() if isinstance(word, str)} if isinstance(words, dict) else {}


@cache
def babel_version() -> str | None:
    """The installed Babel's `__version__`, read from its package's source: importing it to ask is the cost saved."""
    spec = find_spec("babel")
    if spec is None or spec.origin is None:
        return None
    try:
        with open(spec.origin, encoding="utf-8") as source:
            found = re.search(r"^__version__ = ['\"]([^'\"]+)['\"]$", source.read(), re.MULTILINE)
    except (OSError, ValueError):  # unreadable, or not text
        return None
    return found[1] if found else None


@cache
def babel_locale(identifier: str) -> Locale:
    """Babel's locale for a CLDR identifier ("en_GB"), parsed once; its CLDR data is read at its first use."""
    from babel import Locale

    return Locale.parse(identifier)


def forget() -> None:
    """Ask Babel for every word again, as a running bot does."""
    global _known
    _known = None
    _new.clear()


def learned() -> dict[str, Any] | None:
    """The entry to write down for the next ask, or None when every word was known (or nothing is remembered)."""
    if _known is None or not _new:
        return None
    words = _known if len(_known) <= CAP else _new
    return {"format": FORMAT, "babel": babel_version(), "words": words}


def _word(key: str, ask: Callable[[], str]) -> str:
    if _known is None:
        return ask()
    found = _known.get(key)
    if found is None:
        found = _known[key] = _new[key] = ask()
    return found


def date_word(day: date, pattern: str, locale: str) -> str:
    """Babel's `format_date` of a day: "3 February 2026" ("long"), "Tue" ("EEE"), "February" ("LLLL")."""
    def ask() -> str:
        from babel.dates import format_date

        return format_date(day, pattern, locale=babel_locale(locale))

    return _word(f"date\t{locale}\t{pattern}\t{_day(day)}", ask)


def skeleton_word(skeleton: str, day: date, locale: str) -> str:
    """Babel's `format_skeleton` of a day: "September 2025" ("yMMMM"), "31 January" ("MMMMd")."""
    def ask() -> str:
        from babel.dates import format_skeleton

        return format_skeleton(skeleton, day, locale=babel_locale(locale))

    return _word(f"skeleton\t{locale}\t{skeleton}\t{_day(day)}", ask)


def _day(day: date) -> str:
    """The day's ISO date; a datetime is refused, since its time would not be in the key."""
    if type(day) is not date:
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day.isoformat()


def duration_word(value: int, unit: str, locale: str) -> str:
    """Babel's long `format_unit` of a whole number of a duration unit: "3 hours", "1 día"."""
    def ask(count: int) -> str:
        from babel.units import format_unit

        return format_unit(count, f"duration-{unit}", locale=babel_locale(locale))

    key = f"duration\t{locale}\t{unit}\t"
    if _known is None:
        return ask(value)
    if key + str(value) not in _known:  # Babel is loaded now: the countdown's next values of this unit cost little more
        for count in (*COUNTED, value):
            _word(key + str(count), partial(ask, count))
    return _known[key + str(value)]


def size_word(value: float, unit: str, locale: str) -> str:
    """Babel's short `format_unit` of a size in a digital unit: "40 kB", "1.04 MB", "1,04 MB"."""
    def ask() -> str:
        from babel.units import format_unit

        return format_unit(value, f"digital-{unit}", length="short", locale=babel_locale(locale))

    return _word(f"size\t{locale}\t{unit}\t{value}", ask)


def pair_word(locale: str) -> str:
    """CLDR's pattern of a list of two, from Babel's `format_list`: "{0} and {1}", "{0} y {1}" (one word per locale,
    where a list of the values themselves would be a word for every pair a countdown shows)."""
    def ask() -> str:
        from babel.lists import format_list

        return format_list(["{0}", "{1}"], locale=babel_locale(locale))

    return _word(f"pair\t{locale}", ask)


def number_word(number: int, locale: str) -> str:
    """Babel's `format_decimal` of a whole number: "1,234", "1234", "12.345"."""
    def ask() -> str:
        from babel.numbers import format_decimal

        return format_decimal(number, locale=babel_locale(locale))

    return _word(f"number\t{locale}\t{number}", ask)


def plural_word(count: int, locale: str) -> str:
    """CLDR's plural category of a whole number in the locale: "one", "other", "many"."""
    return _word(f"plural\t{locale}\t{count}", lambda: babel_locale(locale).plural_form(count))


def language_word(language: str, locale: str) -> str:
    """A language's name in the locale's language ("inglés", "Spanish"); the code itself when CLDR has none."""
    def ask() -> str:
        cldr = babel_locale(locale)
        return str(cldr.languages.get(language) or babel_locale(language).get_display_name(cldr) or language)

    return _word(f"language\t{locale}\t{language}", ask)


def zone_word(local: datetime, locale: str) -> str:
    """CLDR's long name of the zone time a wall clock reads ("hora estándar oriental", "Eastern Daylight Time"),
    its offset ("GMT-05:00") where CLDR names none. `local` is aware, in a `ZoneInfo` zone."""
    zone = str(getattr(local.tzinfo, "key", local.tzname()))
    offset = local.utcoffset()
    # Summer time is the larger of the year's offsets, as CLDR counts it: tzdata gives Dublin's winter a negative DST
    # (its standard time is summer's), and Babel, reading dst() != 0, would call Dublin's GMT "Irish Standard Time".
    others = [local.replace(month=month, day=1).utcoffset() for month in (1, 7)]
    summer = offset is not None and any(other is not None and offset > other for other in others)
    variant: Literal["daylight", "standard"] = "daylight" if summer else "standard"

    def ask() -> str:
        from babel.dates import get_timezone_name

        return get_timezone_name(local, "long", zone_variant=variant, locale=babel_locale(locale))

    return _word(f"zone\t{locale}\t{zone}\t{variant}\t{offset}", ask)


def city_word(zone: str, locale: str) -> str:
    """CLDR's name of a zone's city in the locale ("Nueva York", "Bogotá", "Tokio"); its IANA name's last part
    ("Troll") where CLDR has none; a fixed offset's localized GMT format ("GMT-05:00" for Etc/GMT+5)."""
    def ask() -> str:
        from zoneinfo import ZoneInfo

        from babel.dates import get_timezone_gmt, get_timezone_location

        clock = ZoneInfo(zone)
        moment = datetime(2000, 1, 1, tzinfo=clock)  # any instant: an Etc zone never changes its offset
        # Etc/GMT+5 is five hours behind (POSIX's sign): its last part, "GMT+5", would say the opposite. CLDR names a
        # zone without a city by its offset, as Babel does not here; one without an offset ("Etc/UTC") stays "UTC".
        if zone.startswith("Etc/GMT") and moment.utcoffset():
            return get_timezone_gmt(moment, locale=babel_locale(locale))
        return get_timezone_location(clock, locale=babel_locale(locale), return_city=True)

    return _word(f"city\t{locale}\t{zone}", ask)


def territory_word(name: str, original: str, locale: str) -> str:
    """CLDR's name in the locale of the country or region that `name` is CLDR's name of in the `original` locale, accents
    and case aside ("Peru" → "Perú", "European Union" → "Unión Europea", "Colombia" → "Colombia"); "" when it names none."""
    def ask() -> str:
        code = _territories(original).get(fold(name))
        return str(babel_locale(locale).territories.get(code, "")) if code else ""

    return _word(f"territory\t{original}\t{locale}\t{name}", ask)


@cache
def _territories(locale: str) -> dict[str, str]:
    """The code of each country or region CLDR names in the locale, by its name folded as `fold` folds."""
    return {fold(str(name)): code for code, name in babel_locale(locale).territories.items()}


def zone_id(zone: str) -> str:
    """CLDR's one id for a zone the tz database also spells another way, from Babel's zone aliases ("Asia/Kolkata" for
    its link "Asia/Calcutta", "America/New_York" for "US/Eastern"); the zone itself when it is that id or has none."""
    def ask() -> str:
        from babel.core import get_global

        return str(get_global("zone_aliases").get(zone, zone))

    return _word(f"zone_id\t{zone}", ask)


# The patterns whose literal words ("de" in "d 'de' MMMM 'de' y") a written date may hold.
_DATE_FORMATS = ("full", "long", "medium")
_DATE_SKELETONS = ("yMMMM", "MMMMd", "yMMMMd", "yMMMMEEEEd")


@cache
def calendar_words(locale: str) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """CLDR's month names in the locale (wide and abbreviated, in a date and standing alone) with their numbers, and the
    other words a written date holds: weekday names and the literal words of its date patterns ("de")."""
    data = babel_locale(locale)
    months = tuple(
        (str(name), int(number))
        for context in ("format", "stand-alone") for width in ("wide", "abbreviated") for number, name in data.months[context][width].items()
    )
    weekdays = [str(name) for context in ("format", "stand-alone") for width in ("wide", "abbreviated") for name in data.days[context][width].values()]
    patterns = [data.date_formats[name].pattern for name in _DATE_FORMATS]
    patterns += [str(data.datetime_skeletons[name]) for name in _DATE_SKELETONS if name in data.datetime_skeletons]
    literals = [word for pattern in patterns for word in re.findall(r"'([^']+)'", pattern)]
    return months, tuple(weekdays + literals)
