"""`briefbot digest preview / run-once` and the `digests:` settings, end to end as a subprocess."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sqlite3
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, PACK
from tests.digest_support import MORE_THAN_LISTED
from tests.slack_fake import BOT_TOKEN, FakeSlack

SUBSCRIBE = ("admin", "subscribe", "platform:slack", "channel:C42", "time:07:30", "tz:America/Bogota", "alerts:none")


def test_preview_shows_each_subscriptions_digest_without_sending(tmp_path: Path):
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, *SUBSCRIBE).returncode == 0
    assert briefbot("--db", db, "admin", "set", "kind:meeting", "venue:Oval Office").returncode == 0
    # As of a time after the edit (made now): a preview lists only changes made by the time it is as of.
    shown = briefbot("--db", db, "digest", "preview", "--now", "2100-02-02T12:30:00Z")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("== Slack channel C42 ==\nSlot: Tue 2 February 2100, 07:30 UTC-5 (Bogotá, America/Bogota). The digest as it would be sent then:\n"
                                   "Daily digest · 2 February 2100 · Petro in Washington: the White House meeting with Trump\n"), shown.stdout
    assert "1 change since this channel subscribed:" in shown.stdout and "Oval Office" in shown.stdout
    assert "Daily at 07:30 (Bogotá) · ref " in shown.stdout


def test_preview_of_a_later_slot_says_which_and_reads_as_sent_then(tmp_path: Path):
    """Tokyo's 07:00 slot of 2 February is 22:00 UTC on the 1st: previewed at 06:00 UTC, the countdown to the meeting
    (16:00 UTC on the 3rd) is the slot's, 1 day and 18 hours, not the 2 days and 10 hours left at 06:00; an hour after the
    slot, inside the catch-up window, it is the digest the loop sends late, then."""
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, *SUBSCRIBE[:4], "time:07:00", "tz:Asia/Tokyo", "alerts:none").returncode == 0
    assert briefbot("--db", db, "admin", "set", "kind:meeting", "start:2100-02-03T11:00").returncode == 0
    ahead, late = (briefbot("--db", db, "digest", "preview", "--now", now) for now in ("2100-02-01T06:00:00Z", "2100-02-01T23:00:00Z"))
    assert ahead.returncode == 0, ahead.stderr
    assert ahead.stdout.startswith("== Slack channel C42 ==\nSlot: Tue 2 February 2100, 07:00 JST (Tokyo, Asia/Tokyo). The digest as it would be sent then:\n"
                                   "Daily digest · 2 February 2100 · "), ahead.stdout
    assert "Scheduled · in 1 day and 18 hours" in ahead.stdout
    assert late.stdout.startswith("== Slack channel C42 ==\nSlot: Tue 2 February 2100, 07:00 JST (Tokyo, Asia/Tokyo), passed. The digest as it would be "
                                  "sent late, at Tue 2 February 2100, 08:00 JST (Tokyo, Asia/Tokyo):\nDaily digest · 2 February 2100 · "), late.stdout
    assert "Scheduled · in 1 day and 17 hours" in late.stdout


@pytest.mark.parametrize(("now", "title", "countdown"), [
    ("2100-02-02T16:00:00Z", "In 24 hours: ", "in 1 day"),  # 11:00 in Bogotá: the slot and the day-before alert, on time
    ("2100-02-02T16:00:30Z", "In 24 hours: ", "in 1 day"),  # still inside their minute: on time, as of it
    ("2100-02-02T19:00:00Z", "In 21 hours: ", "in 21 hours"),  # both three hours late
])
async def test_run_once_tells_the_countdown_its_title_states_and_the_preview_shows(tmp_path: Path, now: str, title: str, countdown: str):
    """`digest run-once --now` on the minute: its clock flows on from --now while Slack's connection opens and each send
    waits its channel's turn, but each message reads as of one instant (the one it is due at, or --now when it is late),
    the one `digest preview --now` shows too: never "in 23 hours and 59 minutes" under "In 24 hours"."""
    db, config = tmp_path / "b.sqlite3", tmp_path / "briefbot.yaml"
    async with FakeSlack() as slack:
        config.write_text(f"slack: {{api_base: '{slack.base_url}'}}\n", encoding="utf-8")
        common = ("--config", config, "--db", db)
        assert briefbot(*common, *SUBSCRIBE[:4], "time:11:00", "tz:America/Bogota", "alerts:24h").returncode == 0
        assert briefbot(*common, "admin", "set", "kind:meeting", "start:2100-02-03T11:00").returncode == 0  # 16:00 UTC
        preview = await asyncio.to_thread(briefbot, *common, "digest", "preview", "--now", now)
        sent = await asyncio.to_thread(briefbot, *common, "digest", "run-once", "--now", now, "--platform", "slack", env={"SLACK_BOT_TOKEN": BOT_TOKEN})
        assert sent.returncode == 0, sent.stderr
        digest, alert = (json.dumps(message["blocks"], ensure_ascii=False) for message in slack.messages["C42"])
    counted = re.compile(r"Scheduled · ([^\n\\\"]+)")
    assert counted.findall(preview.stdout) == counted.findall(digest) == counted.findall(alert) == [countdown]
    assert title in alert and "Daily digest" in digest


async def test_run_once_counts_in_the_operators_language(tmp_path: Path):
    """The count line speaks --locale's language, as the rest of the command line does, each count in its plural form."""
    db, config = tmp_path / "b.sqlite3", tmp_path / "briefbot.yaml"
    async with FakeSlack() as slack:
        config.write_text(f"slack: {{api_base: '{slack.base_url}'}}\n", encoding="utf-8")
        assert briefbot("--config", config, "--db", db, *SUBSCRIBE).returncode == 0
        sent = await asyncio.to_thread(briefbot, "--config", config, "--db", db, "--locale", "es", "digest", "run-once",
                                       "--now", "2100-02-02T12:30:30Z", "--platform", "slack", env={"SLACK_BOT_TOKEN": BOT_TOKEN})
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout == "Slack: 1 enviado, 0 omitidos, 0 fallidos, 0 en pausa, 0 conciliados, 0 sin confirmar\n", sent.stdout


