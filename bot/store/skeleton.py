"""`briefbot new`: a commented pack file for a new story, which `validate` accepts and `load` loads."""

from __future__ import annotations

import yaml

from bot.core.i18n import DEFAULT_LANGUAGE
from bot.core.skeleton import placeholder, skeleton_briefing, skeleton_mapping

HEADER = """\
# Briefing pack: {title}
# Format: docs/data-pack.md. Replace every "{placeholder}" with what a source says;
# leave out what no source gives (the bot then says "not announced"). Check with
# `briefbot validate FILE`, then `briefbot load FILE`.

"""
# What each section is for, written above it.
NOTES = {
    "format": "The version of the pack format.",
    "language": "The language this pack's text is written in: en or es. Readers of the other language see it marked\n"
                "untranslated wherever `translations:` give no text in theirs (docs/languages.md). In chat, an admin's\n"
                "`set kind:briefing language:…` changes it.",
    "briefing": "The story: its id (used by briefing: and /use), title, one-paragraph summary, the time zones\n"
                "readers follow (IANA names, the first the default) and the sides people belong to. Every item, this one\n"
                "included, carries `evidence`: passages copied word for word from a source that support it.",
    "sources": "Every fact names one of these by id; add `author`, `published` (YYYY-MM-DD) and `url` when known,\n"
               "and `text:` (a file beside the pack) so `validate` finds every evidence passage in it.",
    "sessions": "The sittings of the story (meetings, hearings, votes), each with an id and title. `start` is the\n"
                "local time YYYY-MM-DDTHH:MM in the session's zone, or `date` (YYYY-MM-DD) when only the day is known,\n"
                "or neither until announced; `parties` and `stakes` name people by id; status: scheduled,\n"
                "in_progress, concluded, postponed or cancelled.",
    "people": "Who is involved; `side` is a side id above. Add `delegation: true` for a visiting delegation.\n"
              "Timeline events, agenda items, quotes, FAQ and context come later: here, or with /add in chat.",
}


def skeleton_text(briefing_id: str, title: str, zone: str = "UTC", language: str = DEFAULT_LANGUAGE) -> str:
    """The pack text; a bad id, title, zone or language is a PackError before anything is written."""
    skeleton_briefing(briefing_id, title, zone, language)
    parts = [HEADER.format(title=" ".join(title.split()), placeholder=placeholder(language))]
    for key, value in skeleton_mapping(briefing_id, title, zone, language).items():
        parts.append("".join(f"# {line}\n" for line in NOTES[key].splitlines()))
        parts.append(yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=100) + "\n")
    return "".join(parts)
