"""The settings file's parsed YAML kept as JSON, keyed by the file's text itself.

A start whose config file has not changed reads this instead of importing PyYAML (its import compiles large
regexes, a large share of a cold `ask`). Only the parse is skipped: the strict check of every key runs on every
start. The cache lives at $XDG_CACHE_HOME/briefbot/settings.json (~/.cache/… without it), not beside the
store, because the store's location is itself a setting. It fails closed: a missing, unreadable, corrupt or
foreign file, or one for another text, is ignored and rewritten atomically; a location that cannot be written
just means no cache. It keeps a file only once the settings pass (bot/settings.py), so never a secret: a password in
`store.url`, or a token under a key, is refused first, and the environment, where they belong, is never kept. The file
is private to its user (0600) all the same: it says which server, and which user on it, the bot uses.
`read` and `write` serve the other cache of a start's work beside it, CLDR's words (bot/core/cldr.py), the same way.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Raise when the YAML's reading or the entry's form changes (bot/settings_yaml.py): an older entry then counts as foreign.
# 2: keyed by the text, not its sha256: hashlib's import loads OpenSSL, which a cold `ask` need not pay for.
FORMAT = 2


def cache_file(env: Mapping[str, str], name: str = "settings.json") -> Path | None:
    """Where the cache lives for this environment (the XDG base directory rules), or None without a home."""
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rules: a relative path is ignored
        home = env.get("HOME", "")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "briefbot" / name


def cached(file: Path | None, text: str) -> dict[str, Any] | None:
    """The mapping parsed from exactly this text, when the cache holds it; else None."""
    entry = read(file)
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("text") != text:
        return None
    settings = entry.get("settings")
    return settings if isinstance(settings, dict) else None


def keep(file: Path | None, text: str, settings: Any) -> None:
    """Write the entry for this text atomically, when JSON gives back exactly what YAML gave; never an error."""
    if file is None:
        return
    try:
        entry = json.dumps({"format": FORMAT, "text": text, "settings": settings}, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError):  # a date, a set, a non-finite number: not JSON
        return
    if json.loads(entry)["settings"] != settings:  # a number as a key, a pair as a tuple: it would come back otherwise
        return
    write(file, entry)


def read(file: Path | None) -> Any:
    """The JSON value the file holds, or None when it is missing, unreadable, not JSON or nested too deep to read."""
    if file is None:
        return None
    try:
        return json.loads(file.read_bytes())
    except (OSError, ValueError):  # missing, unreadable, not JSON or not UTF-8
        return None
    except RecursionError:  # json's parser recurses once per level: `[[[…` thousands deep is no entry either
        return None


def write(file: Path, text: str) -> None:
    """Replace the file's text atomically, private to its user; a location that cannot be written is no error."""
    partial = file.with_name(f".{file.name}.{os.getpid()}")
    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(partial, file)  # readers see the old entry or the new one, never half of one
    except OSError:  # a read-only or full location: no cache, the same answers
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
