"""Slack in the reader's language, through the real bolt app against the loopback Slack."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.adapters.console import render_text
from bot.adapters.slack_app.app import SlackBot, build_app, build_client
from bot.adapters.slack_app.cli import store_probe
from bot.adapters.slack_app.gate import SlackGate
from bot.adapters.slack_app.health import Health
from bot.adapters.slack_app.people import WorkspaceAdmins
from bot.adapters.slack_app.web import serving, web_app
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store
from tests.conftest import BEFORE
from tests.kinds_support import kinds_listed
from tests.slack_fake import BOT_TOKEN, SECRET, TEAM, USER, FakeSlack, home_opened_event, signature_headers, slash_payload
from tests.test_why import EDITED_AT, operators_addition

TIMEOUT = aiohttp.ClientTimeout(total=5)
LATAM, BROKEN = "ULATAM", "UBROKEN"
USERS: dict[str, dict[str, Any] | None] = {LATAM: {"id": LATAM, "locale": "es-LA"}, USER: {"id": USER, "locale": "en-US"}, BROKEN: None}


@asynccontextmanager
async def slack_bot(core: BriefingCore, locale: str = "en") -> AsyncIterator[tuple[FakeSlack, str, aiohttp.ClientSession]]:
    """The real bolt app on loopback, configured with `locale`, talking to a loopback Slack that knows USERS."""
    async with FakeSlack(users=dict(USERS)) as slack, aiohttp.ClientSession(timeout=TIMEOUT) as http:
        bot = SlackBot(core, WorkspaceAdmins(enabled=False), clock=lambda: BEFORE, http=http, locale=locale)
        client = build_client(BOT_TOKEN, slack.base_url, http)
        app = web_app(build_app(bot, client), SlackGate(SECRET), Health(store_probe(core), client))
        async with serving(app, "127.0.0.1", 0) as port:
            yield slack, f"http://127.0.0.1:{port}/slack/events", http
            await bot.inflight.drain(5)


async def answered(slack: FakeSlack, url: str, http: aiohttp.ClientSession, text: str, user: str, hook: str) -> dict[str, Any]:
    """Run `/brief text` as `user`; the message posted to the response_url."""
    form = urlencode(slash_payload("/brief", text, slack.response_url(hook), user=user))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signature_headers(form)}
    async with http.post(url, data=form.encode(), headers=headers) as response:
        assert response.status == 200
    (posted,) = await slack.wait_for(f"hook/{hook}")
    body: dict[str, Any] = posted.body
    return body


async def slash(slack: FakeSlack, url: str, http: aiohttp.ClientSession, text: str, user: str, hook: str) -> str:
    """Run `/brief text` as `user`; the answer posted to the response_url, as one string."""
    return str(await answered(slack, url, http, text, user, hook))


async def test_a_user_whose_slack_is_in_latin_american_spanish_gets_spanish(core: BriefingCore) -> None:
    async with slack_bot(core) as (slack, url, http):
        answer = await slash(slack, url, http, "cronología desde:2025-09 tema:sanctions", LATAM, "r1")
        assert "Cronología · " in answer and "Timeline" not in answer
        english = await slash(slack, url, http, "timeline from:2025-09 topic:sanctions", USER, "r2")
        assert "Timeline · " in english
        lookups = slack.calls("users.info")
        assert [(r.query["user"], r.query.get("include_locale")) for r in lookups] == [(LATAM, "1"), (USER, "1")]


async def test_why_names_its_last_change_in_spanish_and_in_the_readers_clock(core: BriefingCore, store: Store) -> None:
    """The stored action ("add") was shown raw, and the time as an ISO stamp in UTC."""
    number = await operators_addition(store)
    async with slack_bot(core) as (slack, url, http):
        answer = await slash(slack, url, http, "origen timeline/new-talks", LATAM, "r1")
    assert f"<!date^{int(EDITED_AT.timestamp())}^" in answer  # in the reader's own clock
    assert f"3 de febrero de 2026, 18:00 UTC (Revisión {number} · timeline/new-talks añadido)" in answer


async def test_a_spanish_slack_reader_asks_why_in_two_words_and_is_offered_only_what_they_may_run(core: BriefingCore) -> None:
    """`/brief por qué …` is `origen …`; `/brief por` offered `exportar`, an admin's command, to a reader who is none."""
    async with slack_bot(core) as (slack, url, http):
        answer = await slash(slack, url, http, "por qué trump visa", LATAM, "r1")
        unknown = await slash(slack, url, http, "por", LATAM, "r2")
        english = await slash(slack, url, http, "exprt", USER, "r3")
    assert "Origen: Trump revoca la visa de Petro" in answer
    assert "No existe el comando «por». ¿Querías decir: origen?" in unknown and "exportar" not in unknown
    assert "There is no command “exprt”. Try /brief help." in english


