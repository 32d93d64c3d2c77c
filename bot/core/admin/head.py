"""`set kind:briefing …`: the briefing's head (title, summary and its passages, the venue's zone and label, the language
its text is written in) edited in chat.

A briefing made with `/briefing new` starts with placeholders there, which nothing else in chat reaches. The head is
logged as pack data (`head_state`: the `briefing:` mapping and the pack's `language:`) under the revision kind "head",
so history, undo and stale edits treat it as an item.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from msgspec.structs import replace

from bot.core.admin.edits import Edited, evidence_value, field_value, invalid, with_passages
from bot.core.admin.translated import TRANSLATIONS, translating, with_translation
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.checker import Checker
from bot.core.i18n import CLDR_LOCALES
from bot.core.kinds import HEAD, HEAD_FIELDS, PACK_KINDS, items_of, quotes_in_language
from bot.core.localize import language_name_in, place_in
from bot.core.model import Briefing, translation
from bot.core.pack import head_data, with_head
from bot.errors import PackError, UserError

FIELDS = {f.name: f for f in HEAD_FIELDS}
# The fields of the head's pack data an edit may change (`zone` and `label` are its first zone's), as history shows them.
SHOWN = ("title", "summary", "zones", "evidence", "language")
VENUE = "briefing.zones[0]"  # the pack path of the zone that `zone:` and `label:` set
LANGUAGE = "language"  # the pack's top-level key, logged with the head since an edit of the head changes it
ZONES = "zones"  # the head's zones, and the key of their labels' translations


def head_state(briefing: Briefing, like: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The head as its revisions log it: the pack's `briefing:` mapping and its `language:`. `like`, a head a revision
    logged: one logged before the language was a head field has none, and is compared without it."""
    state = head_data(briefing)
    if like is None or LANGUAGE in like:
        state[LANGUAGE] = briefing.language
    return state


def edit_head(briefing: Briefing, fields: Mapping[str, str], cat: Catalogue, cite: str, language: str = "", passage: str = "") -> Edited:
    """The briefing with its head's fields set, checked as the pack loader checks a head; new passages cite `cite`.
    `language`: the fields' text is in it (`set lang:`); in another than the briefing's, they are its translations.
    `passage`: passages added to the summary's (`set passage:`)."""
    for name in fields:
        if name not in FIELDS:
            raise UserError("admin.unknown_field", field=name[:40], kind=HEAD, fields=tuple(FIELDS))
    if translating(fields, FIELDS, {}, language, briefing.language, HEAD):
        return _translated(briefing, fields, cat, language)
    values = {name: field_value(FIELDS[name], raw) for name, raw in fields.items()}
    before = head_state(briefing)
    after = dict(before)
    if LANGUAGE in values:  # read as typed by `field_value` (es-MX is es); a language the bot lacks is refused by `restore_head`
        after[LANGUAGE] = values[LANGUAGE] or ""
    for name in ("title", "summary"):
        if name in values:
            after[name] = values[name] or ""
    if "zone" in values or "label" in values:
        venue, *others = before["zones"]
        after["zones"] = [{"zone": values.get("zone", venue["zone"]) or "", "label": values.get("label", venue["label"]) or ""}, *others]
    if "evidence" in values or passage:
        if cite and all(source.id != cite for source in briefing.sources):  # a passage names a source readers can look up
            raise UserError("admin.evidence_needs_source", source=cite[:100])
        held = evidence_value(values["evidence"] or "", before["evidence"], cite) if "evidence" in values else before["evidence"]
        after["evidence"] = with_passages(held, passage, cite)
        if any(not piece["source"] for piece in after["evidence"]):  # the head has no sources of its own to default to
            raise UserError("admin.head_needs_source")
    if "translations" in before:
        after = _translations_kept(before, after)
    # `zone:` and `label:` set the first zone alone: another the store holds as an earlier release took it (EST) stays so.
    setting = {"zones[0]" if name in ("zone", "label") else name for name in values} | ({"evidence"} if passage else set())
    return restore_head(briefing, after, cat, setting)


def _translated(briefing: Briefing, fields: Mapping[str, str], cat: Catalogue, language: str) -> Edited:
    """The head with its title, summary or venue's label given in `language`: their translations into it. A pack gives a
    label's by the label (`translations.<language>.zones`), so the venue's goes in beside the other zones' labels."""
    values = {name: field_value(FIELDS[name], raw) for name, raw in fields.items()}
    state = head_state(briefing)
    if "label" in values:
        label, venue, labels = values.pop("label"), state[ZONES][0]["label"], dict(_labels(state, language))
        if label:
            labels[venue] = label
        else:  # "" clears it, as any translation's
            labels.pop(venue, None)
        values[ZONES] = labels
    return restore_head(briefing, with_translation(state, language, values), cat, {TRANSLATIONS})


