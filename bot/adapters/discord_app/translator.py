"""Slash commands in the reader's language: discord.py's Translator fed from the core's catalogue and words.

Each localisable string carries what it means in its `extras` (`key=` a catalogue key, `params=` its
parameters); a command or option name is its own English identity. Discord shows the translation to
users whose client is set to es-ES or es-419 and still sends the English names back, so nothing
else in the adapter changes. English is the default text, so no English localisation is sent.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.core.catalogue import catalogue_for
from bot.core.i18n import DEFAULT_LANGUAGE, language_of
from bot.core.registry import in_readers_words, local_command, local_option

log = logging.getLogger(__name__)
DESCRIPTION_LIMIT = 100


def described(text: str, key: str, **params: Any) -> app_commands.locale_str:
    """A description (`text`, already in English) that the translator renders from `key` for other languages."""
    return app_commands.locale_str(fitted(text, key), key=key, params=params)


def fitted(text: str, key: str) -> str:
    """A description as Discord takes it, at most 100 characters. The catalogue's are written to fit (details belong in
    help; tests/test_discord_languages.py syncs every language): one that does not is cut, and the log names it."""
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    log.warning("description %s is %d characters, past Discord's %d: cut mid-sentence", key, len(text), DESCRIPTION_LIMIT)
    return text[: DESCRIPTION_LIMIT - 1].rstrip() + "…"


class CatalogueTranslator(app_commands.Translator):
    """Spanish (and any later catalogue language) names, descriptions and choices for the synced schema."""

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes) -> str | None:
        """The text for `locale`, or None (Discord then shows the English default)."""
        language = language_of(locale.value)
        if language == DEFAULT_LANGUAGE:
            return None
        # Names are lower-case words in bot/core/names_es.py; tests/test_discord_languages.py checks Discord's rules.
        if context.location is Where.command_name:
            return local_command(string.message, language)
        if context.location is Where.parameter_name:
            return local_option(string.message, language)
        key = string.extras.get("key")
        if key is None:
            return None
        # An option's kinds and other fixed values as this reader picks them from its list (`pregunta frecuente`, unquoted:
        # quotes are for a typed line), as help on Discord lists them.
        text = catalogue_for(language)(key, **in_readers_words(key, string.extras.get("params", {}), language, ("", ""), True))
        return fitted(text, f"{key} ({language})")