async def test_help_names_commands_as_slack_takes_them_in_each_language(core: BriefingCore) -> None:
    """Slack has /brief and /use only: a description that sent a Spanish reader to "/usar" named no command of theirs."""
    async with slack_bot(core) as (slack, url, http):
        spanish = await slash(slack, url, http, "ayuda cronología", LATAM, "r1")
        english = await slash(slack, url, http, "help timeline", USER, "r2")
        export = await slash(slack, url, http, "ayuda exportar", LATAM, "r3")
    assert "consulta /brief usar)" in spanish and "/usar" not in spanish
    assert "see /brief use)" in english
    assert "llevarlo a otro sitio con /brief importar." in export
    # The same briefing's help asked where each command is a slash command of its own (no `slash_command`): kept apart.
    own = render_text(await core.dispatch_line("/ayuda cronología", Request(command="", now=BEFORE, platform="slack", locale="es", team_id=TEAM)))
    assert "consulta /usar)" in own


async def test_a_failed_lookup_answers_in_the_configured_language(core: BriefingCore) -> None:
    async with slack_bot(core) as (slack, url, http):
        assert "Meeting: " in await slash(slack, url, http, "meeting", BROKEN, "r1")
    async with slack_bot(core, locale="es") as (slack, url, http):
        assert "Reunión: " in await slash(slack, url, http, "meeting", BROKEN, "r1")


async def test_the_home_tab_is_in_the_users_language(core: BriefingCore) -> None:
    async with slack_bot(core) as (slack, url, http):
        body = json.dumps(home_opened_event(LATAM))
        async with http.post(url, data=body.encode(), headers={"Content-Type": "application/json", **signature_headers(body)}) as response:
            assert response.status == 200
        (published,) = await slack.wait_for("views.publish")
        shown = json.dumps(published.body, ensure_ascii=False)
        assert "Cuándo" in shown and '"Cronología"' in shown and '"Timeline"' not in shown
        assert '"Preguntas frecuentes"' in shown and '"Qué informe"' in shown and '"Usar"' not in shown


async def test_the_locale_is_looked_up_once_per_user_while_cached(core: BriefingCore) -> None:
    async with slack_bot(core) as (slack, url, http):
        await slash(slack, url, http, "reunión", LATAM, "r1")
        assert "Fuentes · " in await slash(slack, url, http, "fuentes", LATAM, "r2")
        assert len(slack.calls("users.info")) == 1


async def test_the_cache_is_fresh_for_five_minutes_and_bounded(monkeypatch) -> None:
    from bot.adapters.slack_app import people

    monkeypatch.setattr(people, "CACHE_SIZE", 2)
    now = [0.0]
    async with FakeSlack(users={}) as slack:
        cache = WorkspaceAdmins(enabled=False, clock=lambda: now[0])
        client = build_client(BOT_TOKEN, slack.base_url)
        asked = lambda: [r.query["user"] for r in slack.calls("users.info")]  # noqa: E731
        for user in ("U1", "U1", "U2"):
            await cache.locale(client, user)
        assert asked() == ["U1", "U2"]
        await cache.locale(client, "U3")  # a third user: the full map starts again, so U1 is asked again
        await cache.locale(client, "U1")
        assert asked() == ["U1", "U2", "U3", "U1"]
        now[0] = people.CACHE_SECONDS  # five minutes later nobody is fresh
        await cache.locale(client, "U3")
        assert asked()[-1] == "U3" and len(asked()) == 5
        slack.users["U4"] = None  # Slack will not say (an external member): asked once, again only once its minute is out
        assert await cache.locale(client, "U4") is None and await cache.locale(client, "U4") is None
        now[0] += people.FAILED_SECONDS - 1
        await cache.locale(client, "U4")
        assert asked()[-1] == "U4" and len(asked()) == 6
        now[0] += 1
        await cache.locale(client, "U4")
        assert asked()[-1] == "U4" and len(asked()) == 7


