"""A second briefing beside the shipped one, for tests of choosing between them."""

from __future__ import annotations

from msgspec.structs import replace

from bot.core.admin.policy import AdminPolicy
from bot.core.model import Zone
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import PACK

OTHER_ID = "second-story"
OTHER_TITLE = "A second story"
BRUSSELS_ID = "brussels-summit"


# The title the second story gives the shipped pack's event `timeline/special-visa`: the same id, another item.
RETOLD_EVENT = "special-visa"
RETOLD_TITLE = "A second story's visa"


async def add_other(store: Store) -> None:
    """Store the shipped pack again under another id and title: the same items, told apart by the title."""
    await store.repository.save(replace(read_pack(PACK), id=OTHER_ID, title=OTHER_TITLE))


async def add_brussels(store: Store) -> None:
    """Store the shipped pack again as a summit on Brussels time: its first zone, the clock of its sessions, is Brussels."""
    shipped = read_pack(PACK)
    zones = (Zone("Europe/Brussels", "Brussels"), *shipped.zones)
    await store.repository.save(replace(shipped, id=BRUSSELS_ID, title="A summit in Brussels", zones=zones))


async def add_retold(store: Store) -> None:
    """Store the shipped pack again under another id, its event `special-visa` retitled: an id both briefings hold."""
    shipped = read_pack(PACK)
    timeline = tuple(replace(e, title=RETOLD_TITLE) if e.id == RETOLD_EVENT else e for e in shipped.timeline)
    await store.repository.save(replace(shipped, id=OTHER_ID, title=OTHER_TITLE, timeline=timeline))


def chooser_core(store: Store, policy: AdminPolicy | None = None) -> BriefingCore:
    """A core over the store with its digests and the spaces' and channels' choices."""
    return BriefingCore(store.repository, policy=policy, digests=store.digests, choices=store.choices)
