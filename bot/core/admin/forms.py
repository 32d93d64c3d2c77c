"""Edit forms for chat platforms: an item's fields with their current values and the revision seen.

An adapter shows the form (a Discord modal, a Slack modal) and sends the answers back as a `set` or
`add` request with `base` set to the form's revision, so an edit made meanwhile is refused, not lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from msgspec.structs import replace

from bot.core.admin.edits import item_data, no_item
from bot.core.admin.head import head_state
from bot.core.admin.kinds import Kind
from bot.core.admin.logged import at_revision
from bot.core.fields import Field
from bot.core.index import BriefingIndex
from bot.core.kinds import HEAD, HEAD_FIELDS, HEAD_LOG, KINDS, MEETING_ID
from bot.core.model import Briefing
from bot.core.repository import BriefingStore
from bot.core.sessions import only
from bot.errors import UserError


class FormField(msgspec.Struct, frozen=True):
    """One input: the field, its current value as text, and how to show it."""

    name: str
    value: str
    required: bool
    long: bool
    hint: str = ""  # the catalogue key saying how to write it (a list, yes or no), by this kind's field's type


# Beside an input, how to write a value of its field's type, which the stored value alone may not show.
HINTS = {"idents": "form.hint_list", "texts": "form.hint_lines", "boolean": "form.hint_bool"}


def form_field(field: Field, value: str, required: bool) -> FormField:
    """The input for `field`: its hint follows its type in its own kind (a session's `delegation` is text, a person's yes/no).
    A required field that may be empty (an outcome not known yet, aims not announced) is not required in a form: Discord
    and Slack would not send the form until the admin made one up. A list of texts is written one item a line, in an
    input of several lines, as an aim may hold a comma; a list of ids (which never do) stays comma-separated on one."""
    long = field.long or field.type == "texts"
    return FormField(field.name, value, required and not field.empty, long, HINTS.get(field.type, ""))


class Form(msgspec.Struct, frozen=True):
    """What to ask, and how to send it back: `command` with kind, id, base and one option per field, in `briefing_id`."""

    command: str
    kind: str
    item_id: str
    base: int
    fields: tuple[FormField, ...]
    briefing_id: str  # the briefing read, so a form opened for a named one is sent back to it
    # The briefing read is not the one the request's channel reads (named, or the channel chose another since the form was
    # opened): a surface names it in the form's title, as the edit's answer names it (`admin.item_in`).
    elsewhere: bool = False


async def edit_form(store: BriefingStore, index: BriefingIndex, kind_name: str, item_id: str | None, at: int | None = None) -> Form:
    """The form to change an item (`meeting`: the only session; `briefing`: the briefing's head), or to add one when
    `item_id` is None.

    `at`: the revision a submitted form was read at; its values are those it showed then, when that revision tells them.
    Compared with them, a stale form sends only what its user changed, never a colleague's change made since, taken back.
    """
    if kind_name == HEAD:
        return await _head_form(store, index.briefing, item_id, at)
    if kind_name == MEETING_ID:
        kind_name, item_id = "session", only(index.briefing).id
    kind = KINDS.get(kind_name)
    if kind is None:
        raise UserError("args.bad_choice", option="kind", value=kind_name[:40], choices=tuple(KINDS), n=len(KINDS))
    if item_id is None:  # each field opens with what the add starts it with: a session's status "scheduled", not a blank to fill
        start = kind.added_with
        fields = tuple(
            form_field(kind.by_name[name], as_text(kind.by_name[name], start.get(name)), name in kind.required) for name in ("id", *kind.fields)
        )
        return Form("add", kind.name, "", 0, fields, index.briefing.id)
    target = str(item_id)
    current = item_data(index.briefing, kind, target)
    if current is None:
        raise no_item(index.briefing, kind, target)
    base = await store.item_revision(index.briefing.id, kind.name, target)
    shown = await _as_read(store, index.briefing, kind, target, base, at) or current
    fields = tuple(
        form_field(kind.by_name[name], as_text(kind.by_name[name], shown.get(name)), name in kind.required) for name in kind.fields
    )
    return Form("set", kind.name, target, base, fields, index.briefing.id)


async def _head_form(store: BriefingStore, briefing: Briefing, item_id: str | None, at: int | None) -> Form:
    """The form to change the briefing's head, its item the briefing itself; its new passages cite the request's `source:`."""
    if item_id and item_id != briefing.id:  # as `set kind:briefing id:…` is refused: the id would name another briefing
        raise UserError("admin.head_id", id=item_id[:64], briefing=briefing.id)
    base = await store.item_revision(briefing.id, HEAD_LOG, briefing.id)
    read = await _as_read(store, briefing, None, briefing.id, base, at)
    head = read if read is not None and read.get("zones") else head_state(briefing)  # a pack logged before zones: now's
    # `zone:` and `label:` are the venue's, the first zone's; a head logged before its language was one reads today's.
    current = {"language": briefing.language, **head, **head["zones"][0]}
    fields = tuple(form_field(f, as_text(f, current.get(f.name)), f.required) for f in HEAD_FIELDS)
    return Form("set", HEAD, briefing.id, base, fields, briefing.id)


async def _as_read(
    store: BriefingStore, briefing: Briefing, kind: Kind | None, item_id: str, base: int, at: int | None,
) -> Mapping[str, Any] | None:
    """The item (None: the head) as revision `at` left it, when `at` is an older revision that tells it; else None."""
    if at is None or at == base or at < 1:
        return None
    return at_revision(await store.revision(briefing.id, at), kind, item_id, briefing.venue.zone)


def changes(command: str, held: Mapping[str, str], values: Mapping[str, str]) -> dict[str, str]:
    """What a submitted form sends: an add every field filled in; an edit only what differs from what it showed (`held`),
    so a field a colleague changed since it was read is never sent back with the value it was opened with."""
    if command == "add":
        return {name: value for name, value in values.items() if value.strip()}
    return {name: value for name, value in values.items() if value != held.get(name)}


def kept(command: str, held: Mapping[str, str], values: Mapping[str, str]) -> dict[str, str]:
    """What a refused form keeps for its next try: an add all its answers, since the refusal may name any field; an edit
    only what its user changed from `held`, the values it is opened with again, so the rest shows as stored now."""
    return dict(values) if command == "add" else changes(command, held, values)


def retyped(form: Form, typed: Mapping[str, str]) -> Form:
    """The form with what its user typed in place of the values read: a refused form opened again shows their answers."""
    return replace(form, fields=tuple(replace(field, value=typed.get(field.name, field.value)) for field in form.fields))


def held(form: Form) -> dict[str, str]:
    """Each field's value as the form read it, which `changes` and `kept` compare answers with."""
    return {field.name: field.value for field in form.fields}


def as_text(field: Field, value: Any) -> str:
    """A value as a form shows it, in the form its answer is read back (by the field's type): texts one a line, ids
    comma-separated, yes or no."""
    if value is None:
        return ""
    if field.type == "texts":  # one item a line, as a form's answer is read (`edits.field_value`): an item may hold a comma
        return "\n".join(str(v) for v in value)
    if field.type == "idents":
        return ", ".join(str(v) for v in value)
    if field.type == "boolean":
        return "yes" if value else "no"
    if field.type == "evidence":  # one passage a paragraph, as `evidence_value` reads them back
        return "\n\n".join(piece["passage"] for piece in value)
    return str(value)
