"""The core's own knobs, filled from config/ by the CLI; plain values, no I/O."""

from __future__ import annotations

import msgspec

from bot.core.digest.model import DigestSettings


class CoreSettings(msgspec.Struct, frozen=True):
    """How long pages are, how many briefings autocomplete offers, and the digests' defaults."""

    page_size: int = 5
    autocomplete_limit: int = 25
    digest: DigestSettings = msgspec.field(default_factory=DigestSettings)
