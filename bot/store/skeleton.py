"""`briefbot new`: a commented pack file for a new story, which `validate` accepts and `load` loads."""

from __future__ import annotations

import yaml

from bot.core.catalogue import catalogue_for
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.core.registry import readers_text
from bot.core.skeleton import placeholder, skeleton_briefing, skeleton_mapping


def skeleton_text(briefing_id: str, title: str, zone: str = "UTC", language: str = DEFAULT_LANGUAGE, locale: str = DEFAULT_LANGUAGE) -> str:
    """The pack text, its placeholders in `language` and its comments (a header, then what each section is for) in the
    operator's `locale`; a bad id, title, zone or language is a PackError before anything is written."""
    skeleton_briefing(briefing_id, title, zone, language)
    cat = catalogue_for(locale)
    parts = [_comment(cat("new.note.header", title=" ".join(title.split()), placeholder=placeholder(language))), "\n"]
    for key, value in skeleton_mapping(briefing_id, title, zone, language).items():
        parts.append(_comment(readers_text(cat, f"new.note.{key}")))  # the commands it names as the operator types them
        parts.append(yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=100) + "\n")
    return "".join(parts)


def _comment(text: str) -> str:
    """Each line a YAML comment line, so nothing said in the file's guidance is read as pack data."""
    return "".join(f"# {line}\n" for line in text.splitlines())
