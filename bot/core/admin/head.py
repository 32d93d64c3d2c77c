"""`set kind:briefing …`: the briefing's head (title, summary and its passages, the venue's zone and label) edited in chat.

A briefing made with `/briefing new` starts with placeholders there, which nothing else in chat reaches. The head is
logged as pack data (`head_data`) under the revision kind "head", so history, undo and stale edits treat it as an item.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec.structs import replace

from bot.core.admin.edits import Edited, evidence_value, field_value, invalid
from bot.core.catalogue import Catalogue
from bot.core.kinds import HEAD, HEAD_FIELDS
from bot.core.model import Briefing
from bot.core.pack import head_data, with_head
from bot.errors import PackError, UserError

FIELDS = {f.name: f for f in HEAD_FIELDS}
# The fields of the head's pack data an edit may change (`zone` and `label` are its first zone's), as history shows them.
SHOWN = ("title", "summary", "zones", "evidence")
VENUE = "briefing.zones[0]"  # the pack path of the zone that `zone:` and `label:` set


def edit_head(briefing: Briefing, fields: Mapping[str, str], cat: Catalogue, cite: str) -> Edited:
    """The briefing with its head's fields set, checked as the pack loader checks a head; new passages cite `cite`."""
    for name in fields:
        if name not in FIELDS:
            raise UserError("admin.unknown_field", field=name[:40], kind=HEAD, fields=", ".join(FIELDS))
    values = {name: field_value(FIELDS[name], raw) for name, raw in fields.items()}
    before = head_data(briefing)
    after = dict(before)
    for name in ("title", "summary"):
        if name in values:
            after[name] = values[name] or ""
    if "zone" in values or "label" in values:
        venue, *others = before["zones"]
        after["zones"] = [{"zone": values.get("zone", venue["zone"]) or "", "label": values.get("label", venue["label"]) or ""}, *others]
    if "evidence" in values:
        if cite and all(source.id != cite for source in briefing.sources):  # a passage names a source readers can look up
            raise UserError("admin.evidence_needs_source", source=cite[:100])
        after["evidence"] = evidence_value(values["evidence"] or "", before["evidence"], cite)
        if any(not piece["source"] for piece in after["evidence"]):  # the head has no sources of its own to default to
            raise UserError("admin.head_needs_source")
    if "translations" in before:
        after = _translations_kept(before, after)
    return restore_head(briefing, after, cat)


def restore_head(briefing: Briefing, target: Mapping[str, Any], cat: Catalogue) -> Edited:
    """The briefing with its head set to `target` (pack data as `head_data` writes it), validated; for an edit and an undo."""
    try:
        edited = with_head(briefing, target, "edit")
    except PackError as error:  # named as typed: `zone:` is the first zone's
        named = [replace(problem, path=problem.path.replace(f"{VENUE}.", "briefing.")) for problem in error.problems]
        raise invalid(PackError(named), None, None, cat, prefix="briefing.") from None
    return Edited(edited, head_data(briefing), head_data(edited))


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
