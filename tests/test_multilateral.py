"""An event with many sides and no visiting delegation: what its answers say of its size, its people and their sessions,
with the sources of what each shows; the fictional two-city pack under tests/packs/, in English and Spanish."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import ask

PACK = Path(__file__).parent / "packs" / "multilateral-talks.yaml"
TALKS = "multilateral-talks"
NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)  # the day before the opening plenary


@pytest.fixture
async def talks(store: Store) -> BriefingCore:
    """The core over the seeded store with the talks beside the shipped briefing."""
    await store.repository.save(read_pack(PACK))
    return BriefingCore(store.repository, digests=store.digests)


def fields(reply: Reply) -> dict[str, str]:
    assert reply.kind == "answer", reply.text
    return {field.name: field.value for field in reply.fields}


@pytest.mark.parametrize(
    ("locale", "who", "expected"),
    [
        ("en", "Who", "Ana Quispe; about 40 delegations, according to officials"),
        # The size is the source's words, untranslated as the pack gives no Spanish for them.
        ("es", "Quiénes", "Ana Quispe; about 40 delegations, according to officials (sin traducir)"),
    ],
)
async def test_a_summits_size_is_the_sources_words_with_no_delegation_or_count_made_up(talks: BriefingCore, locale: str, who: str, expected: str) -> None:
    """It read "a delegation of about 40 delegations, according to officials, 0 of them named": one visiting delegation
    assumed, and a count of named members no person's data gives, while /delegation said none is visiting."""
    brief = fields(await ask(talks, f"/brief briefing:{TALKS}", now=NOW, locale=locale))
    assert brief[who] == expected
