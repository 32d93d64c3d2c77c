"""Whose language an answer is in, and CLDR's words for it (through Babel), so no table is hand-made.

A reader's locale arrives as whatever the platform says ("es-419", "es_CO", "en-US", "pt-BR"); the
bot speaks the languages it has a catalogue for and answers everyone else in English.
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"
# BCP 47's code for a language not determined: a quote's `translated_from` when the source gives the words translated
# (through an interpreter, say) without naming the language spoken. Babel reads it as en_US, so it is never parsed.
UNDETERMINED = "und"
# The CLDR locale whose conventions each catalogue's language writes in: the English catalogue is
# British ("3 February 2026", "Organisation"), the Spanish one neutral Spanish.
CLDR_LOCALES = {"en": "en_GB", "es": "es"}


def language_of(*candidates: str | None) -> str:
    """The first candidate the bot speaks, by its language alone (es-ES, es-419, es_LA → "es"); else English."""
    for candidate in candidates:
        language = (candidate or "").replace("_", "-").split("-")[0].strip().lower()
        if language in CLDR_LOCALES:
            return language
    return DEFAULT_LANGUAGE


def spoken_language(value: str) -> str:
    """The language of a locale the operator chose (config `locale:`, `--locale`); ValueError when the bot lacks it.

    Unlike a platform's locale, an operator's choice that the bot cannot honour is a mistake to name, not English.
    """
    language = value.replace("_", "-").split("-")[0].strip().lower()
    if language not in CLDR_LOCALES:
        raise ValueError(f"expected one of {', '.join(CLDR_LOCALES)} (or a variant such as es-CO)")
    return language


def typed_language(value: str) -> str:
    """The language an admin's typed code names, by its first part as platforms' locales are read (es-MX, es_419, ES →
    es; pt-BR → pt), so every language field takes a variant alike; else the text as typed, for the field's check to
    refuse in its own words."""
    first = value.replace("_", "-").split("-")[0].strip()
    return first.lower() if 2 <= len(first) <= 3 and first.isascii() and first.isalpha() else value


def cldr_identifier(language: str) -> str:
    """The CLDR locale behind one of the bot's languages ("en_GB"); Babel parses it at the first word asked of it."""
    return CLDR_LOCALES.get(language, CLDR_LOCALES[DEFAULT_LANGUAGE])


def language_name(language: str) -> str:
    """A language's own name in itself, from CLDR ("English", "español"), so a reader recognises theirs."""
    from babel import Locale  # here: a cold `ask` of most commands never names a language, and Babel's import weighs on it

    return Locale.parse(language).get_display_name() or language  # the bare language: "English", not "English (UK)"