def test_a_preview_before_2000_shows_the_slot_at_now(tmp_path: Path):
    """The imagined channel is subscribed since before any `--now`: 1999's preview is 1999's next slot, not 1 January 2000's."""
    assert briefbot("--db", tmp_path / "b.sqlite3", "load", PACK).returncode == 0
    shown = briefbot("--db", tmp_path / "b.sqlite3", "digest", "preview", "--now", "1999-06-01T20:00:00Z")
    assert shown.stdout.startswith("== preview (not subscribed) ==\nSlot: Wed 2 June 1999, 07:30 EDT (New York, America/New_York). "), shown.stdout


def test_preview_of_an_unknown_channel_says_so(tmp_path: Path):
    shown = briefbot("--db", tmp_path / "b.sqlite3", "digest", "preview", "--channel", "C404")
    assert shown.returncode == 1 and "This channel has no digest subscription." in shown.stderr


def test_run_once_without_any_token_is_a_configuration_error(tmp_path: Path):
    ran = briefbot("--db", tmp_path / "b.sqlite3", "digest", "run-once", env={"DISCORD_TOKEN": "", "SLACK_BOT_TOKEN": ""})
    assert ran.returncode == 2 and "set DISCORD_TOKEN or SLACK_BOT_TOKEN" in ran.stderr


def test_bad_digest_defaults_in_config_name_the_setting(tmp_path: Path):
    config = tmp_path / "briefbot.yaml"
    for zone in ("Mars/Olympus", "localtime"):  # the host's own clock is no zone either
        config.write_text(f"digests:\n  zone: {zone}\n", encoding="utf-8")
        ran = briefbot("--config", config, "--db", tmp_path / "b.sqlite3", "ask", "/meeting")
        last = ran.stderr.splitlines()[-1]  # after the first start's log line, if any
        assert ran.returncode == 2 and last.startswith(f"briefbot: {config}: digests: tz: “{zone}” is not a time zone"), ran.stderr
    config.write_text("digests:\n  zone: EST\n", encoding="utf-8")  # Panama's clock to the tz database, a US desk's to the operator
    ran = briefbot("--config", config, "--db", tmp_path / "b.sqlite3", "ask", "/meeting")
    assert ran.returncode == 2 and ran.stderr.splitlines()[-1].endswith("such as America/New_York."), ran.stderr
    config.write_text('digests:\n  time: "25:99"\n', encoding="utf-8")  # named like any other problem of the file
    ran = briefbot("--config", config, "--db", tmp_path / "b.sqlite3", "ask", "/meeting")
    assert (ran.returncode, ran.stderr.splitlines()[-1]) == (2, f"briefbot: {config}: digests: time: “25:99” is not a time of day; "
                                                            "write HH:MM on a 24-hour clock, such as 07:30."), ran.stderr



