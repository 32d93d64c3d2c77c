"""An edit as pack data: the briefing with one item set, added or removed, validated as the pack loader validates it."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import msgspec
import msgspec.structs

from bot.core import kinds
from bot.core.admin.translated import TRANSLATIONS, translating, with_translation
from bot.core.catalogue import Catalogue
from bot.core.fields import Field
from bot.core.i18n import typed_language
from bot.core.kinds import Kind, items_of
from bot.core.model import Briefing
from bot.core.pack import parse_pack, problem_message, with_item, without_item
from bot.core.registry import local_path
from bot.core.suggest import SUGGESTED_AMONG, closest
from bot.errors import PackError, UserError

YES, NO = frozenset({"yes", "true", "y", "1", "on", "sí", "si"}), frozenset({"no", "false", "n", "0", "off"})
Item = dict[str, Any]


class Edited(msgspec.Struct, frozen=True):
    """The validated briefing after an edit, and the item before and after as pack data, as the store holds it: what
    the revision logs, which a calendar, an undo and history read back."""

    briefing: Briefing
    before: Item | None
    after: Item | None

    def item(self, kind: Kind, item_id: str) -> Any:
        """The model item after the edit (None when removed)."""
        items = getattr(self.briefing, kind.section)  # Briefing fields are named like pack sections
        return next((i for i in items if i.id == item_id), None)

    def unchanged(self) -> bool:
        """Whether the item holds what it held, compared as the store keeps it: an emptied optional field that
        was absent, or a cleared outcome that was "", is no change."""
        return self.before is not None and self.after == self.before


def field_value(field: Field, raw: str, by_line: bool = False) -> Any:
    """A field's value from text, by its type: lists are comma-separated, yes/no fields are yes or no, a language is read
    by its code's first part, "" clears.

    A list of texts over several lines, or any form's answer (`by_line`), is one item a line, so an item may hold a comma
    (an aim "…, according to official sources"); one typed on one line keeps the comma rule it always had."""
    text = raw.strip()
    if field.type == "texts" and (by_line or "\n" in text):
        return [line.strip() for line in text.splitlines() if line.strip()]
    if field.type in ("idents", "texts"):
        return [part.strip() for part in text.split(",") if part.strip()]
    if field.type == "boolean":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise UserError("admin.bad_bool", field=field.name, value=text[:40])
    if field.type == "language":  # es-MX is Spanish in every language field, the head's and a quote's alike
        return typed_language(text) if text else None
    return text or None


def edit_pack(
    briefing: Briefing, kind: Kind, item_id: str, action: str, fields: Mapping[str, str], cat: Catalogue, cite: str = "",
    by_line: bool = False, language: str = "", passage: str = "",
) -> Edited:
    """Apply one add, edit or remove to the item's pack data and validate the result as the loader would.

    `cite`, a source id of the briefing given for the change, joins the item's own sources, so the
    public answers that show the item name it too. `by_line`: the fields are a form's answers (`field_value`).
    `language`: the fields' text is in it (`set lang:`), so a field whose own text is in another takes it as its
    translation into it (bot/core/admin/translated.py); a translation alone cites no source: it says what the original says.
    `passage`: passages added to those the item holds (`set passage:`), where `evidence:` replaces them.
    """
    for field in fields:
        if field not in kind.fields:
            raise UserError("admin.unknown_field", field=field[:40], kind=kind.name, fields=kind.fields)
    current = (item_data(briefing, kind, item_id) or {}) if language else {}  # a quote's words are in its own language
    translations = translating(fields, kind.by_name, current, language, briefing.language, kind.name)
    values: dict[str, Any] = {}
    for field, raw in fields.items():
        try:
            values[field] = field_value(kind.by_name[field], raw, by_line)
        except UserError as error:  # shown beside the field in a form, as validation problems are
            raise UserError(error.key, field_errors={field: cat(error.key, **error.params)}, **error.params) from None
    translated = {field: values.pop(field) for field in translations}
    if cite and action != "remove" and (values or not translated) and "sources" not in values and any(s.id == cite for s in briefing.sources):
        values["sources"] = None  # filled in below, from what the item cites now
    if "sources" in values and values["sources"] is None:
        current = item_data(briefing, kind, item_id) or {}
        cited = list(current.get("sources", []))
        values["sources"] = cited if cite in cited else [*cited, cite]
    if "evidence" in values or passage:
        if cite and all(s.id != cite for s in briefing.sources):  # a passage names a source readers can look up
            raise UserError("admin.evidence_needs_source", source=cite[:100])
        current = item_data(briefing, kind, item_id) or {}
        cited = values.get("sources") or current.get("sources") or [""]
        held = current.get("evidence", [])
        if "evidence" in values:
            held = evidence_value(values["evidence"] or "", held, cite or cited[0])
        values["evidence"] = with_passages(held, passage, cite or cited[0])
    items = items_of(briefing, kind)
    position = next((n for n, item in enumerate(items) if item.id == item_id), None)
    if action == "add":
        if position is not None:
            raise UserError("admin.exists", kind=kind.name, id=item_id)
        added = _checked(briefing, kind, len(items), _with({"id": item_id, **kind.added_with}, values, kind), cat)
        return Edited(added, None, _stored(added, kind, len(items)))
    if position is None:
        raise no_item(briefing, kind, item_id)
    before = kinds.item_data(kind, items[position])
    if action == "remove":
        return Edited(_without(briefing, kind, position, cat), before, None)
    data = _with(before, values, kind)
    if translated:
        data = with_translation(data, language, translated)
    edited = _checked(briefing, kind, position, data, cat, setting=[*values, *((TRANSLATIONS,) if translated else ())])
    return Edited(edited, before, _stored(edited, kind, position))


def evidence_value(text: str, current: list[Item], source: str) -> list[Item]:
    """Passages, one per paragraph, as pack evidence: a passage kept keeps its source, a new one cites `source`.

    A form shows the passages this way, so sending it back unchanged changes nothing.
    """
    kept = {piece["passage"]: piece["source"] for piece in current}
    passages = [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]
    return [{"source": kept.get(passage, source), "passage": passage} for passage in passages]


def with_passages(held: list[Item], text: str, source: str) -> list[Item]:
    """`held`, then each passage of `text` (one a paragraph, as `evidence_value` reads them) it lacks, citing `source`:
    what `set passage:` gives the item, so adding a passage never needs the others typed again."""
    kept = {piece["passage"] for piece in held}
    return [*held, *(piece for piece in evidence_value(text, [], source) if piece["passage"] not in kept)]


def restore_pack(briefing: Briefing, kind: Kind, item_id: str, target: Item | None, cat: Catalogue) -> Edited:
    """The briefing with one item put back as `target` (None: absent), validated; for undo. A restored item goes last.

    `target` is a state the store held the item in: one without passages (stored before migration 008) comes back so."""
    items = items_of(briefing, kind)
    position = next((n for n, item in enumerate(items) if item.id == item_id), None)
    before = None if position is None else kinds.item_data(kind, items[position])
    if target is None:
        return Edited(briefing if position is None else _without(briefing, kind, position, cat), before, None)
    others = items if position is None else (*items[:position], *items[position + 1 :])
    rest = msgspec.structs.replace(briefing, **{kind.section: others})  # what names the item still finds it: it comes back
    restored = _checked(rest, kind, len(others), target, cat, held=True)
    return Edited(restored, before, _stored(restored, kind, len(others)))


def _stored(briefing: Briefing, kind: Kind, position: int) -> Item:
    """The item at `position` as pack data, as the store keeps it: what the loader's rules gave it beyond the fields
    typed (a session typed without a zone is on the venue's clock) is logged too, so the log reads back what was stored."""
    return kinds.item_data(kind, items_of(briefing, kind)[position])


def _checked(
    briefing: Briefing, kind: Kind, position: int, raw: Item, cat: Catalogue, *, held: bool = False, setting: Collection[str] | None = None,
) -> Briefing:
    """The briefing with the item at `position` (added at the end) set to `raw`, checked as the loader checks it
    (`held`: as the store held it; `setting`: an edit's fields, the rest as the store holds it: `pack.with_item`)."""
    try:
        return with_item(briefing, kind, position, raw, "edit", held=held, setting=setting)
    except PackError as error:
        raise invalid(error, kind, position, cat) from None


def _without(briefing: Briefing, kind: Kind, position: int, cat: Catalogue) -> Briefing:
    """The briefing without one item, checked as the loader checks it: what is left may have named it."""
    try:
        return without_item(briefing, kind, position, "edit")
    except PackError as error:
        raise invalid(error, None, None, cat) from None


def validate(data: Mapping[str, Any], kind: Kind | None, position: int | None, cat: Catalogue, *, held: bool = False) -> Briefing:
    """The pack loader's own validation of a whole pack; problems in the item at `position` (if any) are named by field.

    `held`: a pack the store held (an undo puts it back), whose items may have no passages (`parse_pack`)."""
    try:
        return parse_pack(data, "edit", held=held)
    except PackError as error:
        raise invalid(error, kind, position, cat) from None


def invalid(error: PackError, kind: Kind | None, position: int | None, cat: Catalogue, prefix: str = "") -> UserError:
    """A pack's problems as an edit's refusal: each listed, those of the edited item (if any; else those under `prefix`)
    also by its field's name."""
    prefix = prefix if kind is None else f"{kind.section}[{position}]."
    lines: list[str] = []
    fields: dict[str, str] = {}
    for problem in error.problems:
        where = problem.path[len(prefix):] if prefix and problem.path.startswith(prefix) else problem.path
        # A form shows the field to fill, but a command line has nothing to say how passages are typed.
        untold = where == "evidence" and problem.key in ("pack.missing", "pack.no_evidence")
        message = cat("admin.evidence_missing") if untold else problem_message(problem, cat)
        lines.append(f"{local_path(where, cat.locale) if where != problem.path else where}: {message}")  # the item's fields as typed
        if where != problem.path:
            fields.setdefault(where.split(".")[0].split("[")[0], message)
    return UserError("admin.invalid", field_errors=fields, problems="; ".join(lines))


def _with(item: Item, values: Mapping[str, Any], kind: Kind) -> Item:
    updated = dict(item)
    for field, value in values.items():
        if value is None and field in kind.optional:
            updated.pop(field, None)
        else:
            updated[field] = value
    # A translation says what the original said: a field that changed loses its translations, so readers
    # see the new text marked untranslated rather than the old text in their language.
    changed = {field for field in values if item.get(field) != updated.get(field)}
    kept = {
        language: {name: value for name, value in fields.items() if name not in changed}
        for language, fields in updated.get("translations", {}).items()
    }
    updated.pop("translations", None)
    if any(kept.values()):
        updated["translations"] = {language: fields for language, fields in kept.items() if fields}
    return updated


def suggested(item_id: str, ids: Sequence[str]) -> list[str]:
    """The ids an admin may have meant by one the briefing does not have (`suggest.closest`), among a few hundred at most."""
    return closest(item_id, ids) if len(ids) <= SUGGESTED_AMONG else []


def no_item(briefing: Briefing, kind: Kind, item_id: str) -> UserError:
    """The refusal of an id the briefing does not have, naming the ids meant if any: a console or Slack admin has no autocomplete."""
    close = suggested(item_id, [item.id for item in items_of(briefing, kind)])
    if close:
        return UserError("admin.no_item_suggest", kind=kind.name, id=item_id[:64], ids=", ".join(close))
    return UserError("admin.no_item", kind=kind.name, id=item_id[:64])


def item_data(briefing: Briefing, kind: Kind, item_id: str) -> Item | None:
    """One item as pack data, or None."""
    return next((kinds.item_data(kind, item) for item in items_of(briefing, kind) if item.id == item_id), None)