def _labels(state: Mapping[str, Any], language: str) -> Mapping[str, str]:
    """A logged head's zones' labels translated into `language`, by the label."""
    return ((state.get(TRANSLATIONS) or {}).get(language) or {}).get(ZONES) or {}


def label_note(briefing: Briefing, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, cat: Catalogue,
               again: Callable[[str, str], str]) -> str:
    """What readers of each other language now read as the venue's place where its label's translation was set, changed or
    taken out: theirs, else the place as their language names its city or as written, which is never marked untranslated
    (`localize.place_in`). One an edit of the label dropped says how to give it again (`again(field, language)`)."""
    if before is None or after is None:
        return ""
    was_venue, venue = before[ZONES][0]["label"], after[ZONES][0]["label"]
    lines = []
    for language in (code for code in CLDR_LOCALES if code != briefing.language):
        was, now = _labels(before, language).get(was_venue), _labels(after, language).get(venue)
        if was == now:
            continue
        place = now or place_in(briefing.zones[0], briefing.language, catalogue_for(language))
        words = {"language": language_name_in(language, cat), "place": cat("admin.value", value=place)}
        if now:
            lines.append(cat("admin.label_shown", **words))
        elif was_venue != venue:
            lines.append(cat("admin.translation_again", text=cat("admin.label_gone", **words), line=again("label", language)))
        else:
            lines.append(cat("admin.label_gone", **words))
    return "\n".join(lines)


def restore_head(briefing: Briefing, target: Mapping[str, Any], cat: Catalogue, setting: Collection[str] | None = None) -> Edited:
    """The briefing with its head set to `target` (pack data as `head_state` writes it), validated; for an edit (of the keys
    `setting`) and an undo (None: a state the store held, `pack.with_item`'s `held`).
    A target logged before the language was a head field leaves the language as it is."""
    language = target.get(LANGUAGE, briefing.language)
    ck = Checker("edit", language)
    if language not in CLDR_LOCALES:  # as a pack's `language:` is checked
        ck.report(f"briefing.{LANGUAGE}", "pack.unknown_language", languages=", ".join(CLDR_LOCALES))
    elif language != briefing.language:  # a quote naming no language is in the new one: as a whole pack's check sees it
        quotes_in_language(ck, briefing.quotes)
    try:
        edited = with_head(briefing, {k: v for k, v in target.items() if k != LANGUAGE}, "edit", held=setting is None, setting=setting)
    except PackError as error:  # named as typed: `zone:` is the first zone's
        named = [replace(problem, path=problem.path.replace(f"{VENUE}.", "briefing.")) for problem in error.problems]
        raise invalid(PackError([*ck.problems, *named]), None, None, cat, prefix="briefing.") from None
    if ck.problems:
        raise invalid(PackError(ck.problems), None, None, cat, prefix="briefing.")
    edited = replace(edited, language=language)
    return Edited(edited, head_state(briefing, target), head_state(edited, target))


def language_note(briefing: Briefing, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, cat: Catalogue) -> str:
    """What a change of the briefing's language leaves readers of the other language (its `translations:` are theirs):
    how many items they now read marked untranslated, none when it is unchanged. `briefing` is the edited one."""
    was, now = (before or {}).get(LANGUAGE), (after or {}).get(LANGUAGE)
    if was is None or now is None or was == now:
        return ""
    parts = [briefing, *(item for kind in PACK_KINDS if any(f.translatable for f in kind.fields_all) for item in items_of(briefing, kind))]
    lines = []
    for other in (language for language in CLDR_LOCALES if language != briefing.language):
        missing = sum(1 for part in parts if not translation(part.translations, other))
        if missing:
            lines.append(cat("admin.language_untranslated", n=missing, total=len(parts), language=language_name_in(other, cat)))
    return "\n".join([cat("admin.language_set", language=language_name_in(briefing.language, cat)), *lines])


def _translations_kept(before: Mapping[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """A translation says what the original said: a title or summary that changed loses its translations, and a zone's
    label its translated labels, so readers see the new text untranslated rather than the old text in their language."""
    changed = {name for name in ("title", "summary") if before[name] != after[name]}
    labels = {zone["label"] for zone in after["zones"]}
    kept: dict[str, dict[str, Any]] = {}
    for language, fields in before["translations"].items():
        held = {name: value for name, value in fields.items() if name not in changed}
        if "zones" in held:
            held["zones"] = {label: text for label, text in held["zones"].items() if label in labels}
        held = {name: value for name, value in held.items() if value}
        if held:
            kept[language] = held
    after = {name: value for name, value in after.items() if name != "translations"}
    return {**after, "translations": kept} if kept else after