async def test_the_ack_never_waits_for_the_language_lookup(core: BriefingCore) -> None:
    """Issue #16/#18: Slack's 3 s ack must not carry a users.info round trip; the lookup happens in the answer's task."""
    lookup = asyncio.Event()
    async with slack_bot(core) as (slack, url, http):
        slack.held["users.info"] = lookup  # Slack never answers the lookup until the ack has come back
        form = urlencode(slash_payload("/brief", "reunión", slack.response_url("r1"), user=LATAM))
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signature_headers(form)}
        async with http.post(url, data=form.encode(), headers=headers) as response:
            assert response.status == 200 and await response.text() == ""
        assert not slack.calls("hook/r1")  # acked with the lookup still unanswered, so no answer yet either
        lookup.set()
        (posted,) = await slack.wait_for("hook/r1")
        assert "Reunión: " in str(posted.body)
        assert len(slack.calls("users.info")) == 1


async def test_a_spanish_slack_user_reads_the_packs_spanish(core: BriefingCore) -> None:
    async with slack_bot(core) as (slack, url, http):
        answer = await slash(slack, url, http, "cronología desde:2025-09 tema:sanctions", LATAM, "r1")
        assert "El Tesoro de EE. UU. sanciona a Petro y a su familia" in answer and "Traducido del inglés" in answer
        english = await slash(slack, url, http, "timeline from:2025-09 topic:sanctions", USER, "r2")
        assert "U.S. Treasury sanctions Petro and his family" in english and "Tesoro" not in english


async def test_a_spanish_slack_users_help_names_the_kinds_they_type(core: BriefingCore) -> None:
    """`/brief ayuda añadir`: tipo: lists the Spanish kinds the line takes (persona, fuente), not the English ids."""
    async with slack_bot(core) as (slack, url, http):
        spanish = await slash(slack, url, http, "ayuda añadir", LATAM, "r1")
        assert f"Qué añadir: {kinds_listed('es')}" in spanish, spanish
        english = await slash(slack, url, http, "help add", USER, "r2")
        assert f"What to add: {kinds_listed('en')}" in english, english


async def test_a_slack_user_is_pointed_to_commands_as_slack_takes_them(core: BriefingCore) -> None:
    """On Slack every command follows /brief, in the reader's words: "/cronología" is no command there, and "/search" is
    Slack's own."""
    async with slack_bot(core) as (slack, url, http):
        brief = await slash(slack, url, http, "resumen", LATAM, "r1")
        assert "Más: /brief reunión · /brief cronología" in brief and " /cronología" not in brief
        missing = await slash(slack, url, http, "preguntas zzzz", LATAM, "r2")
        assert "Prueba /brief preguntas para verlas todas" in missing
        english = await slash(slack, url, http, "brief", USER, "r3")
        assert "/brief search · /brief sources" in english


async def test_a_channel_fixed_to_spanish_gets_the_apps_own_words_in_spanish_too(store: Store) -> None:
    """One language per answer: the page line, its buttons and the sources' heading follow the channel's language."""
    core = BriefingCore(store.repository, policy=AdminPolicy({"slack": Admins(users=frozenset({USER}))}), digests=store.digests, choices=store.choices)
    async with slack_bot(core) as (slack, url, http):
        assert "Este canal responde ahora en español" in await slash(slack, url, http, "use language:es", USER, "r1")
        timeline = await slash(slack, url, http, "timeline", USER, "r2")  # an English reader
        assert "Cronología · " in timeline and "Página 1 de" in timeline and "Siguiente" in timeline and "Fuentes" in timeline
        assert "Page 1 of" not in timeline and "Next" not in timeline and "Sources" not in timeline
