"""Admin forms as Slack modals, and the item select that opens one; the fields always come from the core.

Block ids are field names, so the core's `Reply.field_errors` map straight onto
`{"response_action": "errors", "errors": {block_id: message}}`. Slack echoes the view (with each
input's `initial_value`) in `view_submission`, so an edit sends only the fields the admin changed.

A refused form comes back as the form again (`again`), read at the current revision with the refusal on top and
the admin's own changes kept, named in its metadata so they are sent even though they are now its initial values.
Its inputs' action ids name the revision: Slack keeps what was typed in an input whose block and action ids an
update leaves alone, and would show a field a colleague changed meanwhile with the old value, to be sent back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
from msgspec.structs import asdict

from bot.adapters.slack_app.mrkdwn import clip_plain, escape, plain
from bot.adapters.slack_app.render import MAX_LABEL, MAX_MODAL_TITLE, Block, body_blocks, context
from bot.core.admin.forms import Form, FormField, changes, held, kept, retyped
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.registry import local_choice, readers_text
from bot.core.replies import Reply
from bot.core.service import Choice

FORM_CALLBACK = "briefbot_form"
PICK_ACTION = "briefbot_pick"
PICK_BLOCK = "briefbot_pick."
VALUE = "value"
# Provenance inputs of every form; their block ids cannot clash with a field's name.
CHANGE = "change."
PROVENANCE = ("source", "reason")
MAX_INPUT = 3000  # plain_text_input max_length
MAX_OPTION_TEXT = 75
MAX_PLACEHOLDER = 150
MAX_OPTIONS = 100
MAX_ERROR = 300
Payload = dict[str, Any]


class FormMeta(msgspec.Struct, frozen=True):
    """What a submission needs back, carried in the modal's private_metadata (≤ 3,000 characters)."""

    command: str
    kind: str
    item_id: str
    base: int
    channel_id: str | None
    # The briefing the form was read from (`Form.briefing_id`); a submission has no channel to look it up by, and the
    # channel's choice may have changed since. "" (a form opened before it was carried): the channel's.
    briefing: str = ""
    # The fields a refused form kept as its admin typed them: sent again though their inputs start with those values.
    kept: tuple[str, ...] = ()

    def dump(self) -> str:
        """As private_metadata."""
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def load(cls, text: str) -> FormMeta:
        """From private_metadata; raises ValueError on anything that is not ours."""
        data = json.loads(text)
        fields = (str(data["command"]), str(data["kind"]), str(data["item_id"]), int(data["base"]), data.get("channel_id"))
        return cls(*fields, str(data.get("briefing") or ""), tuple(str(name) for name in data.get("kept", ())))


class Submission(msgspec.Struct, frozen=True):
    """A submitted form: its target, the fields its admin changed and the provenance typed with them."""

    meta: FormMeta
    fields: dict[str, str]
    provenance: dict[str, str]

    @property
    def options(self) -> dict[str, str]:
        """The options to dispatch: the changed fields, provenance, the item and the revision it was read at."""
        meta = self.meta
        target = {"kind": meta.kind, "id": meta.item_id, "base": str(meta.base)} if meta.command == "set" else {"kind": meta.kind}
        briefing = {"briefing": meta.briefing} if meta.briefing else {}
        return {**self.fields, **self.provenance, **target, **briefing}


def form_view(form: Form, channel_id: str | None, locale: str = "en") -> Payload:
    """The modal: one input per field with its current value; values too long for Slack are left out, said so."""
    return _view(form, channel_id, catalogue_for(locale), [], (), {})


def again(form: Form, submission: Submission, refusal: Reply, locale: str = "en") -> Payload:
    """A refused form once more, as `form` reads now: the refusal on top, `form`'s values with the admin's kept in place
    (`forms.retyped`, `forms.kept`), and what they typed as the change's source and reason."""
    cat = catalogue_for(locale)
    key = "slack.form_again" if form.command == "set" else "slack.form_again_add"
    top = [*body_blocks(refusal, cat), context(escape(cat(key, item=f"{form.kind}/{form.item_id}")))]
    typed = kept(form.command, held(form), submission.fields)
    names = tuple(typed) if form.command == "set" else ()  # an add sends every answer anyway
    return _view(retyped(form, typed), submission.meta.channel_id, cat, top, names, submission.provenance)


