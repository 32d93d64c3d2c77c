"""The core's own knobs, filled from config/ by the CLI; plain values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.digest.model import DigestSettings


@dataclass(frozen=True, slots=True)
class CoreSettings:
    """How long pages are, how many search hits are considered, and the digests' defaults."""

    page_size: int = 5
    search_limit: int = 50
    autocomplete_limit: int = 25
    digest: DigestSettings = field(default_factory=DigestSettings)
