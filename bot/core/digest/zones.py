"""How a subscription's clock is named: by its city for the channel that reads it, with its id for the operator."""

from __future__ import annotations

from bot.core.catalogue import Catalogue
from bot.core.model import Zone
from bot.core.status import city_zone
from bot.core.zones import one_zone_id, zone_named


def subscription_zone(name: str, cat: Catalogue, exact: bool = False) -> Zone:
    """The zone labelled by its city in the reader's language ("Bogotá"), as a session's start names its own; `exact`:
    its IANA id after the city ("Bogotá, America/Bogota"), for an operator's listing, where the id is what a
    config file or a `tz:` takes. A zone whose name is itself such a name for it ("UTC" for the id Etc/UTC, which
    `tz:UTC` is stored as; "GMT" for Etc/GMT) is named once: "UTC, Etc/UTC" named one clock twice."""
    zone = city_zone(name, cat)
    if not exact or (zone_named(zone.label) == zone.label and one_zone_id(zone.label) == one_zone_id(name)):
        return zone
    return Zone(name, cat("digest.zone_exact", place=zone.label, zone=name))
