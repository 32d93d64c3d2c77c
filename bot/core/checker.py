"""A small collector of validation problems: every check records and continues, nothing raises early."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.core.dates import FIRST_YEAR, LAST_YEAR, DateOutOfRange, FuzzyDate, check_year
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.core.zones import places_meant, zone_named, zone_spelled_like
from bot.errors import MAX_PROBLEMS, PackError, PackProblem, key_as_written

ID_LIMIT = 64  # the longest id, which an input for one takes
# Matched with fullmatch: `$` would also accept a trailing newline. [0-9], not \d: no other digits.
IDENT = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{ID_LIMIT - 1}}}")
CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
LOCAL_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]")
MAX_TEXT = 4000
MAX_URL = 500
_STEP = re.compile(r"[.\[]")  # where a path goes down a level: `timeline[3].title`
# Characters a URL never holds unescaped (RFC 3986 leaves them out); `<>|` would also break Slack's
# `<url|label>` and Discord's markup around the link.
_NOT_IN_URL = re.compile(r'[<>|"{}\\^`]')
# Every line break becomes "\n" (YAML would turn the others into spaces on the way back), and other
# control characters have no place in a briefing.
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
_ODD_BREAK = "[\r\x85\u2028\u2029]"
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]"
# Invisible format characters (Unicode's category Cf) hide or reorder what a reader sees: a right-to-left override
# (U+202E) shows letters backwards, a zero-width space or a tag splits or smuggles words unseen. Kept are those real
# text needs: the soft hyphen (U+00AD) text copied from web pages holds; the joiners U+200C and U+200D of Persian, of
# Indic scripts and of emoji sequences (👨‍👩‍👧); the direction marks U+200E, U+200F and U+061C that Arabic and Hebrew
# text uses, which set the side of a neutral sign but never reorder letters; and the visible signs that span the
# digits after them (U+0600–U+0605…). Links drop them all before reading a label (`links.label_fits`).
# tests/test_pack_validation.py checks this list against the running Python's unicodedata.
_INVISIBLE = (
    "[\u180e\u200b\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufff9-\ufffb\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
# A line break in a one-line field (a title, a name, a label: `Field.line`) splits an answer's line and a list's entry.
LINE_BREAK = "pack.line_break"
# Earlier releases accepted these: a state the store held (an undo puts it back) may hold any (`pack.py`'s `_held`).
INVISIBLE_CHARACTER = "pack.invisible_character"
# A clock abbreviation the tz database also has as a zone (EST, CET, HST…): it is one place's clock, never the clock of the
# places it is typed for (EST: Panama's UTC−5 all year, not New York's), so it is refused where a zone is typed.
ZONE_ABBREVIATION = "pack.zone_abbreviation"
ACCEPTED_BEFORE = frozenset({INVISIBLE_CHARACTER, LINE_BREAK, ZONE_ABBREVIATION})
# Half of a UTF-16 pair on its own (a JSON pack may write one as "\ud800") is no character: no UTF-8 text holds it.
_SURROGATE = "[\ud800-\udfff]"
ODD = f"{_ODD_BREAK[:-1]}{_CONTROL[1:-1]}{_INVISIBLE[1:-1]}{_SURROGATE[1:-1]}]"  # any of the four (a pattern: compiled below)


@cache
def _odd_text() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The patterns above (any odd character, an odd break, a control character, an invisible one, a surrogate), compiled at
    the first pack checked.

    Characters beyond Latin-1 make `re` build a 64K-entry table for each: work that a start checking no pack (a
    one-shot `ask`) need not do.
    """
    return re.compile(ODD), re.compile(_ODD_BREAK), re.compile(_CONTROL), re.compile(_INVISIBLE), re.compile(_SURROGATE)


