"""A lone UTF-16 surrogate in any input is refused with a clear message where it enters the core.

Such a character cannot be stored, logged or sent back (UnicodeEncodeError), so before the fix
`history kind:quote id:"\\ud800"` failed inside SQLite and the reader got the generic error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlencode

import pytest
from msgspec.structs import replace

from bot.core.catalogue import Catalogue
from bot.core.requests import Request
from bot.core.service import BriefingCore
from tests.cli_support import briefbot
from tests.conftest import BEFORE, PACK, ROOT, ask
from tests.slack_fake import action_payload
from tests.test_slack_http import serving_bot

BROKEN = Catalogue()("request.broken_text")
# What a process receives for the bytes ED A0 80 (a surrogate written as UTF-8) in its argv or a piped
# stdin: Python decodes undecodable bytes to lone surrogates (surrogateescape).
ESCAPED = "\udced\udca0\udc80"


@pytest.mark.parametrize(
    "line",
    [
        'history kind:quote id:"\ud800"', "timeline topic:\udfff", "search \ud83d", "person x\ud800y", "time\ud800line",
        "timeline \ud800:x",
    ],
)
async def test_a_line_with_a_lone_surrogate_is_refused_clearly(core: BriefingCore, caplog: pytest.LogCaptureFixture, line: str) -> None:
    reply = await ask(core, line)
    assert reply.kind == "error" and reply.text == BROKEN
    reply.text.encode("utf-8")  # the answer itself can be sent
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    "fields",
    [
        {"options": {"kind": "quote", "id": "\ud800"}},
        {"options": {"\ud800": "x"}},
        {"text": "petro \udc00"},
        {"user_id": "U\ud800"},
        {"roles": frozenset({"r\ud800"})},
    ],
)
async def test_a_structured_request_with_a_lone_surrogate_is_refused(core: BriefingCore, fields: dict[str, object]) -> None:
    command = "history" if "options" in fields else "person"
    reply = await core.dispatch(Request(command=command, now=BEFORE, platform="console", operator=True, **fields))  # type: ignore[arg-type]
    assert reply.kind == "error" and reply.text == BROKEN


async def test_options_in_a_mapping_that_is_not_a_dict_are_checked_too(core: BriefingCore) -> None:
    """JSON has no form for such a mapping: its values are walked one by one, and a clean one is answered."""
    broken = Request(command="history", now=BEFORE, platform="console", operator=True, options=MappingProxyType({"kind": "quote", "id": "\ud800"}))
    assert (await core.dispatch(broken)).text == BROKEN
    clean = Request(command="timeline", now=BEFORE, platform="console", operator=True, options=MappingProxyType({"topic": "visa"}))
    assert (await core.dispatch(clean)).kind == "answer"


async def test_a_paired_surrogate_is_one_real_character_and_accepted(core: BriefingCore) -> None:
    reply = await core.dispatch(Request(command="search", now=BEFORE, platform="console", operator=True, options={"query": json.loads('"\\ud83d\\ude00"')}))
    assert reply.text != BROKEN


async def test_forms_imports_exports_and_autocomplete_refuse_it_too(core: BriefingCore) -> None:
    request = Request(command="set", now=BEFORE, platform="console", operator=True)
    assert (await core.complete(Request(command="person", now=BEFORE, platform="console", operator=True), "name", "pe\ud800")) == []
    assert (await core.complete(Request(command="person", now=BEFORE, platform="console", operator=True), "name", "pe")) != []
    form = await core.form(request, "quote", "\ud800")
    assert getattr(form, "text", None) == BROKEN
    pack = PACK.read_text(encoding="utf-8")
    imported = await core.import_text(request, pack.replace("Petro in Washington", "Petro \ud800"), "x.yaml", apply=False)
    assert imported.kind == "error" and imported.text == BROKEN
    exported = await core.export_pack(Request(command="export", now=BEFORE, platform="console", operator=True, channel_id="C\ud800"))
    assert getattr(exported, "text", None) == BROKEN


def test_the_cli_refuses_undecodable_bytes_in_its_argument(tmp_path: Path) -> None:
    result = briefbot("--db", tmp_path / "b.sqlite3", "ask", f'history kind:quote id:"{ESCAPED}"')
    assert result.returncode == 1
    assert BROKEN in result.stdout
    assert "Traceback" not in result.stderr


def test_the_console_refuses_the_line_and_answers_the_next(tmp_path: Path) -> None:
    piped = b'/history kind:quote id:"\xed\xa0\x80"\n/meeting\n'
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "b.sqlite3"), "console", "--now", "2026-02-01T12:00:00Z"],
        cwd=ROOT, input=piped, capture_output=True, timeout=60,
    )
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0
    assert BROKEN in out and "Meeting:" in out
    assert b"Traceback" not in result.stderr


async def test_a_slack_json_payload_with_a_lone_surrogate_gets_the_clear_message(core: BriefingCore) -> None:
    async with serving_bot(core, workspace_admins=False) as harness:
        # json.dumps writes the lone surrogate as the escape \ud800, exactly as a Slack payload can.
        payload = action_payload("briefbot_page_next", 'history kind:quote id:"\ud800"', harness.slack.response_url("r2"))
        body = urlencode({"payload": json.dumps(payload)})
        assert "%5Cud800" in body
        response = await harness.send(body, "application/x-www-form-urlencoded")
        assert response.status == 200
        (posted,) = await harness.slack.wait_for("hook/r2")
        assert BROKEN in json.dumps(posted.body, ensure_ascii=False)


@pytest.mark.parametrize("name", [name for name in Request.__struct_fields__ if Request.__annotations__[name] in ("str", "str | None")])
async def test_every_text_field_of_a_request_is_checked(core: BriefingCore, name: str) -> None:
    reply = await core.dispatch(replace(Request(command="sources", now=BEFORE, platform="console", operator=True), **{name: "x\ud800"}))
    assert reply.kind == "error" and reply.text == BROKEN
