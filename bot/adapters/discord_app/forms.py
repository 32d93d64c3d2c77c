"""Add and edit forms for Discord: the core's Form, five fields at a time, sent back as `set`/`add`.

Discord allows five inputs per modal, so a form shows a window of five fields starting where the user
asked (`/set … field:status`), and the private answer (a change's, or "nothing changed") carries a "More fields"
button that opens the next five. The submission sends only the fields the user changed, with the `base` revision the
form was read at: an edit made meanwhile is refused. How a form's state travels is in `formkeys`.

An add shows its required fields first, so one window holds them all (no kind requires more than five: a person needs
five, a session four, and `tests/test_kinds.py` keeps it so) and the add is sent from it.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec
from msgspec.structs import replace

from bot.core.admin.forms import Form, FormField
from bot.core.admin.kinds import HEAD, KINDS, MEETING_ID
from bot.core.registry import CommandSpec, field_named

PER_MODAL = 5  # Discord's limit of inputs in one modal
VALUE_LIMIT = 4000  # the longest text an input holds
PROVENANCE = ("source", "reason")  # options of the slash command that go back with the submission
Pairs = tuple[tuple[str, str], ...]


class Ask(msgspec.Struct, frozen=True):
    """What a form is opened for: the command it sends back, the item, its first field, what rides along."""

    command: str
    kind: str
    item_id: str
    start: str | None = None
    # The briefing the form edits: named by briefing: until the form is read, then by the id of the one it was read from
    # ("" only for a head's form, whose item is its briefing), so it never follows a later /use of the channel.
    briefing: str = ""
    provenance: Pairs = ()
    typed: Pairs = ()  # what the user typed before a refusal, shown again instead of the stored values
    errors: Pairs = ()  # the refusal's message for each field, shown under its input

    @property
    def carries(self) -> bool:
        """Whether anything rides along beyond what names the form (which is all a custom id can hold)."""
        return bool(self.provenance or self.typed or self.errors)


class Draft(msgspec.Struct, frozen=True):
    """One modal's worth of a Form: the fields shown (with what the core holds) and the next field, if any."""

    ask: Ask
    base: int
    fields: tuple[FormField, ...]
    following: str | None
    elsewhere: bool = False  # its briefing is not the one the channel reads (`Form.elsewhere`): its title names it

    @property
    def inputs(self) -> tuple[FormField, ...]:
        """The fields shown as inputs: a value longer than an input holds is left out, never cut (saving would cut it)."""
        return tuple(field for field in self.fields if fits(field))

    @property
    def held(self) -> dict[str, str]:
        """What each input showed as the core held it, which the answers are compared with (`forms.changes`)."""
        return {field.name: field.value for field in self.inputs}

    def options(self, changes: Mapping[str, str], spec: CommandSpec) -> dict[str, str]:
        """The request's options: kind, id, the briefing named, base, provenance and one per changed field.

        A field named like one of the command's own options (a timeline event's `note`) goes as field:/value:.
        """
        options = {"kind": self.ask.kind, "id": self.ask.item_id, **named(self.ask), **dict(self.ask.provenance)}
        if self.ask.command == "set":
            options["base"] = str(self.base)
        for name, value in changes.items():
            if spec.option(name) is None:
                options[name] = value
            else:
                options["field"], options["value"] = name, value
        return options


def form_ask(command: str, options: Mapping[str, str]) -> Ask | None:
    """A slash command that opens a form: `/add`, and `/set` without a value or a passage; None for any other. A form holds the
    stored original, so `/set lang:` (a translation's text) opens none: without a value it clears that translation."""
    kind = options.get("kind", "")
    if "lang" in options:
        return None
    provenance = tuple((key, options[key]) for key in PROVENANCE if options.get(key))
    item_id, briefing = options.get("id", ""), options.get("briefing", "")
    start = field_named(options["field"]) if options.get("field") else None  # typed in any language's words (`campo:estado`)
    if kind == HEAD:  # the briefing's own head: only set edits it, and its item is the briefing (an id typed, the core refuses)
        opens = command == "set" and not item_id and "value" not in options and "passage" not in options
        return Ask("set", HEAD, "", start=start, briefing=briefing, provenance=provenance) if opens else None
    # `meeting` names the only session, which the core finds; any other kind needs its id.
    if not (kind == MEETING_ID or (kind in KINDS and item_id)):
        return None  # the core names what is missing
    if command == "add":
        return Ask("add", kind, item_id, briefing=briefing, provenance=provenance)
    if command == "set" and "value" not in options and "passage" not in options:
        return Ask("set", kind, item_id, start=start, briefing=briefing, provenance=provenance)
    return None


def draft_for(form: Form, ask: Ask) -> Draft:
    """The window of `form` that starts at `ask.start` (or its first field); the id is never an input."""
    editable = [field for field in form.fields if field.name != "id"]
    if form.command == "add":  # what the add cannot do without comes first, so most kinds need one window
        editable.sort(key=lambda field: not field.required)
    names = [field.name for field in editable]
    first = names.index(ask.start) if ask.start in names else 0
    following = names[first + PER_MODAL] if first + PER_MODAL < len(names) else None
    item_id = form.item_id or ask.item_id  # the core names the session `meeting` stands for; an add's id comes from the command
    # The briefing read is carried by its id, named or the channel's: submitted after an admin's /use chose another for
    # the channel, the form still edits the one it showed. A head's item is its briefing, which `named` sends: carried once.
    briefing = form.briefing_id if form.kind != HEAD else ""
    shown = tuple(editable[first : first + PER_MODAL])
    return Draft(replace(ask, kind=form.kind, item_id=item_id, briefing=briefing), form.base, shown, following, form.elsewhere)


def named(ask: Ask) -> dict[str, str]:
    """The briefing: option of the form's requests: the briefing read (a head form's is its item), so it is never sent to
    another that the channel chose meanwhile; none before the form is read, for a form opened without briefing:."""
    briefing = ask.item_id if ask.kind == HEAD and ask.item_id else ask.briefing
    return {"briefing": briefing} if briefing else {}


def input_limit(field: FormField) -> int:
    """The most an input for `field` takes: what the field may hold, within what a Discord input holds."""
    return min(field.limit, VALUE_LIMIT)


def fits(field: FormField) -> bool:
    """Whether a field's whole value fits in an input (Discord refuses a whole modal over one that does not)."""
    return len(field.value) <= input_limit(field)