def test_a_console_subscription_without_tz_is_on_its_briefing_s_clock_unless_config_pins_one(tmp_path: Path):
    """Shipped, no zone is pinned: a summit in Brussels is followed on Brussels time, the Petro briefing on Washington's
    (its first zone); `digests.zone` set puts every briefing's new subscriptions on it; an empty one is refused."""
    db, summit, config = tmp_path / "b.sqlite3", tmp_path / "summit.yaml", tmp_path / "briefbot.yaml"
    text = PACK.read_text(encoding="utf-8").replace(f"id: {BRIEFING_ID}", "id: brussels-summit", 1)
    text = text.replace("venue: {zone: America/New_York, label: Washington}", "venue: {zone: Europe/Brussels, label: Brussels}", 1)
    summit.write_text(text.replace("Washington: Washington", "Brussels: Bruselas", 1), encoding="utf-8")
    assert briefbot("--db", db, "load", PACK).returncode == 0 and briefbot("--db", db, "load", summit).returncode == 0
    # With no subscription yet, a new channel's digest is previewed on the briefing's clock: 08:00 in Brussels is after its slot.
    shown = briefbot("--db", db, "--briefing", "brussels-summit", "digest", "preview", "--now", "2026-02-03T07:00:00Z")
    assert shown.stdout.startswith("== preview (not subscribed) ==\nSlot: Tue 3 February 2026, 07:30 CET (Brussels, Europe/Brussels), passed."), shown.stderr
    lines = "/subscribe platform:slack channel:C42 briefing:brussels-summit\n/subscribe platform:slack channel:C43\n"
    shown = briefbot("--db", db, "console", stdin=lines)
    assert shown.returncode == 0, shown.stderr
    assert "This channel gets the digest daily at 07:30 (Brussels)" in shown.stdout
    assert "This channel gets the digest daily at 07:30 (New York)" in shown.stdout
    config.write_text("digests:\n  zone: america/bogota\n", encoding="utf-8")
    pinned = briefbot("--config", config, "--db", db, "console", stdin="/subscribe platform:slack channel:C44 briefing:brussels-summit\n")
    assert "This channel gets the digest daily at 07:30 (Bogotá)" in pinned.stdout, pinned.stderr
    config.write_text("digests:\n  zone: ''\n", encoding="utf-8")
    refused = briefbot("--config", config, "--db", db, "console", stdin="/subscribe platform:slack channel:C45\n")
    assert refused.returncode == 2 and "digests.zone" in refused.stderr, refused.stderr
    zones = sqlite3.connect(db).execute("SELECT channel_id, zone FROM subscriptions ORDER BY channel_id").fetchall()
    assert zones == [("C42", "Europe/Brussels"), ("C43", "America/New_York"), ("C44", "America/Bogota")]


def test_preview_as_of_a_time_leaves_out_the_changes_made_after_it(tmp_path: Path):
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "admin", "set", "kind:meeting", "venue:Oval Office").returncode == 0  # made now, in 2026 or later
    shown = briefbot("--db", db, "digest", "preview", "--now", "2020-01-01T00:00:00Z")
    assert shown.returncode == 0, shown.stderr
    assert "Oval Office" not in shown.stdout and "change since this channel subscribed" not in shown.stdout


def test_admin_help_for_a_command_is_its_help(tmp_path: Path):
    shown = briefbot("--db", tmp_path / "b.sqlite3", "admin", "set", "--help")
    assert shown.returncode == 0, shown.stderr
    assert "takes no free text" not in shown.stdout and "set" in shown.stdout and "base:" in shown.stdout


