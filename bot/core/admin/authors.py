"""Who made a revision, in the reader's words: the command line's, the console's and an erased user's author are words
briefbot stored ("operator", "local", "erased user"), not a platform's ids, so a Spanish reader reads them in Spanish."""

from __future__ import annotations

from bot.core.catalogue import Catalogue

# What an erased user is called wherever they were an author (`briefbot store forget-user`): no platform's user id has a
# space, so it names nobody.
ERASED = "erased user"
# The stored authors that are words, and the catalogue keys of them; any other is a platform's user id, shown as stored.
_ACTORS = {"operator": "author.operator", "local": "author.local", ERASED: "author.erased"}


def author_words(cat: Catalogue, actor: str, platform: str) -> dict[str, str]:
    """A revision's `actor` and `platform` as a template names them ("el operador", "línea de comandos")."""
    actor_key, platform_key = _ACTORS.get(actor), f"platform.{platform}"
    return {"actor": cat(actor_key) if actor_key else actor, "platform": cat(platform_key) if cat.has(platform_key) else platform}
