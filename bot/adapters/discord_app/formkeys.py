"""Form state in custom ids, so a modal submitted, or a form button clicked, after a restart still works.

discord.py keeps a sent Modal in memory and drops a submission it does not know; Discord would then tell
the user "This interaction failed". So every modal and form button names what it is for in its custom id
(at most 100 characters): `bb:f:<c><kind>:<start>:<base>:<memo>:<id>:<briefing>` — the command's initial,
the kind, the window's first field as an index into the kind's fields (hex, as many digits as it takes; none for the
first window, which no field count can make an index of), the revision the form was read at (hex), a memo token, the
item id (at most 64 characters of a-z, 0-9, - and _) and the id of the briefing the form was read from, named or the
channel's. The briefing is never left out: a form submitted after an admin's /use chose
another for the channel, or after a restart, must edit the briefing it showed. Where its id does not fit beside the
item's, `~<print>` stands for it, 8 hex digits of its hash, which `FormFlow` finds among the stored briefings' ids:
without the memo, at most 5 + 1 + 8 + 3 + 8 + 1 + 1 + 64 + 9 = 100 characters for a base below 16⁸ (a start past the
16th field takes a digit more: `tests/test_discord_admin.py` walks every kind's windows at these lengths). A form of
the briefing's own head (kind `briefing`) names it once, as its item id (`forms.named`).

What cannot fit, the provenance options and, for "Edit again", what the user typed and each field's
problem, waits in a bounded in-memory memo named by the token. After a restart the memo is gone and the
form goes on without it: the edit itself still reaches the core with its base.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import OrderedDict
from collections.abc import Iterable

from msgspec.structs import replace

from bot.adapters.discord_app.forms import Ask
from bot.adapters.discord_app.views import CUSTOM_ID_LIMIT
from bot.core.admin.kinds import FORM_FIELDS
from bot.core.checker import IDENT

PREFIX = "bb:f:"
_FIELDS = r"(?P<command>[sa])(?P<kind>[a-z]+):(?P<start>[0-9a-f]*):(?P<base>[0-9a-f]{1,12}):(?P<memo>[0-9a-f]*):(?P<id>[a-z0-9_-]*)(?::(?P<briefing>[a-z0-9][a-z0-9_-]*)|~(?P<print>[0-9a-f]{8}))?"
TEMPLATE = PREFIX + _FIELDS  # for discord.py's DynamicItem, which matches a whole custom id
_KEY = re.compile(TEMPLATE)
_COMMANDS = {"s": "set", "a": "add"}
MEMO_LIMIT = 1024  # open forms whose extras are remembered; the oldest are forgotten first
_TOKEN_BYTES = 3
PRINTED = "~"  # an Ask's briefing known only by its print ("~<print>") until `found_briefing` finds its id
_PRINT_BYTES = 4


class FormKeys:
    """Writes and reads form custom ids, and remembers for a while what rides along but cannot fit in one."""

    def __init__(self, limit: int = MEMO_LIMIT) -> None:
        self._memos: OrderedDict[str, tuple[str, Ask]] = OrderedDict()
        self._limit = limit

    def encode(self, ask: Ask, user_id: str, base: int = 0) -> str | None:
        """The custom id for `ask` read at `base`; None only when the item id cannot travel in one, or not even beside the
        briefing's print (a base of 16⁸ revisions or more)."""
        if not ask.carries:
            return _encode(ask, base, "")
        token = secrets.token_hex(_TOKEN_BYTES)
        while token in self._memos:
            token = secrets.token_hex(_TOKEN_BYTES)
        custom_id = _encode(ask, base, token)
        if custom_id is None:  # the extras are dropped before the form is
            return _encode(ask, base, "")
        self._memos[token] = (user_id, ask)
        while len(self._memos) > self._limit:
            self._memos.popitem(last=False)
        return custom_id

    def decode(self, custom_id: str, user_id: str) -> tuple[Ask, int] | None:
        """The ask and base a custom id names, with its extras if this user's memo is still held; None if unreadable."""
        match = _KEY.fullmatch(custom_id)
        fields = FORM_FIELDS.get(match["kind"]) if match else None
        if match is None or fields is None:
            return None
        # No start is the first window, never an index: read as 15, it opened a 16th field's window, and what was typed
        # in the first was dropped as "nothing changed". A start past the kind's fields opens the first window too.
        index = int(match["start"], 16) if match["start"] else None
        start = fields[index] if index is not None and index < len(fields) else None
        briefing = match["briefing"] or (PRINTED + match["print"] if match["print"] else "")
        ask = Ask(_COMMANDS[match["command"]], match["kind"], match["id"], start, briefing)
        held = self._memos.get(match["memo"]) if match["memo"] else None
        # A memo is another person's, or another form's, if a token ever came round again: then it is ignored.
        if held is not None and held[0] == user_id and _same_form(held[1], ask):
            self._memos.move_to_end(match["memo"])
            ask = replace(held[1], start=start)
        return ask, int(match["base"], 16)


def is_form_id(custom_id: str) -> bool:
    """Whether a custom id is one of this module's, however old."""
    return custom_id.startswith(PREFIX)


def readable(item_id: str) -> bool:
    """Whether an item id is read back as written (none, for an add of the only session, or an id)."""
    return not item_id or IDENT.fullmatch(item_id) is not None


def found_briefing(ask: Ask, stored: Iterable[str]) -> Ask | None:
    """The ask with its briefing's id, when a custom id carried only its print: found among the `stored` ids; None when
    none has that print (the briefing was removed) or, never yet seen, two have."""
    if not ask.briefing.startswith(PRINTED):
        return ask
    ids = [briefing_id for briefing_id in stored if _print(briefing_id) == ask.briefing[len(PRINTED):]]
    return replace(ask, briefing=ids[0]) if len(ids) == 1 else None


def _print(briefing_id: str) -> str:
    """A briefing id's stand-in where the id does not fit: a collision among a store's briefings is refused, not guessed."""
    return hashlib.blake2b(briefing_id.encode(), digest_size=_PRINT_BYTES).hexdigest()


def _encode(ask: Ask, base: int, token: str) -> str | None:
    """The custom id, or None when it would not be read back as written (not an id) or is over Discord's limit."""
    fields = FORM_FIELDS[ask.kind]
    if not (readable(ask.item_id) and readable(ask.briefing)):
        return None
    start = format(fields.index(ask.start), "x") if ask.start in fields else ""
    named = f"{PREFIX}{ask.command[0]}{ask.kind}:{start}:{base:x}:{token}:{ask.item_id}"
    # The briefing's id where it fits, else its print: either way the form edits the briefing it was read from.
    for briefing in (f":{ask.briefing}", PRINTED + _print(ask.briefing)) if ask.briefing else ("",):
        if len(named + briefing) <= CUSTOM_ID_LIMIT:
            return named + briefing
    return None


def _same_form(held: Ask, ask: Ask) -> bool:
    """A memo applies only to the form it was written for (its briefing named by id or by print)."""
    printed = ask.briefing.startswith(PRINTED)
    briefing = PRINTED + _print(held.briefing) if printed and held.briefing else held.briefing
    return (held.command, held.kind, held.item_id, briefing) == (ask.command, ask.kind, ask.item_id, ask.briefing)
