"""Every kind as help, Discord's menus and refusals list them: one hand list for the tests that check those lists."""

from __future__ import annotations

from bot.core.kinds import KINDS

# Each kind's Spanish word as a Spanish reader types it (its `kind.<name>` in bot/core/catalogue_es.py, lower case). A
# translation someone writes, so it is written here by hand: read back from the catalogue, a wrong word would pass.
SPANISH_KINDS = {
    "session": "sesión", "timeline": "cronología", "person": "persona", "agenda": "agenda", "quote": "cita",
    "faq": "pregunta frecuente", "context": "contexto", "source": "fuente",
}


def kinds_listed(locale: str, typed: bool = True) -> str:
    """Every kind in the order bot/core/kinds.py defines them: the ids in English, the Spanish words in Spanish, a word of
    two quoted where a typed line reads it back (`typed`), bare in Discord's menus, where no quote belongs."""
    if locale == "en":
        return ", ".join(KINDS)
    missing = [name for name in KINDS if name not in SPANISH_KINDS]
    assert not missing, (
        f"add kind {', '.join(missing)} to SPANISH_KINDS in {__file__}, with its Spanish word as a reader types it (its"
        " `kind.<name>` in bot/core/catalogue_es.py, lower case)"
    )
    assert set(SPANISH_KINDS) <= set(KINDS), f"take {sorted(set(SPANISH_KINDS) - set(KINDS))}, no longer kinds, out of SPANISH_KINDS in {__file__}"
    return ", ".join(f'"{word}"' if typed and " " in word else word for word in (SPANISH_KINDS[name] for name in KINDS))
