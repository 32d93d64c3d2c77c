"""Shared fixtures: a real SQLite file seeded from data/, the core over it, and the loopback Discord.

Fixtures live here rather than in the support modules: a test that imported one would shadow it with
its own parameter of the same name, which linters rightly report.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store, open_store
from bot.store.repository import SqliteBriefingRepository
from tests.discord_fake import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PACK = DATA / "petro-trump-2026.yaml"
BRIEFING_ID = "petro-trump-2026"
# The shipped pack's source text, kept outside the repository (its licence is unknown): ../shared/seed
# beside the checkout, looked for upwards so a worktree finds it too.
SEED = next((p / "shared" / "seed" for p in ROOT.parents if (p / "shared" / "seed").is_dir()), ROOT.parent / "shared" / "seed")
# Two days before the meeting (11:00 in Washington on 3 February 2026 is 16:00 UTC).
BEFORE = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where this test's database file lives."""
    return tmp_path / "briefbot.sqlite3"


@pytest.fixture
async def store(store_path: Path) -> AsyncIterator[Store]:
    """An open store, migrated and seeded with the shipped pack."""
    async with open_store(store_path) as opened:
        await opened.seed(DATA, BRIEFING_ID)
        yield opened


@pytest.fixture
def repository(store: Store) -> SqliteBriefingRepository:
    """The SQLite repository of the seeded store."""
    return store.repository


@pytest.fixture
def core(store: Store) -> BriefingCore:
    """The briefing core over the seeded store, with its digest subscriptions."""
    return BriefingCore(store.repository, digests=store.digests)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """The loopback Discord (REST and gateway on 127.0.0.1), closed after the test."""
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


async def ask(core: BriefingCore, line: str, now: datetime = BEFORE, platform: str = "console", **fields: object) -> Reply:
    """Dispatch a console-style command line as the local operator."""
    return await core.dispatch_line(line, Request(command="", now=now, platform=platform, **fields))  # type: ignore[arg-type]
