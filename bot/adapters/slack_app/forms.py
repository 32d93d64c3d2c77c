"""Admin forms as Slack modals, and the item select that opens one; the fields always come from the core.

Block ids are field names, so the core's `Reply.field_errors` map straight onto
`{"response_action": "errors", "errors": {block_id: message}}`. Slack echoes the view (with each
input's `initial_value`) in `view_submission`, so an edit sends only the fields the admin changed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import msgspec
from msgspec.structs import asdict

from bot.adapters.slack_app.mrkdwn import clip, escape
from bot.adapters.slack_app.render import Block, context
from bot.core.admin.forms import Form, FormField
from bot.core.admin.kinds import BOOL_FIELDS, LIST_FIELDS
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.registry import readers_text
from bot.core.service import Choice

FORM_CALLBACK = "briefbot_form"
PICK_ACTION = "briefbot_pick"
PICK_BLOCK = "briefbot_pick."
VALUE = "value"
# Provenance inputs of every form; their block ids cannot clash with a field's name.
CHANGE = "change."
PROVENANCE = ("source", "reason")
MAX_INPUT = 3000  # plain_text_input max_length
MAX_TITLE = 24
MAX_LABEL = 2000
MAX_OPTION_TEXT = 75
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

    def dump(self) -> str:
        """As private_metadata."""
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def load(cls, text: str) -> FormMeta:
        """From private_metadata; raises ValueError on anything that is not ours."""
        data = json.loads(text)
        fields = (str(data["command"]), str(data["kind"]), str(data["item_id"]), int(data["base"]), data.get("channel_id"))
        return cls(*fields, str(data.get("briefing") or ""))


def form_view(form: Form, channel_id: str | None, locale: str = "en") -> Payload:
    """The modal: one input per field with its current value; values too long for Slack are left out, said so."""
    cat = catalogue_for(locale)
    blocks: list[Block] = []
    if form.command == "set":
        blocks.append(context(escape(cat("slack.form_base", item=f"{form.kind}/{form.item_id}", base=form.base))))
    for field in form.fields:
        if len(field.value) > MAX_INPUT:
            blocks.append(context(escape(readers_text(cat, "slack.form_too_long", field=field.name, limit=MAX_INPUT))))
        else:
            blocks.append(_input(field.name, field.name, field.value, field.long, not field.required, _hint(field, cat)))
    names = {field.name for field in form.fields}
    # A field named like a provenance option (timeline's `note`) keeps its name; the provenance input goes.
    blocks += [_input(CHANGE + name, cat(f"slack.form_{name}"), "", False, True) for name in PROVENANCE if name not in names]
    title = cat("slack.form_edit" if form.command == "set" else "slack.form_add", kind=form.kind)
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "private_metadata": FormMeta(form.command, form.kind, form.item_id, form.base, channel_id, form.briefing_id).dump(),
        "title": _plain(clip(title, MAX_TITLE)),
        "submit": _plain(cat("slack.form_save")),
        "close": _plain(cat("slack.form_cancel")),
        "blocks": blocks,
    }


def submitted(view: Payload) -> tuple[FormMeta, dict[str, str]]:
    """The form's target and the options to dispatch; an edit with no field changed gives no field options."""
    meta = FormMeta.load(view.get("private_metadata") or "")
    state = view.get("state", {}).get("values", {})
    initial = {b["block_id"]: b["element"].get("initial_value", "") for b in view.get("blocks", []) if b.get("type") == "input"}
    typed = {block: state.get(block, {}).get(VALUE, {}).get("value") or "" for block in initial}
    fields = {
        name: value
        for name, value in typed.items()
        if not name.startswith(CHANGE) and (value != initial[name] if meta.command == "set" else value)
    }
    if not fields:
        return meta, {}
    provenance = {name[len(CHANGE) :]: value for name, value in typed.items() if name.startswith(CHANGE) and value}
    target = {"kind": meta.kind, "id": meta.item_id, "base": str(meta.base)} if meta.command == "set" else {"kind": meta.kind}
    briefing = {"briefing": meta.briefing} if meta.briefing else {}
    return meta, {**fields, **provenance, **target, **briefing}


def inline_errors(field_errors: Sequence[tuple[str, str]], view: Payload) -> dict[str, str]:
    """The core's field errors that have an input in this view, as `response_action: errors` wants them."""
    inputs = {b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"}
    return {field: clip(message, MAX_ERROR) for field, message in field_errors if field in inputs}


def pick_message(kind: str, briefing: str, choices: Sequence[Choice], more: bool, locale: str = "en") -> Payload:
    """A private message with a select of `briefing`'s items of a kind; choosing one opens its edit form there."""
    cat = catalogue_for(locale)
    if not choices:
        text = readers_text(cat, "slack.pick_none", kind=kind)
        return {"text": text, "blocks": [context(escape(text))]}
    options = [{"text": _plain(clip(c.label, MAX_OPTION_TEXT)), "value": c.value} for c in choices[:MAX_OPTIONS]]
    placeholder = _plain(cat("slack.pick_placeholder"))
    select = {"type": "static_select", "action_id": PICK_ACTION, "placeholder": placeholder, "options": options}
    text = cat("slack.pick", kind=kind)
    blocks: list[Block] = [
        {"type": "section", "block_id": f"{PICK_BLOCK}{kind}.{briefing}", "text": {"type": "mrkdwn", "text": escape(text)}, "accessory": select}
    ]
    if more:
        blocks.append(context(escape(cat("slack.pick_more", n=len(options), kind=kind))))
    return {"text": text, "blocks": blocks}


def picked(block_id: str) -> tuple[str, str]:
    """The kind and briefing a select was for, from its block id (neither holds a dot); "" for a briefing it names none."""
    kind, _, briefing = block_id.removeprefix(PICK_BLOCK).partition(".")
    return kind, briefing


def _input(block_id: str, label: str, value: str, multiline: bool, optional: bool, hint: str | None = None) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": VALUE, "multiline": multiline, "max_length": MAX_INPUT}
    if value:
        element["initial_value"] = value  # Slack refuses an empty initial_value
    label_text = _plain(clip(label, MAX_LABEL))
    block: Block = {"type": "input", "block_id": block_id, "label": label_text, "element": element, "optional": optional}
    if hint:
        block["hint"] = _plain(hint)
    return block


def _hint(field: FormField, cat: Catalogue) -> str | None:
    if field.name in LIST_FIELDS:
        return cat("slack.hint_list")
    if field.name in BOOL_FIELDS:
        return cat("slack.hint_bool")
    return None


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}