class Checker:
    """Typed getters that report problems with their path and return None instead of raising."""

    def __init__(self, file: str, language: str = DEFAULT_LANGUAGE, excused: Callable[[str, str], bool] | None = None) -> None:
        self.file = file
        # Problems (path, key) not reported at all: a pack the store once held may lack what a rule made since requires.
        self._excused = excused
        # The language the pack's own text is in: what a quote's words are in when it names none.
        self.language = language
        self.problems: list[PackProblem] = []  # the first MAX_PROBLEMS
        self.more = 0  # problems found past them, counted only
        self._missing: set[str] = set()
        self._under: set[str] = set()  # each path reported, and every path it lies under
        self._odd, self._odd_break, self._control, self._invisible, self._surrogate = _odd_text()

    def excuses(self, path: str, key: str) -> bool:
        """Whether the problem `key` at `path` goes unreported: the state checked is one the store held (`excused`)."""
        return self._excused is not None and self._excused(path, key)

    def report(self, path: str, key: str, **params: Any) -> None:
        """Record one problem at `path`; a key already reported missing gets no second complaint."""
        if path in self._missing or self.excuses(path, key):
            return
        if key == "pack.missing":
            self._missing.add(path)
        self._under.add(path)
        self._under.update(path[:match.start()] for match in _STEP.finditer(path))
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(PackProblem(self.file, path, key, tuple(params.items())))
        else:
            self.more += 1

    def reword(self, path: str, key: str, new: str, **params: Any) -> None:
        """Say the problem `key` reported at `path` as `new`, once a later check knows more of it (the id a name was given for)."""
        for n, problem in enumerate(self.problems):
            if problem.path == path and problem.key == key:
                self.problems[n] = PackProblem(self.file, path, new, tuple(params.items()))

    def reported_under(self, path: str) -> bool:
        """Whether a problem was reported at `path` or under it (`path.key`, `path[n]`), at once however many there are."""
        return path in self._under

    def error(self) -> PackError:
        """The PackError of the problems reported."""
        return PackError(self.problems, self.more)

    def mapping(self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Mapping[str, Any] | None:
        """A mapping with exactly these keys; unknown and missing keys are each reported."""
        if not isinstance(value, Mapping):
            self.report(path, "pack.expected", expected="mapping", got=kind_of(value))
            return None
        for key in value:
            if key not in required and key not in optional:
                # Allowed keys as written too: a head's sides are keyed as the pack gives them (`1:` a number, refused there).
                self.report(_join(path, key_as_written(key)), "pack.unknown_key", allowed=", ".join(map(key_as_written, (*required, *optional))))
        for key in required:
            if key not in value:
                self.report(_join(path, key), "pack.missing")
        return value

    def sequence(self, value: Any, path: str) -> list[Any]:
        """A list (an absent list is empty)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(path, "pack.expected", expected="list", got=kind_of(value))
            return []
        return value

    def text(self, value: Any, path: str, *, empty: bool = False, limit: int = MAX_TEXT, line: bool = False) -> str | None:
        """A string, non-empty unless allowed, at most `limit` characters; of one line when `line` (any break counts: each
        of \r, U+0085, U+2028 and U+2029 became "\n" above)."""
        if not isinstance(value, str):
            self.report(path, "pack.expected", expected="text", got=kind_of(value))
            return None
        text: str = value  # typed, so what is done to it below stays a str to the type checker
        odd = self._odd.search(text) is not None  # one search for both rare cases: a pack has hundreds of thousands of texts
        if odd and self._odd_break.search(text):  # translate() is slow enough to matter per field
            text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
        text = text.strip()
        if odd and self._control.search(text):
            self.report(path, "pack.control_character")
            return None
        if odd and (hidden := self._invisible.search(text)) and not self.excuses(path, INVISIBLE_CHARACTER):
            char = hidden.group()
            self.report(path, INVISIBLE_CHARACTER, code=f"U+{ord(char):04X}", name=unicodedata.name(char, "?"))
            return None
        if odd and self._surrogate.search(text):
            self.report(path, "pack.lone_surrogate")
            return None
        if line and "\n" in text and not self.excuses(path, LINE_BREAK):
            self.report(path, LINE_BREAK)
            return None
        if not text and not empty:
            self.report(path, "pack.empty")
            return None
        if len(text) > limit:
            self.report(path, "pack.too_long", limit=limit)
            return None
        return text

    def optional_text(self, value: Any, path: str, limit: int = MAX_TEXT, line: bool = False) -> str | None:
        """Text that may be absent (None). Given empty, it is refused with what to do instead: absent is the one way to
        say a source gives none, which answers then say ("not announced")."""
        if value is None:
            return None
        found = self.text(value, path, empty=True, limit=limit, line=line)
        if found == "":
            self.report(path, "pack.empty_optional")
            return None
        return found

    def texts(self, value: Any, path: str) -> tuple[str, ...]:
        """A list of non-empty strings, each of one line: a form shows a list one item a line (an aim, a topic, a side's name)."""
        found = (self.text(item, f"{path}[{n}]", limit=500, line=True) for n, item in enumerate(self.sequence(value, path)))
        return tuple(item for item in found if item is not None)

    def url(self, value: Any, path: str) -> str | None:
        """An absolute http(s) URL with a host, no credentials and nothing that would break a link; or absent."""
        if value is None:
            return None
        if not isinstance(value, str):
            self.report(path, "pack.expected", expected="text", got=kind_of(value))
            return None
        if len(value) > MAX_URL:
            self.report(path, "pack.too_long", limit=MAX_URL)
            return None
        if not _web_address(value):
            self.report(path, "pack.bad_url")
            return None
        return value

    def ident(self, value: Any, path: str) -> str | None:
        """A stable id: lower-case letters, digits, '-' and '_'. One YAML read as a number or a boolean (`1:`, `no:`) says to quote it."""
        if not isinstance(value, str) or not IDENT.fullmatch(value):
            if isinstance(value, bool):
                self.report(path, "pack.boolean_id")
            elif type(value) is int and IDENT.fullmatch(str(value)):
                self.report(path, "pack.number_id", value=value)
            else:
                self.report(path, "pack.bad_id")
            return None
        return value

    def idents(self, value: Any, path: str) -> tuple[str, ...]:
        """A list of ids."""
        listed = self.sequence(value, path)
        if all(type(item) is str and IDENT.fullmatch(item) for item in listed):  # the common case: no path is built
            return tuple(listed)
        found = (self.ident(item, f"{path}[{n}]") for n, item in enumerate(listed))
        return tuple(item for item in found if item is not None)

    def boolean(self, value: Any, path: str) -> bool:
        """true or false."""
        if not isinstance(value, bool):
            self.report(path, "pack.expected", expected="boolean", got=kind_of(value))
            return False
        return value

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> str | None:
        """One of a fixed set of words."""
        if value not in choices:
            self.report(path, "pack.bad_choice", choices=", ".join(choices))
            return None
        return str(value)

    def date(self, value: Any, path: str) -> FuzzyDate | None:
        """YYYY, YYYY-MM, YYYY-MM-DD or a START/END range of those (a bare year may be a number)."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            try:
                return FuzzyDate.parse(value)
            except DateOutOfRange:
                self.report(path, "pack.date_out_of_range", first=FIRST_YEAR, last=LAST_YEAR)
                return None
            except ValueError:
                pass
        self.report(path, "pack.bad_date")
        return None

    def optional_date(self, value: Any, path: str) -> FuzzyDate | None:
        """A date that may be absent."""
        return None if value is None else self.date(value, path)

    def zone(self, value: Any, path: str, limit: int) -> str | None:
        """An IANA zone name such as America/Bogota, spelled as the tz database spells it (packs stay one spelling); not a
        clock abbreviation (EST), which is refused naming the places it may mean, as `subscribe tz:` refuses it. `limit`:
        the field's (`kinds.ZONE_LIMIT`), what a form's input for it takes; a longer value is no zone's name misspelled."""
        if isinstance(value, str) and len(value) > limit:
            self.report(path, "pack.zone_too_long", limit=limit)
            return None
        named = zone_named(value) if isinstance(value, str) else None
        places = places_meant(value) if isinstance(value, str) else ()
        if named is not None and named == value and (not places or self.excuses(path, ZONE_ABBREVIATION)):
            return named
        if places:
            self.report(path, ZONE_ABBREVIATION, value=value[:40], zones=", ".join(places))
            return None
        meant = named or (zone_spelled_like(value) if isinstance(value, str) else None)
        if meant is not None:  # only its capitals, spaces around it or its spelling are wrong: say which zone it is
            self.report(path, "pack.zone_spelling", zone=meant)
        else:
            self.report(path, "pack.bad_zone")
        return None

    def clock(self, value: Any, path: str) -> str | None:
        """HH:MM on a 24-hour clock, or absent."""
        if value is None:
            return None
        if isinstance(value, str) and CLOCK.fullmatch(value):
            return value
        self.report(path, "pack.bad_time")
        return None

    def local_datetime(self, value: Any, path: str, zone: str | None) -> datetime | None:
        """YYYY-MM-DDTHH:MM on the wall clock of `zone`, as an aware UTC datetime."""
        if value is None:
            return None
        if not isinstance(value, str) or not LOCAL_DATETIME.fullmatch(value):
            self.report(path, "pack.bad_datetime")
            return None
        try:
            naive = datetime.fromisoformat(value)
        except ValueError:
            self.report(path, "pack.bad_datetime")
            return None
        try:
            check_year(naive.year)  # a start near year 1 or 9999 overflows in UTC or in another zone
        except DateOutOfRange:
            self.report(path, "pack.date_out_of_range", first=FIRST_YEAR, last=LAST_YEAR)
            return None
        if zone is None:
            return None
        tz = ZoneInfo(zone)
        local = naive.replace(tzinfo=tz)
        utc = local.astimezone(UTC)
        if utc.astimezone(tz).replace(tzinfo=None) != naive:
            self.report(path, "pack.nonexistent_time", zone=zone)
            return None
        return utc


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# The kinds of value a pack holds, by the word a problem names them with (`value_kind.<word>` in the catalogue).
_KINDS = {bool: "boolean", int: "number", float: "number", str: "text", list: "list", dict: "mapping",
          date: "date", datetime: "date", bytes: "binary"}


def kind_of(value: Any) -> str:
    """What kind of value a pack gave, as `pack.expected`'s `got` names it: "nothing", "text", "list", …"""
    if value is None:
        return "nothing"
    return _KINDS.get(type(value), "other")


def _web_address(text: str) -> bool:
    """True for http(s)://host[:port]/… that a reader can open as written."""
    # Whitespace ends a link early; controls and invisible format characters (Unicode C*, Z*) hide
    # where it really goes.
    if _NOT_IN_URL.search(text) or any(unicodedata.category(ch)[0] in "CZ" for ch in text):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:  # "http://[::1" and the like
        return False
    # A user name in front of the host ("https://bank.example@evil.example") only misleads a reader.
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc
