"""The passages an edit kept, recalled when it changed what they stand behind: a new date under an old passage is a
date no source gives until the admin checks it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.core.admin.shown import changed_keys
from bot.core.catalogue import Catalogue
from bot.core.cldr import babel_locale
from bot.core.fields import Field
from bot.core.model import Briefing
from bot.core.registry import local_field, readers_text
from bot.core.text import shortened

# About a sentence of the first passage: enough to recognise it, as a form would show it whole.
RECALLED = 160


def kept_note(
    fields: Iterable[Field], before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, briefing: Briefing, cat: Catalogue,
    naming: tuple[str, str] = ("", ""),
) -> str:
    """"Its passage is unchanged: “…” (publisher). Check it still supports the new date…, or … add one that does with
    passage:"…"" when an edit changed a field the item's passages attest (`Field.attested`) and left the passages as they
    were; "" otherwise. `naming`: how commands are typed where it is read (Request.command_naming), for the option's word."""
    evidence = (before or {}).get("evidence") or []
    if not evidence or (after or {}).get("evidence") != evidence:
        return ""
    attested = {f.name for f in fields if f.attested}
    changed = [key for key in changed_keys(before or {}, after or {}) if key in attested]
    if not changed:
        return ""
    from babel.lists import format_list  # here: most answers need no list, and Babel's import weighs on a cold `ask`

    first = evidence[0]
    publishers = {source.id: source.publisher for source in briefing.sources}
    return readers_text(
        cat, "admin.passage_kept", naming, n=len(evidence), passage=cat("admin.value", value=shortened(first["passage"], RECALLED)),
        source=publishers.get(first["source"], first["source"]), fields=format_list([local_field(key, cat.locale) for key in changed], locale=babel_locale(cat.cldr)),
    )
