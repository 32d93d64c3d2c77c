"""A request names its platform, and is the operator's only when its surface says so: one that forgot either is nobody's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.requests import CannotPost, Request

NOW = datetime(2026, 2, 3, 12, tzinfo=UTC)


def test_a_request_without_a_platform_is_refused_at_construction():
    with pytest.raises(TypeError, match="platform"):
        Request(command="meeting", now=NOW)  # type: ignore[call-arg]


def test_a_request_keeps_the_platform_it_was_given():
    assert Request(command="meeting", now=NOW, platform="slack").platform == "slack"


def test_a_request_is_the_operator_s_only_when_its_surface_says_so():
    assert not Request(command="set", now=NOW, platform="console").operator  # the name alone trusts nobody
    assert Request(command="set", now=NOW, platform="console", operator=True).operator


def test_asking_another_line_keeps_every_other_field():
    from msgspec.structs import fields, replace

    base = Request(command="meeting", now=NOW, platform="slack", options={"a": "b"}, text="t", user_id="U1", roles=frozenset({"r"}),
                   channel_id="C1", team_id="T1", locale="es", briefing_id="b1", platform_admin=True, import_hint="h", grant_hint="g", choose_hint="c", briefing_stays=False,
                   page_size=7,
                   command_words="es", slash_command="brief", options_in_fields=True, cannot_post=CannotPost("posting.slack_not_invited", bot="briefbot"), parent_id="C0",
                   form=True, direct=True, own_commands=("edit",), operator=True, given_options=" --db x", delivery="slack:abc")
    # Each field differs from its default, so a field the shortcut forgot (or put in the wrong place) shows.
    assert all(getattr(base, f.name) != f.default for f in fields(Request) if f.name not in ("options",))
    assert base.asking("timeline", {"from": "2025"}, "x") == replace(base, command="timeline", options={"from": "2025"}, text="x")
