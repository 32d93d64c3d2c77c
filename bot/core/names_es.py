"""Spanish words for commands and options, accepted beside the English ones and shown to Spanish readers.

The English name stays the command's identity (logs, paging lines, the ledger); these are what a
Spanish speaker types and sees. Matching ignores accents and case, so `cronologia` works too.
"""

from __future__ import annotations

COMMANDS_ES: dict[str, str] = {
    "brief": "resumen",
    "meeting": "reunión",
    "timeline": "cronología",
    "delegation": "delegación",
    "person": "persona",
    "quotes": "citas",
    "faq": "preguntas",
    "search": "buscar",
    "sources": "fuentes",
    "help": "ayuda",
    "set": "cambiar",
    "add": "añadir",
    "remove": "quitar",
    "history": "historial",
    "undo": "deshacer",
    "redo": "rehacer",
    "uses": "usos",
    "subscribe": "suscribir",
    "unsubscribe": "desuscribir",
    "subscriptions": "suscripciones",
    # Discord's file commands, which are not core specs.
    "import": "importar",
    "export": "exportar",
}

OPTIONS_ES: dict[str, str] = {
    "from": "desde",
    "to": "hasta",
    "topic": "tema",
    "query": "palabras",
    "page": "página",
    "side": "parte",
    "role": "cargo",
    "name": "nombre",
    "speaker": "quien",
    "question": "pregunta",
    "text": "texto",
    "command": "comando",
    "kind": "tipo",
    "field": "campo",
    "value": "valor",
    "source": "fuente",
    "reason": "motivo",
    "revision": "revisión",
    "time": "hora",
    "tz": "zona",
    "quiet": "silencio",
    "alerts": "avisos",
    "channel": "canal",
    "platform": "plataforma",
    "public": "público",
    "file": "archivo",
    "apply": "aplicar",
    "version": "versión",
}