def _view(form: Form, channel_id: str | None, cat: Catalogue, top: list[Block], kept: tuple[str, ...], provenance: Mapping[str, str]) -> Payload:
    """The modal under `top`; `kept` names the fields sent whatever they hold, `provenance` fills the change's inputs."""
    blocks = list(top)
    action = _action(form.base)
    if form.command == "set":
        blocks.append(context(escape(cat("slack.form_base", item=f"{form.kind}/{form.item_id}", base=form.base))))
    for field in form.fields:
        limit = min(field.limit, MAX_INPUT)  # what the field may hold, within what Slack's input holds
        if len(field.value) > limit:
            blocks.append(context(escape(readers_text(cat, "slack.form_too_long", field=field.name, limit=limit))))
        else:
            blocks.append(_input(field.name, action, field.name, field.value, field.long, not field.required, _hint(field, cat), limit))
    names = {field.name for field in form.fields}
    # A field named like a provenance option (timeline's `note`) keeps its name; the provenance input goes.
    blocks += [
        _input(CHANGE + name, action, cat(f"slack.form_{name}"), provenance.get(name, ""), False, True) for name in PROVENANCE if name not in names
    ]
    # The kind in the reader's word ("Añadir cronología"), never its id, English to every reader.
    title = cat("slack.form_edit" if form.command == "set" else "slack.form_add", kind=local_choice(form.kind, cat.locale))
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "private_metadata": FormMeta(form.command, form.kind, form.item_id, form.base, channel_id, form.briefing_id, kept).dump(),
        "title": plain(title, MAX_MODAL_TITLE),
        "submit": plain(cat("slack.form_save"), MAX_MODAL_TITLE),
        "close": plain(cat("slack.form_cancel"), MAX_MODAL_TITLE),
        "blocks": blocks,
    }


def submitted(view: Payload) -> Submission:
    """The form's target, the fields its admin changed (an edit's: from the values the view showed, and those it kept)
    and the provenance typed."""
    meta = FormMeta.load(view.get("private_metadata") or "")
    state = view.get("state", {}).get("values", {})
    inputs = {b["block_id"]: b["element"] for b in view.get("blocks", []) if b.get("type") == "input"}
    typed = {block: state.get(block, {}).get(element.get("action_id"), {}).get("value") or "" for block, element in inputs.items()}
    shown = {block: element.get("initial_value", "") for block, element in inputs.items() if block not in meta.kept}
    fields = changes(meta.command, shown, {name: value for name, value in typed.items() if not name.startswith(CHANGE)})
    provenance = {name[len(CHANGE) :]: value for name, value in typed.items() if name.startswith(CHANGE) and value}
    return Submission(meta, fields, provenance)


def inline_errors(field_errors: Sequence[tuple[str, str]], view: Payload) -> dict[str, str]:
    """The core's field errors that have an input in this view, as `response_action: errors` wants them."""
    inputs = {b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"}
    return {field: clip_plain(message, MAX_ERROR) for field, message in field_errors if field in inputs}


def pick_message(kind: str, briefing: str, choices: Sequence[Choice], more: bool, locale: str = "en") -> Payload:
    """A private message with a select of `briefing`'s items of a kind; choosing one opens its edit form there."""
    cat = catalogue_for(locale)
    if not choices:
        text = readers_text(cat, "slack.pick_none", kind=kind)
        return {"text": text, "blocks": [context(escape(text))]}
    options = [{"text": plain(c.label, MAX_OPTION_TEXT), "value": c.value} for c in choices[:MAX_OPTIONS]]
    placeholder = plain(cat("slack.pick_placeholder"), MAX_PLACEHOLDER)
    select = {"type": "static_select", "action_id": PICK_ACTION, "placeholder": placeholder, "options": options}
    text = readers_text(cat, "slack.pick", kind=kind)
    blocks: list[Block] = [
        {"type": "section", "block_id": f"{PICK_BLOCK}{kind}.{briefing}", "text": {"type": "mrkdwn", "text": escape(text)}, "accessory": select}
    ]
    if more:
        blocks.append(context(escape(readers_text(cat, "slack.pick_more", n=len(options), kind=kind))))
    return {"text": text, "blocks": blocks}


def picked(block_id: str) -> tuple[str, str]:
    """The kind and briefing a select was for, from its block id (neither holds a dot); "" for a briefing it names none."""
    kind, _, briefing = block_id.removeprefix(PICK_BLOCK).partition(".")
    return kind, briefing


def _action(base: int) -> str:
    """The inputs' action id in a form read at `base`: another revision's form is new inputs to Slack, which keeps nothing typed."""
    return f"{VALUE}.{base}" if base else VALUE


def _input(
    block_id: str, action_id: str, label: str, value: str, multiline: bool, optional: bool, hint: str | None = None, limit: int = MAX_INPUT,
) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline, "max_length": limit}
    if value:
        element["initial_value"] = value  # Slack refuses an empty initial_value
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label, MAX_LABEL), "element": element, "optional": optional}
    if hint:
        block["hint"] = plain(hint, MAX_LABEL)
    return block


def _hint(field: FormField, cat: Catalogue) -> str | None:
    return cat(field.hint) if field.hint else None

