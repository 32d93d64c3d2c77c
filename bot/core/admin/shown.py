"""Values in history and edit replies as a reader would say them: yes/no, names rather than ids."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bot.core.admin.steps import stacks
from bot.core.catalogue import Catalogue
from bot.core.kinds import HEAD, HEAD_FIELDS, HEAD_LOG, KINDS, naming
from bot.core.localize import language_name_in
from bot.core.model import Briefing
from bot.core.registry import local_field
from bot.core.replies import Field
from bot.core.repository import LOAD_PLATFORM, BriefingWriter, Revision
from bot.core.text import shortened

SHOWN = 80
TRANSLATIONS = "translations"
# Fields that hold ids of people, of sides and of sources.
PERSON_FIELDS, SIDE_FIELDS, SOURCE_FIELDS = naming("person"), naming("side"), naming("source")
# Fields that hold a language code (a head's and a quote's `language`, a quote's `translated_from`): shown by its name.
LANGUAGE_FIELDS = frozenset(f.name for f in (*HEAD_FIELDS, *(f for kind in KINDS.values() for f in kind.fields_all)) if f.type == "language")


def diff_fields(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, cat: Catalogue, briefing: Briefing | None, reverting: bool = False,
) -> tuple[Field, ...]:
    """One field per changed key, named in the reader's words ("respuesta"), "was “old”, now “new”" (quoted as the reader's
    language quotes); the id is in the title, so it is left out.
    `reverting`: an undo or redo, which puts a translation back or takes it out again, with its text."""
    old, new = before or {}, after or {}
    return tuple(
        Field(local_field(key, cat.locale), _change(key, old.get(key), new.get(key), cat, briefing, reverting)) for key in changed_keys(old, new)
    )


def changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The keys whose values differ, the id apart, empty and absent alike (an item added with no stakes has none to
    list); `translations` too, since an edit of a field drops that field's translations and its readers in the other
    language then see it untranslated."""
    was, now = filled(old), filled(new)
    return [k for k in dict.fromkeys([*was, *now]) if k != "id" and was.get(k) != now.get(k)]