def test_preview_shows_only_what_would_be_sent_and_says_why_not_the_rest(tmp_path: Path):
    """An archived briefing's subscriptions and a paused one send nothing (docs/briefings.md): the preview says so, composes none."""
    db = tmp_path / "b.sqlite3"
    other = tmp_path / "other.yaml"
    other.write_text(PACK.read_text(encoding="utf-8").replace(f"id: {BRIEFING_ID}", "id: other-story", 1), encoding="utf-8")
    assert briefbot("--db", db, "load", other).returncode == 0  # beside the shipped briefing
    for channel, briefing in (("C42", BRIEFING_ID), ("C43", "other-story"), ("C44", BRIEFING_ID)):
        subscribed = briefbot("--db", db, *SUBSCRIBE[:3], f"channel:{channel}", *SUBSCRIBE[4:], f"briefing:{briefing}")
        assert subscribed.returncode == 0, subscribed.stdout
    assert briefbot("--db", db, "briefings", "archive", "other-story").returncode == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:  # as the loop pauses one whose channel was archived
        conn.execute("UPDATE subscriptions SET active = 0, paused_reason = 'paused.slack_archived' WHERE channel_id = 'C44'")
    shown = briefbot("--db", db, "digest", "preview", "--now", "2100-02-02T12:30:00Z")
    assert shown.returncode == 0, shown.stderr
    parts = shown.stdout.split("== Slack channel ")
    assert parts[1].startswith("C42 ==\nSlot: Tue 2 February 2100, 07:30 UTC-5 (Bogotá, America/Bogota). The digest as it would be sent then:\n"
                               "Daily digest · 2 February 2100 · Petro in Washington")
    assert parts[2] == ("C43 ==\nNothing is sent: other-story is archived (briefbot briefings archive other-story --undo resumes "
                        "its digests and alerts).\n")
    # The command as the channel's readers type it there (it said "run subscribe", a word no chat takes).
    assert parts[3] == "C44 ==\nNothing is sent: this digest is paused (the channel is archived); run /brief subscribe in the channel to resume it.\n"


@pytest.mark.parametrize(("locale", "slack", "discord"), [
    ("en", "run /brief subscribe in the channel", "run /subscribe in the channel"),
    ("es", "ejecuta /brief suscribir en el canal", "ejecuta /suscribir en el canal"),
])
def test_a_preview_names_commands_as_each_channel_s_platform_types_them(tmp_path: Path, locale: str, slack: str, discord: str):
    """A paused channel's line and a digest's "history lists every change" named bare words: the preview's request, as
    the loop's, knew no platform's command form. Each now reads as the subscription's platform types it."""
    db = tmp_path / "b.sqlite3"
    for platform, channel in (("slack", "C42"), ("discord", "900"), ("discord", "901")):
        subscribed = briefbot("--db", db, "--locale", locale, *SUBSCRIBE[:2], f"platform:{platform}", f"channel:{channel}", *SUBSCRIBE[4:])
        assert subscribed.returncode == 0, subscribed.stdout
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE subscriptions SET active = 0, paused_reason = 'paused.discord_not_found' WHERE channel_id = '901'")
    edits = briefbot("--db", db, "console", stdin="\n".join(MORE_THAN_LISTED) + "\n")
    assert edits.returncode == 0 and edits.stdout.count("Revision ") == len(MORE_THAN_LISTED), edits.stdout
    shown = briefbot("--db", db, "--locale", locale, "digest", "preview", "--now", "2100-02-02T12:30:00Z")
    assert shown.returncode == 0, shown.stderr
    # Each channel's part, its lines joined as a reader reads them (the terminal's width breaks them).
    on_slack, on_discord, paused = (" ".join(part.split()) for part in re.split(r"^== .* ==$", shown.stdout, flags=re.MULTILINE) if part)
    history = {"en": "/{} lists every change.", "es": "/{} los muestra todos."}[locale]
    word = {"en": "history", "es": "historial"}[locale]
    assert history.format(f"brief {word}") in on_slack and history.format(word) in on_discord, shown.stdout
    assert slack not in paused and discord in paused, paused


def test_preview_without_a_subscription_shows_the_slot_just_passed_not_tomorrows(tmp_path: Path):
    """Ten minutes after 07:30 in Washington (the briefing's zone), an imagined channel's digest is today's; it jumped to 4 February's."""
    shown = briefbot("--db", tmp_path / "b.sqlite3", "digest", "preview", "--now", "2026-02-03T12:40:00Z")
    assert shown.returncode == 0, shown.stderr
    assert "Daily digest · 3 February 2026 · " in shown.stdout, shown.stdout


