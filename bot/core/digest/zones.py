"""How a subscription's clock is named: by its city for the channel that reads it, with its id for the operator."""

from __future__ import annotations

from bot.core.catalogue import Catalogue
from bot.core.model import Zone
from bot.core.status import city_zone


def subscription_zone(name: str, cat: Catalogue, exact: bool = False) -> Zone:
    """The zone labelled by its city in the reader's language ("Bogotá"), as a session's start names its own; `exact`:
    its IANA id after the city ("Bogotá, America/Bogota"), for an operator's listing, where the id is what a
    config file or a `tz:` takes. A zone whose city is its id ("UTC") is named once."""
    zone = city_zone(name, cat)
    if not exact or zone.label == name:
        return zone
    return Zone(name, cat("digest.zone_exact", place=zone.label, zone=name))