def filled(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that hold a value: "", [] and absent are all nothing, however an edit or a log spelled them."""
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def _change(key: str, old: Any, new: Any, cat: Catalogue, briefing: Briefing | None, reverting: bool = False) -> str:
    """"was “old”, now “new”" in words, where "“old” → “new”" read to a screen reader as "right arrow"; for two lists,
    what was added and what removed, which two shortened lists might hide; translations, language by language."""
    if key == TRANSLATIONS:
        return _translations(old or {}, new or {}, cat, briefing, reverting)
    if isinstance(old, list) and isinstance(new, list) and old and new:
        added, removed = [v for v in new if v not in old], [v for v in old if v not in new]
        if added or removed:
            return "; ".join(_listed(key, label, values, cat, briefing) for label, values in
                             (("added", added), ("removed", removed)) if values)
    return cat("admin.change", before=shown(key, old, cat, briefing), after=shown(key, new, cat, briefing))


def _translations(old: Mapping[str, Any], new: Mapping[str, Any], cat: Catalogue, briefing: Briefing | None, reverting: bool) -> str:
    """What changed in each language's translations, field by field and naming the language: a translation an edit
    dropped is said to be removed, as its readers now see that field untranslated. An undo or redo (`reverting`) that
    puts one back says it is back, with its text, where "was empty, now …" read as a new translation; one that takes a
    translation out names the text it took, which the next undo or redo would bring back."""
    return "; ".join(_translation_line(name, field, was, now, cat, briefing, reverting) for name, field, was, now in _translated(old, new, cat))


def _translation_line(name: str, field: str, was: Any, now: Any, cat: Catalogue, briefing: Briefing | None, reverting: bool) -> str:
    """One translated field's change, as `_translations` says it, the field in the reader's words."""
    word = local_field(field, cat.locale)
    if reverting and (was is None or now is None):
        key, value = ("admin.translation_back", now) if was is None else ("admin.translation_taken", was)
        return cat(key, language=name, field=word, value=shown(field, value, cat, briefing))
    if now is None:
        return cat("admin.translation_removed", language=name, field=word)
    return cat("admin.translation_change", language=name, field=word, change=_change(field, was, now, cat, briefing))


def translated_fields(old: Mapping[str, Any], new: Mapping[str, Any], cat: Catalogue) -> list[str]:
    """Which translations changed, each by its language and field, without its values (an import's dry run, which
    lists fields): one dropped is said to be removed, in history's words."""
    return [
        cat("admin.translation_removed" if now is None else "import.translation", language=name, field=local_field(field, cat.locale))
        for name, field, _, now in _translated(old, new, cat)
    ]


def _translated(old: Mapping[str, Any], new: Mapping[str, Any], cat: Catalogue) -> Iterator[tuple[str, str, Any, Any]]:
    """(the language's name, field, was, now) of each translated field that differs, language by language; now None:
    removed."""
    for language in dict.fromkeys([*old, *new]):
        was, now = filled(old.get(language) or {}), filled(new.get(language) or {})
        name = language_name_in(language, cat)
        for field in dict.fromkeys([*was, *now]):
            if was.get(field) != now.get(field):
                yield name, field, was.get(field), now.get(field)


def _listed(key: str, label: str, values: list[Any], cat: Catalogue, briefing: Briefing | None) -> str:
    """What a list gained or lost; more than one item counted and each quoted on its own, so a long first passage cannot
    hide the rest (`set evidence:` replacing four read as one swapped) and an aim split at its comma by a one-line `set`
    reads as the two aims it became, where one quote around both looked like the aim typed."""
    if not isinstance(values[0], Mapping) and len(values) == 1:
        return cat(f"admin.list_{label}", values=shown(key, values, cat, briefing))
    quoted = ", ".join(shown(key, [value], cat, briefing) for value in values)  # each an entry of the list, as a stake
    return cat(f"admin.entries_{label}", n=len(values), values=quoted)


def shown(field: str, value: Any, cat: Catalogue, briefing: Briefing | None) -> str:
    """One value as a short quoted line: yes/no, names for ids the briefing knows and for languages; absent and empty
    values say so alike, in a word ("empty"), where "—" read to a screen reader as "em dash"."""
    if value is None or value == "" or value == []:  # a pack may spell an empty field "", an edit that cleared it None
        return cat("admin.empty")
    if isinstance(value, bool):  # pack data keeps true and false as booleans
        return cat("admin.yes") if value else cat("admin.no")
    if field in LANGUAGE_FIELDS and isinstance(value, str):  # "Spanish", "español": a reader may not know "es"
        return cat("admin.value", value=language_name_in(value, cat))
    names = _names(field, briefing)
    values = value if isinstance(value, list) else [value]
    if isinstance(value, Mapping):  # sides, or a head's translated topics and labels: each by its id
        text = ", ".join(_named(v, cat) if field == "sides" else f"{k}: {_named(v, cat)}" for k, v in value.items())
    else:
        text = ", ".join(_stake(v, cat) if isinstance(v, Mapping) else names.get(str(v), str(v)) for v in values)
    return cat("admin.value", value=shortened(text, SHOWN))


def _names(field: str, briefing: Briefing | None) -> dict[str, str]:
    """What the ids of this field are called in the briefing now (ids it no longer has stay ids)."""
    if briefing is None:
        return {}
    if field in PERSON_FIELDS:
        return {p.id: p.name for p in briefing.people}
    if field in SIDE_FIELDS:
        return {s.id: s.label for s in briefing.sides}
    if field in SOURCE_FIELDS:
        return {s.id: s.title for s in briefing.sources}
    return {}


def _stake(value: Mapping[str, Any], cat: Catalogue) -> str:
    """A meeting stake (party and text), a passage (source and words) or a zone (zone and label) on one line."""
    return ": ".join(_named(v, cat) for v in value.values())


def _named(value: Any, cat: Catalogue) -> str:
    """A side as its name and the other names it goes by ("United Nations (also UN)"), a list as its entries, any
    other value as itself: never a mapping's Python spelling."""
    if isinstance(value, Mapping) and "name" in value:
        also = ", ".join(str(name) for name in value.get("also") or ())
        return cat("admin.side_also", name=value["name"], also=also) if also else str(value["name"])
    if isinstance(value, list):
        return ", ".join(_named(v, cat) for v in value)
    return str(value)


async def revision_titles(repository: BriefingWriter, revisions: Sequence[Revision], cat: Catalogue, focus: str | None = None) -> list[str]:
    """Each revision as history, a load's refusal and `briefings list` name it, as its answer did; `focus`, the item
    whose history is shown (what an import did to it).

    A redo is logged as an undo of an undo: only the log tells it from an undo, so every title is worked out here,
    where the log is read, and no caller can name a redo as an undo. The log is read only for a revision that is an undo.
    """
    redos: dict[str, set[int]] = {}
    for briefing_id in dict.fromkeys(r.briefing_id for r in revisions if r.action == "undo"):
        redos[briefing_id] = stacks(await repository.steps(briefing_id)).redos  # as `undo` and `redo` named them
    return [_title(r, cat, focus, r.action == "undo" and r.id in redos[r.briefing_id]) for r in revisions]


def _title(revision: Revision, cat: Catalogue, focus: str | None, redo: bool) -> str:
    """One revision's title: a redo, a pack loaded or imported, or what the action did to the item."""
    kind = HEAD if revision.kind == HEAD_LOG else revision.kind  # the head, as the admin names it
    item = f"{kind}/{revision.item_id}" if revision.kind != "briefing" else focus or revision.item_id
    action = revision.action
    if redo:
        action = "redo"
    elif revision.kind == "briefing" and action == "import":
        loaded = revision.platform == LOAD_PLATFORM  # `briefbot load`; an admin's import comes from a chat or `admin import`
        action = ("load" if loaded else "imported_item") + _brought(revision, focus) if focus is not None else ("import" if loaded else "imported")
    return cat(f"admin.history_{action}", number=revision.id, item=item, undoes=revision.undoes)


def _brought(revision: Revision, focus: str) -> str:
    """"_added" or "_removed" when a load or import brought the item in or took it out, "" when it changed it: every
    field "now empty" under "changed by a pack load" hid that the item was gone."""
    kind, _, item_id = focus.partition("/")
    section = KINDS[kind].section if kind in KINDS else ""
    held = [side is not None and any(item.get("id") == item_id for item in side["item"].get(section, ())) for side in (revision.before, revision.after)]
    return {(False, True): "_added", (True, False): "_removed"}.get((held[0], held[1]), "")