def test_the_command_a_paused_channels_notice_names_removes_its_subscription(tmp_path: Path):
    """A deleted channel cannot be subscribed in again: the pause notice's operator command (either language) removes it."""
    import shlex

    from bot.core.catalogue import catalogue_for
    from bot.core.digest.model import Subscription
    from bot.core.digest.runner import paused_notice
    from bot.core.replies import Code, Marked

    db = tmp_path / "b.sqlite3"
    reason = "paused.slack_channel_not_found"
    for locale in ("en", "es"):
        assert briefbot("--db", db, *SUBSCRIBE).returncode == 0
        with contextlib.closing(sqlite3.connect(db)) as conn, conn:  # as the loop pauses one whose channel was deleted
            conn.execute("UPDATE subscriptions SET active = 0, paused_reason = ? WHERE channel_id = 'C42'", (reason,))
        paused = Subscription(
            id=1, platform="slack", channel_id="C42", team_id="T1", briefing_id=BRIEFING_ID, time=time(7), zone="UTC", quiet=False,
            alerts=(), active=False, paused_reason=reason, created_by="U0ADMIN", active_since=datetime(2026, 2, 1, tzinfo=UTC), seen_revision=0,
        )
        notice = paused_notice(paused, reason, catalogue_for(locale), ("", "brief"))
        assert isinstance(notice.text, Marked)
        (code,) = [part for part in notice.text.parts if isinstance(part, Code)]
        command = shlex.split(code.text)
        assert command[0] == "briefbot", notice
        removed = briefbot("--db", db, *command[1:])
        assert removed.returncode == 0, removed.stdout + removed.stderr
        with contextlib.closing(sqlite3.connect(db)) as conn:
            # Kept, marked, with its ledger (migration 027): nothing is sent to it and no list shows it.
            assert conn.execute("SELECT count(*) FROM subscriptions WHERE NOT unsubscribed").fetchone() == (0,)


def test_a_spanish_console_names_the_zone_by_its_city_and_the_operator_s_listings_add_the_id(tmp_path: Path):
    """The subscriber reads "(Bogotá)", as the first digest's time names it; the operator's `suscripciones` and preview
    slot add the IANA id, what `zona:` and `digests.zone` take; the digest itself reads as the channel reads it."""
    db, config = tmp_path / "b.sqlite3", tmp_path / "briefbot.yaml"
    config.write_text("locale: es\n", encoding="utf-8")
    lines = "suscribir plataforma:discord canal:123 hora:07:00 zona:America/Bogota\nsuscripciones\n"
    shown = briefbot("--config", config, "--db", db, "console", stdin=lines)
    assert shown.returncode == 0, shown.stderr
    assert "Este canal recibe el boletín todos los días a las 07:00 (Bogotá)\n" in shown.stdout
    assert "Boletín: todos los días a las 07:00 (Bogotá)\n" in shown.stdout
    assert "07:00 hora estándar de Colombia (Bogotá)\n" in shown.stdout  # the first digest's time, whatever today is
    assert "todos los días a las 07:00 (Bogotá, America/Bogota) · avisos:" in shown.stdout
    preview = briefbot("--config", config, "--db", db, "digest", "preview", "--now", "2100-02-02T11:30:00Z")
    assert preview.stdout.startswith("== canal 123 de Discord ==\nHora de envío: martes, 2 de febrero de 2100, 07:00 hora estándar de Colombia "
                                     "(Bogotá, America/Bogota). El boletín tal como se enviaría entonces:\n"), preview.stdout
    assert "\nTodos los días a las 07:00 (Bogotá) · ref. " in preview.stdout


def test_a_spanish_subscriptions_preview_is_in_spanish_to_its_headings(tmp_path: Path):
    """Previewed by an operator whose answers are English, a Spanish channel's digest reads as sent: no "Sources:" under it."""
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "--locale", "es", *SUBSCRIBE).returncode == 0  # a subscription reads in its subscriber's language
    assert briefbot("--db", db, "admin", "set", "kind:meeting", "venue:Oval Office", "source:https://www.reuters.com/x").returncode == 0
    shown = briefbot("--db", db, "digest", "preview", "--now", "2100-02-02T12:30:00Z")
    assert shown.returncode == 0, shown.stderr
    assert "Boletín diario" in shown.stdout and "\nFuentes:\n" in shown.stdout and "Sources:" not in shown.stdout, shown.stdout


def test_a_spanish_digest_says_an_item_went_whatever_its_kinds_gender(tmp_path: Path):
    """"Pregunta frecuente: … / Eliminado." disagreed with a feminine kind: the change is said impersonally."""
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "--locale", "es", *SUBSCRIBE).returncode == 0
    assert briefbot("--db", db, "admin", "remove", "kind:faq", "id:main-topics").returncode == 0
    shown = briefbot("--db", db, "digest", "preview", "--now", "2100-02-02T12:30:00Z")
    assert "Pregunta frecuente: " in shown.stdout and "\n   Se eliminó.\n" in shown.stdout, shown.stdout
