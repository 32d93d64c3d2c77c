"""The App Home tab (the live status panel) and the modal its buttons open."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack_app.mrkdwn import plain
from bot.adapters.slack_app.render import MAX_BUTTON_VALUE, MAX_MODAL_TITLE, Block, body_blocks, button, fit, render_reply
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.i18n import language_of
from bot.core.registry import CommandSpec, local_command
from bot.core.replies import Reply

MAX_VIEW_BLOCKS = 100
MAX_ACTIONS = 25
HOME_ACTION = "briefbot_home"
# A modal's Previous and Next (`briefbot_modal_page_next`): not a message's (`render.PAGE_ACTION`), which answer through its response_url.
MODAL_PAGE_ACTION = "briefbot_modal_page"


def home_commands(specs: tuple[CommandSpec, ...]) -> tuple[str, ...]:
    """Commands a button can run without arguments; the overview itself is the panel already."""
    return tuple(s.name for s in specs if s.name != "brief" and not s.file and not any(o.required for o in s.options))


# Buttons whose command word, capitalised, says nothing on its own ("Use") or is read as a word ("Faq").
_LABELS = {"faq": "slack.home_faq", "use": "slack.home_use"}


def home_view(status: Reply, commands: tuple[str, ...], locale: str = "en") -> dict[str, Any]:
    """The `brief` overview (meeting, status and countdown, latest change) and one button per command."""
    language, cat = language_of(locale), catalogue_for(locale)
    buttons = [
        button(cat(_LABELS[name]) if name in _LABELS else local_command(name, language).capitalize(), f"{HOME_ACTION}_{name}", name)
        for name in commands[:MAX_ACTIONS]
    ]
    tail: list[Block] = [{"type": "actions", "elements": buttons}] if buttons else []
    blocks = fit(body_blocks(status, cat), MAX_VIEW_BLOCKS - len(tail)) + tail
    return {"type": "home", "blocks": blocks}


def answer_modal(reply: Reply, locale: str = "en") -> dict[str, Any]:
    """An answer in a modal; a list's Previous and Next turn its pages in the modal itself (`MODAL_PAGE_ACTION`), as a
    message's turn in place: a modal has no response_url."""
    cat = catalogue_for(locale)
    blocks = render_reply(reply, interactive=False, locale=locale)["blocks"]  # ≤ 50 of a modal's 100 blocks: room for the buttons
    return {
        "type": "modal",
        "title": plain(reply.title.strip() or "briefbot", MAX_MODAL_TITLE),
        "close": plain(cat("reply.close"), MAX_MODAL_TITLE),
        "blocks": blocks + _page_buttons(reply, cat),
    }


def _page_buttons(reply: Reply, cat: Catalogue) -> list[Block]:
    """Previous and Next under a page of a list, each carrying its page's line (naming the briefing that answered)."""
    page = reply.page
    if reply.kind == "error" or page is None or page.count <= 1:
        return []
    previous, following = page.lines_for(page.number - 1, page.number + 1)
    shown: list[Block] = []  # a button whose line is over Slack's limit for its value is left out, as a message's is
    if page.number > 1 and len(previous) <= MAX_BUTTON_VALUE:
        shown.append(button(cat("page.previous"), f"{MODAL_PAGE_ACTION}_previous", previous))
    if page.number < page.count and len(following) <= MAX_BUTTON_VALUE:
        shown.append(button(cat("page.next_button"), f"{MODAL_PAGE_ACTION}_next", following))
    return [{"type": "actions", "elements": shown}] if shown else []
