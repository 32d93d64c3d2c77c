"""Every user-facing sentence, by key and locale, so a translation never touches command code.

A value is a `str.format` template, or a (one, other) pair of CLDR plural forms chosen by the `n`
parameter through the language's own plural rule (Babel), never by `n == 1`. A language whose
rule has more categories (Spanish's "many", for a million) uses "other" for them, as CLDR allows.
Add a locale by adding a dictionary to `CATALOGUES` with the same keys; a key missing from it falls
back to English, so a partial translation still works (tests/test_catalogue.py lists the gaps).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.core.catalogue_en import EN
from bot.core.catalogue_es import ES
from bot.core.cldr import number_word, plural_word
from bot.core.i18n import DEFAULT_LANGUAGE, cldr_identifier, language_of
from bot.core.replies import marked

Template = str | tuple[str, str]
CATALOGUES: dict[str, dict[str, Template]] = {"en": EN, "es": ES}
DEFAULT_LOCALE = DEFAULT_LANGUAGE


class Catalogue:
    """The messages of one locale; calling it renders a key with its parameters."""

    __slots__ = ("_messages", "cldr", "locale")

    def __init__(self, locale: str = DEFAULT_LOCALE) -> None:
        self.locale = language_of(locale)
        self.cldr = cldr_identifier(self.locale)  # "en_GB": what bot/core/cldr.py's words are asked in
        self._messages = CATALOGUES[self.locale]

    def __call__(self, key: str, **params: Any) -> str:
        template = self._messages.get(key) or EN.get(key)
        if template is None:
            raise KeyError(f"no message for {key!r}")
        if "n" not in params and type(template) is str:  # most messages: no count to write, no plural form to choose
            return template.format_map(params) if params else template
        if len(params) == 1 and "n" in params:  # a count alone: every list answer's title ("Agenda · 8")
            return _counted(self, key, params["n"])
        return self._formatted(template, params)

    def _formatted(self, template: Template, params: dict[str, Any]) -> str:
        """A message with a count: its plural form chosen and the count written the reader's way."""
        count = params.get("n")
        if isinstance(template, tuple):
            template = template[0] if isinstance(count, int) and _plural(self.locale, count) == "one" else template[1]
        if isinstance(count, int) and not isinstance(count, bool):
            # "1.234 resultados", "1,234 results": the count is a number, written the reader's way.
            params["n"] = _number(self.locale, count)
        return template.format(**params) if params else template

    def marked(self, key: str, **params: Any) -> str:
        """A message naming users, channels or commands (`Ref`, `Code` parameters), which each renderer writes its own
        way (`replies.Marked`); the str `__call__` gives when it names none."""
        template = self._messages.get(key) or EN[key]
        if not isinstance(template, str):  # a count's plural forms: no such message names anyone
            raise TypeError(f"{key!r} has plural forms")
        return marked(template, params)

    def has(self, key: str) -> bool:
        """True when the key exists in this locale or in English."""
        return key in self._messages or key in EN


# Counts repeat (pages, results, citations), and Babel's plural rule and number pattern cost more than
# the rest of a short answer together; both are pure functions of the language and the count.
@lru_cache(maxsize=4096)
def _plural(language: str, count: int) -> str:
    """CLDR's plural category of `count` in the language ("one", "other", …)."""
    return plural_word(count, cldr_identifier(language))


@lru_cache(maxsize=4096)
def _number(language: str, count: int) -> str:
    """`count` written the language's way ("1,234", "1234", "12.345")."""
    return number_word(count, cldr_identifier(language))


# Every list answer's title is a count alone ("Agenda · 8"), in page after page: written once per language, message
# and count.
@lru_cache(maxsize=4096)
def _counted(cat: Catalogue, key: str, count: object) -> str:
    """A message whose only parameter is its count, in `cat`'s language."""
    return cat._formatted(cat._messages.get(key) or EN[key], {"n": count})


# Asked several times per request with the platform's locale string as given ("en-US", "es-419"); the
# strings a platform sends are few, so each is mapped to its language's catalogue once.
@lru_cache(maxsize=256)
def catalogue_for(locale: str) -> Catalogue:
    """The catalogue for a locale, one per language (so the catalogues stay as few as the language list)."""
    language = language_of(locale)
    found = _CACHE.get(language)
    if found is None:
        found = _CACHE[language] = Catalogue(language)
    return found


_CACHE: dict[str, Catalogue] = {}
