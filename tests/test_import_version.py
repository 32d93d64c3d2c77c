"""Every import path applies only a diff somebody saw: the version check in the core, and each surface's hint."""

from __future__ import annotations

from msgspec.structs import replace

from bot.core.pack import pack_mapping
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store.packfile import dump_pack, read_pack_text
from bot.store.repository import SqliteBriefingRepository
from tests.test_admin import NOW, POLICY

SLACK_ADMIN = Request(command="", now=NOW, platform="slack", user_id="U1")


async def test_an_apply_without_the_dry_runs_version_is_a_dry_run(repository: SqliteBriefingRepository) -> None:
    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)
    before = pack_mapping(await repository.briefing())
    text = dump_pack(await repository.briefing()).replace("status: scheduled", "status: postponed")
    reply = await core.import_text(SLACK_ADMIN, text, "new.yaml", apply=True)
    assert reply.kind == "error" and reply.text.startswith("Nothing was imported: an apply must give the version")
    assert [(f.name, f.value) for f in reply.fields] == [("meeting", "changed: status")]
    assert reply.approval is not None and reply.approval.version == 1
    assert f"Apply, or import the same file again with apply, version 1 and changes {reply.approval.changes};" in reply.footer
    assert pack_mapping(await repository.briefing()) == before


async def test_the_dry_run_hint_speaks_the_requests_syntax(repository: SqliteBriefingRepository) -> None:
    core = BriefingCore(repository, policy=POLICY, pack_reader=read_pack_text)
    text = dump_pack(await repository.briefing()).replace("status: scheduled", "status: postponed")
    cli = replace(SLACK_ADMIN, platform="cli", operator=True, user_id="operator", import_hint="import.apply_hint_cli")
    dry = await core.import_text(cli, text, "packs/new.yaml", apply=False)
    assert dry.approval is not None
    assert dry.footer.startswith(f"To make these changes: briefbot admin import packs/new.yaml --apply --version 1 --changes {dry.approval.changes} ")
