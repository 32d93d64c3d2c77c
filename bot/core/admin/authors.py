"""Who made a revision, in the reader's words: the command line's, the console's and an erased user's author are words
briefbot stored ("operator", "local", "erased user"), not a platform's ids, so a Spanish reader reads them in Spanish; any
other author is a platform's user, which a renderer on that platform names (`Ref`)."""

from __future__ import annotations

from bot.core.catalogue import Catalogue
from bot.core.replies import Ref

# What an erased user is called wherever they were an author (`briefbot store forget-user`): no platform's user id has a
# space, so it names nobody.
ERASED = "erased user"
# The stored authors that are words, and the catalogue keys of them; any other is a platform's user id, shown as stored.
_ACTORS = {"operator": "author.operator", "local": "author.local", ERASED: "author.erased"}


def author_words(cat: Catalogue, actor: str, platform: str) -> dict[str, str | Ref]:
    """A revision's `actor` and `platform` as a template (`Catalogue.marked`) names them ("el operador", "línea de
    comandos", a Slack user)."""
    actor_key = _ACTORS.get(actor)
    return {"actor": cat(actor_key) if actor_key else Ref(platform, actor), "platform": platform_name(cat, platform)}


def platform_name(cat: Catalogue, platform: str) -> str:
    """A platform as its reader calls it ("Slack", "línea de comandos"): one name wherever it is shown; an unknown one as stored."""
    key = f"platform.{platform}"
    return cat(key) if cat.has(key) else platform
