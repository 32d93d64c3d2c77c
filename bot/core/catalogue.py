"""Every user-facing sentence, by key and locale, so a translation never touches command code.

A value is a `str.format` template, or a (singular, plural) pair chosen by the `n` parameter.
Add a locale by adding a dictionary to `CATALOGUES` with the same keys; missing keys fall back to
English, so a partial translation still works.
"""

from __future__ import annotations

from typing import Any

from bot.core.catalogue_en import EN

Template = str | tuple[str, str]
CATALOGUES: dict[str, dict[str, Template]] = {"en": EN}
DEFAULT_LOCALE = "en"


class Catalogue:
    """The messages of one locale; calling it renders a key with its parameters."""

    __slots__ = ("_messages", "locale")

    def __init__(self, locale: str = DEFAULT_LOCALE) -> None:
        base = locale.split("-")[0].split("_")[0].lower()
        self.locale = base if base in CATALOGUES else DEFAULT_LOCALE
        self._messages = CATALOGUES[self.locale]

    def __call__(self, key: str, **params: Any) -> str:
        template = self._messages.get(key) or EN.get(key)
        if template is None:
            raise KeyError(f"no message for {key!r}")
        if isinstance(template, tuple):
            template = template[0] if params.get("n") == 1 else template[1]
        return template.format(**params) if params else template

    def has(self, key: str) -> bool:
        """True when the key exists in this locale or in English."""
        return key in self._messages or key in EN


def catalogue_for(locale: str) -> Catalogue:
    """The catalogue for a locale, cached because replies are rendered on a hot path."""
    found = _CACHE.get(locale)
    if found is None:
        found = _CACHE[locale] = Catalogue(locale)
    return found


_CACHE: dict[str, Catalogue] = {}
