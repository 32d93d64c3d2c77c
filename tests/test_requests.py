"""A request names its platform: one that forgot it must not pass as the trusted console."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.requests import Request

NOW = datetime(2026, 2, 3, 12, tzinfo=UTC)


def test_a_request_without_a_platform_is_refused_at_construction():
    with pytest.raises(TypeError, match="platform"):
        Request(command="meeting", now=NOW)  # type: ignore[call-arg]


def test_a_request_keeps_the_platform_it_was_given():
    assert Request(command="meeting", now=NOW, platform="slack").platform == "slack"
