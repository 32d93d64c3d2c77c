"""Spanish words for commands and options, accepted beside the English ones and shown to Spanish readers.

The English name stays the command's identity (logs, paging lines, the ledger); these are what a
Spanish speaker types and sees. Matching ignores accents and case, so `cronologia` works too.
"""

from __future__ import annotations

COMMANDS_ES: dict[str, str] = {
    "brief": "resumen",
    "meeting": "reunión",
    "agenda": "agenda",  # the same word: listed, so every command is (tests/test_spanish.py)
    "timeline": "cronología",
    "delegation": "delegación",
    "person": "persona",
    "quotes": "citas",
    "context": "contexto",
    "faq": "preguntas",
    "search": "buscar",
    "sources": "fuentes",
    "why": "origen",
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
    "briefings": "informes",
    "briefing": "informe",
    "use": "usar",
    "export": "exportar",
    "calendar": "calendario",
    # The chats' own commands, which are no core specs: a pack's upload (Discord, Slack) and Slack's edit form.
    "import": "importar",
    "edit": "editar",
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
    "speaker": "quién",
    "question": "pregunta",
    "text": "texto",
    "command": "comando",
    "item": "elemento",
    "kind": "tipo",
    "field": "campo",
    "value": "valor",
    "source": "fuente",
    "reason": "motivo",
    "revision": "revisión",
    "time": "hora",
    "tz": "zona",
    "zone": "zona",  # a new briefing's time zone, as subscribe's `tz:`: each command has one of the two
    "quiet": "silencio",
    "alerts": "avisos",
    "channel": "canal",
    "platform": "plataforma",
    "public": "público",
    "file": "archivo",
    "apply": "aplicar",
    "version": "versión",
    "changes": "cambios",
    "discard_edits": "descartar_ediciones",
    "briefing": "informe",
    "for": "para",
    "session": "sesión",
    "language": "idioma",
    "lang": "idioma",  # set's language of the text given; no command has both
    "passage": "pasaje",
    "action": "acción",
    "id": "id",
    "title": "título",
    "base": "base",
}
