"""`set … lang:es`: fields' text in one language, written where readers of that language read it, and what an edit's
answer tells those readers.

The text goes into the field's translation into that language, or into the original where the field's own text is
written in it (the briefing's language; a quote's words, the quote's). Either way it is pack data validated as a
pack's `translations:` are, and logged as the item's edit, so history shows it and undo puts the item back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot.core.catalogue import Catalogue
from bot.core.fields import Field
from bot.core.localize import language_name_in
from bot.core.registry import local_field
from bot.errors import UserError

TRANSLATIONS = "translations"


def original_language(field: Field, item: Mapping[str, Any], written_in: str) -> str:
    """The language a field's own text is in: someone's words (a quote's) in their item's `language` where it gives one,
    any other text in the briefing's, `written_in`."""
    return str(item.get("language") or written_in) if field.verbatim else written_in


def translating(
    fields: Iterable[str], by_name: Mapping[str, Field], item: Mapping[str, Any], language: str, written_in: str, kind: str,
) -> set[str]:
    """The fields whose value is their translation into `language` (none without one): those whose own text is in another.
    One with no translation to set is refused, naming those that have one."""
    found = {name for name in fields if language and original_language(by_name[name], item, written_in) != language}
    for name in found:
        if not settable(by_name[name]):
            raise untranslatable(name, kind, [f.name for f in by_name.values() if settable(f)])
    return found


def settable(field: Field) -> bool:
    """Whether `set lang:` gives the field's translation: a text a reader reads, edited in chat (the venue's label among
    them, whose translation is the pack's `translations.<language>.zones` entry: bot/core/admin/head.py)."""
    return field.translatable and field.editable


def untranslatable(name: str, kind: str, translated: Iterable[str]) -> UserError:
    """The refusal of a translation of a field that has none, naming those that have one."""
    return UserError("admin.not_translatable", field=name[:40], kind=kind, fields=tuple(translated))


def with_translation(data: Mapping[str, Any], language: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Pack data with `values` as its translations into `language`: an empty value (None, "", []) takes that one out, and
    a language left with none goes, as a pack would leave it out."""
    given = {lang: dict(fields) for lang, fields in (data.get(TRANSLATIONS) or {}).items()}
    mine = given.setdefault(language, {})
    for name, value in values.items():
        if not value:  # None, "" or []: nothing to read in that language
            mine.pop(name, None)
        else:
            mine[name] = value
    kept = {lang: fields for lang, fields in given.items() if fields}
    updated = {key: value for key, value in data.items() if key != TRANSLATIONS}
    return {**updated, TRANSLATIONS: kept} if kept else updated


def translations_note(
    fields: Mapping[str, Field], before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, written_in: str, cat: Catalogue,
    again: Callable[[str, str], str] | None = None,
) -> str:
    """What readers of each language now see of each field whose translation the change set, changed or took out, a line
    each: their text in place of the original (beside someone's words, labelled as a translation), or the original marked
    untranslated. A translation an edit of its original dropped says how to give one again (`again(field, language)`, the
    command line). "" when no translation changed, or the item is gone."""
    if before is None or after is None:
        return ""
    was, now = before.get(TRANSLATIONS) or {}, after.get(TRANSLATIONS) or {}
    lines = []
    for language in dict.fromkeys([*was, *now]):
        old, new = was.get(language) or {}, now.get(language) or {}
        for key in dict.fromkeys([*old, *new]):
            field = fields.get(key)
            if field is None or old.get(key) == new.get(key):
                continue
            original = original_language(field, after, written_in)
            if original == language and not field.verbatim:  # never shown: readers of the original's language read it as written
                continue
            words = {"field": local_field(field.name, cat.locale), "language": language_name_in(language, cat), "original": language_name_in(original, cat)}
            if new.get(key):
                lines.append(cat("admin.translation_words" if field.verbatim else "admin.translation_shown", **words))
                continue
            gone = cat("admin.translation_gone", **words)
            hint = again(field.name, language) if again is not None and before.get(key) != after.get(key) else None
            lines.append(cat("admin.translation_again", text=gone, line=hint) if hint else gone)
    return "\n".join(lines)
