"""The digest loop: each tick, send what the schedule says is due and nobody has claimed, then sleep.

Exactly once: every send is claimed in the ledger first (a UNIQUE key per subscription and local
day, or per alert), so a restart, a second process or a retry finds it taken. A claim whose result
was never recorded (the process died mid-send) is reconciled after its lease: the platform is asked
whether the message arrived (`Sender.find`) and it is sent again, with the same nonce, only if not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from msgspec.structs import replace

from bot.core.admin.authors import platform_name
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.digest.alerts import StatusChange, alert_session, alerting, due_alerts, next_alert, still_due
from bot.core.digest.compose import compose_alert, compose_digest
from bot.core.digest.ledger import DeliveryLedger
from bot.core.digest.model import ON_TIME, Delivery, DigestSettings, Due, Subscription, composed_at, retry_at, tries
from bot.core.digest.pending import unsettled
from bot.core.digest.schedule import due_digest, next_digest
from bot.core.digest.sending import ChannelGone, Clock, Pace, Sender, SendFailed, SendRejected, SendUnknown, pause_reason
from bot.core.digest.starts import StartLog
from bot.core.model import Session
from bot.core.registry import in_readers_words, local_command, local_option, readers_text
from bot.core.replies import Code, Ref, Reply, quote_option
from bot.core.repository import Revision
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import DiskFull, UserError

log = logging.getLogger(__name__)
DAY = 86_400.0  # seconds


@contextlib.asynccontextmanager
async def loop_beside(loop: Coroutine[Any, Any, None] | None, name: str) -> AsyncIterator[None]:
    """Run a bot's digest loop as a task for as long as the block runs (nothing when None), cancelled after.

    The loop only ends by cancellation; if it fails, the bot goes on answering commands, so the
    failure is logged as an error rather than lost with the task.
    """
    if loop is None:
        yield
        return
    task = asyncio.create_task(loop, name=name)
    task.add_done_callback(_log_stop)
    try:
        yield
    finally:
        task.cancel()
        await asyncio.wait({task})


def _log_stop(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s stopped; no digests are sent until the bot restarts", task.get_name(), exc_info=task.exception())


class SystemClock:
    """Real time: the host's wall clock for what is due, its monotonic clock (asyncio's) for how long to wait."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """Seconds that only move forward, whatever the wall clock is set to."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """Sleep that long, measured as it passes: a wall clock set back or forward meanwhile does not stretch it."""
        await asyncio.sleep(max(seconds, 0.0))


class StartedClock(SystemClock):
    """Real time flowing from a chosen start (`digest run-once --now`): tests and catch-up by hand."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._began = time.monotonic()

    def now(self) -> datetime:
        """The start plus the real time elapsed since."""
        return self._start + timedelta(seconds=time.monotonic() - self._began)


def owner_id(platform: str) -> str:
    """Who holds a claim: platform, host, process and a random part, unique per run."""
    return f"{platform}:{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


class TickReport(msgspec.Struct):
    """What one tick did, for logs and `digest run-once`."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    paused: int = 0
    reconciled: int = 0
    unknown: int = 0
    # Why sends failed or went unrecorded, each once: an expected problem's own (a full disk), else one saying the log has it.
    why: list[UserError] = msgspec.field(default_factory=list)

    def failure(self, error: Exception) -> None:
        """Note why a send failed or went unrecorded, once however many it stopped."""
        if isinstance(error, DiskFull):  # said for digests: some went out unrecorded, which no "nothing was changed" covers
            reason = UserError("digest.disk_full")
        else:
            reason = error if isinstance(error, UserError) else UserError("digest.failed_unexpectedly")
        if all((said.key, said.params) != (reason.key, reason.params) for said in self.why):
            self.why.append(reason)


class DigestRunner:
    """Sends one platform's due digests and alerts through its Sender, each exactly once."""

    def __init__(
        self,
        core: BriefingCore,
        ledger: DeliveryLedger,
        sender: Sender,
        clock: Clock,
        *,
        owner: str,
        pace: Pace,
        settings: DigestSettings | None = None,
        locale: str = "en",
        concurrency: int = 16,
        owns: Callable[[Subscription], bool] | None = None,
    ) -> None:
        self.core = core
        self.ledger = ledger
        self.sender = sender
        self.clock = clock
        self.owner = owner
        self.pace = pace
        self.settings = settings or core.settings.digest
        self.locale = locale
        # The platform as the tick's report names it to the operator ("Slack"): its catalogue name, as every answer does.
        self._platform_name = platform_name(catalogue_for(locale), sender.platform)
        self._slots = asyncio.Semaphore(concurrency)
        # Which subscriptions this process sends (a Discord process sends its shards' guilds); None: all.
        self._owns = owns
        self._pruned: float | None = None  # the monotonic clock at the last prune
        self._first: tuple[datetime, float] | None = None  # the first tick's instant, and the monotonic clock then
        self._paused: set[int] = set()  # subscriptions this tick paused (`_pause`): their other dues are not sent
        self._starts = StartLog(core.repository)  # read from the log once per briefing version, not at every tick

    async def run(self) -> None:
        """Tick, sleep until the next thing is due (or the poll interval), forever; cancel to stop."""
        while True:
            try:
                await self.tick()
                wake = await self.next_wake()
            except Exception:
                log.exception("digest tick failed; trying again at the next one")
                wake = self.clock.now() + self.settings.poll
            # What is left by the wall clock now, slept on the monotonic clock, then the wall clock read again at the
            # next tick: a step of the host's clock (NTP, a VM restored) is noticed within one poll, either way. Waiting
            # for the wall clock to reach `wake` instead slept an hour more after a step back of an hour, blind to the
            # edits made meanwhile: a session moved to start in that hour got its start alert late and no 1 h alert.
            await self.clock.sleep((wake - self.clock.now()).total_seconds())

    async def tick(self, now: datetime | None = None) -> TickReport:
        """Reconcile abandoned claims, then send everything due at `now` (`digest run-once --now`; else the clock's)
        that nobody has claimed."""
        report = TickReport()
        self._paused.clear()  # a subscription paused at an earlier tick is no longer active; resumed, it is sent again
        # run-once's clock has flowed past its --now while the platform's connection opened: the tick is for --now.
        now = now or self.clock.now()
        if self._pruned is None or self.clock.monotonic() - self._pruned >= DAY:  # once a day is plenty
            self._pruned = self.clock.monotonic()
            await self.ledger.prune(self._elapsed_now(now) - self.settings.keep)
        await self._reconcile(now, report)
        # Oldest first: a channel's sends keep this order (its turn is first come, first served), so after two
        # status changes its last alert names the status that holds.
        todo = await unsettled(self.ledger, await self.due(now))
        # A subscription's dues go one after another, as its channel's turn takes them anyway, so that once one has
        # paused it (the channel lost) the others are not claimed and sent only to pause it and tell its admins again.
        queues: defaultdict[int, list[Due]] = defaultdict(list)
        for due in todo:
            queues[due.subscription.id].append(due)
        await asyncio.gather(*(self._deliver_until_paused(dues, report, now) for dues in queues.values()))
        if todo or report != TickReport():
            log.info("%s digests: %s", self.sender.platform, report)
        cat = catalogue_for("en")  # the log's language
        for reason in report.why:  # once a tick each, however many sends it stopped: a revoked token stops them all
            log.warning("%s digests: %s", self.sender.platform, cat(reason.key, **reason.params))
        return report

    def _elapsed_now(self, now: datetime) -> datetime:
        """`now`, but never later than the first tick's instant plus the time passed since (the monotonic clock): what the
        ledger is pruned by. Pruned by a wall clock stepped 40 days forward, the ledger lost the alerts sent in the days
        before, and once the clock was set back they were sent again; a step back only prunes less."""
        if self._first is None:
            self._first = (now, self.clock.monotonic())
        first, at = self._first
        return min(now, first + timedelta(seconds=self.clock.monotonic() - at))

    async def _deliver_until_paused(self, dues: list[Due], report: TickReport, now: datetime) -> None:
        """One subscription's dues in order, none once it has been paused during the tick at `now`."""
        for due in dues:
            if due.subscription.id in self._paused:
                return
            await self._deliver(due, report, now)

    async def due(self, now: datetime) -> list[Due]:
        """Every digest and alert the schedule says is due at `now`, settled or not."""
        by_briefing: defaultdict[str, list[Subscription]] = defaultdict(list)
        for subscription in await self._active():
            by_briefing[subscription.briefing_id].append(subscription)
        dues: list[Due] = []
        for briefing_id, subscriptions in by_briefing.items():
            try:
                briefing = await self.core.repository.briefing(briefing_id)
            except UserError:
                log.warning("digests for missing briefing %s skipped", briefing_id)
                continue
            sessions = briefing.sessions
            changes = await self.status_changes(briefing_id, now - self.settings.noticed)
            starts = await self._starts.of(briefing, alerting(sessions, now))
            for subscription in subscriptions:
                digest = due_digest(subscription, now, self.settings.late)
                if digest is not None:
                    dues.append(digest)
                dues.extend(due_alerts(subscription, sessions, changes, starts, now, self.settings.late, self.settings.noticed))
        return dues

    async def next_wake(self) -> datetime:
        """The next digest or alert of any subscription, no later than the poll interval from now."""
        now = self.clock.now()
        wake = now + self.settings.poll
        sessions: dict[str, tuple[Session, ...]] = {}
        for subscription in await self._active():
            wake = min(wake, next_digest(subscription, now))
            if subscription.briefing_id not in sessions:
                try:
                    sessions[subscription.briefing_id] = (await self.core.repository.briefing(subscription.briefing_id)).sessions
                except UserError:
                    sessions[subscription.briefing_id] = ()
            alert = next_alert(subscription, sessions[subscription.briefing_id], now)
            if alert is not None:
                wake = min(wake, alert)
        return wake

    async def _active(self) -> list[Subscription]:
        """The platform's active subscriptions that this process sends."""
        found = await self.ledger.active(self.sender.platform)
        return found if self._owns is None else [s for s in found if self._owns(s)]

    async def status_changes(self, briefing_id: str, since: datetime) -> list[StatusChange]:
        """The revisions made since `since` that changed a session's status, by an edit, an undo or a pack load.

        Every one of them, however many other edits came after: a change followed by many edits before the next
        tick is still alerted, as late as the catch-up window allows.
        """
        found = []
        for kind in ("session", "briefing"):
            for revision in await self.core.repository.revisions(briefing_id, kind, limit=None, since=since):
                before, after = _statuses(revision, "before"), _statuses(revision, "after")
                for session, status in after.items():
                    if before.get(session) and before[session] != status:
                        found.append(StatusChange(revision.id, revision.at, before[session], status, session))
        return sorted(found, key=lambda change: change.revision)  # in the order made, the two kinds' logs merged

    async def _deliver(self, due: Due, report: TickReport, now: datetime) -> None:
        """Take the channel's turn, claim, compose (as of the tick's `now`), send, record: the one path of every message."""
        try:
            # The claim comes once the channel's turn is here, so a live claim never outlasts its lease (it
            # waits for at most the slots' departures); before the composition, so processes sharing the
            # dues compose only those they win; and before the departure, so the send follows its turn at
            # once and a due another process has taken costs no turn of the platform's rate.
            async with self.pace.channel(due.subscription.channel_id), self._slots:
                claimed = self.clock.now()
                delivery = await self.ledger.claim(due, self.owner, claimed, tries(due.at, claimed))
                if delivery is None:
                    return  # another process or an earlier run has it, or its last failure's retry is not yet due
                until = self._deadline()
                if await self._already_posted(delivery, now, until):
                    report.reconciled += 1
                    report.sent += 1
                    return
                try:
                    reply, covers = await self._compose(due, now)
                except Exception:
                    await self.ledger.finish(delivery, "failed", self.clock.now(), error="could not be composed")
                    raise
                delivery = replace(delivery, covers_revision=covers)
                if reply is None:  # a quiet day: recorded, nothing sent
                    await self.ledger.finish(delivery, "skipped", self.clock.now())
                    report.skipped += 1
                    return
                await self.pace.depart()
                await self._send(delivery, reply, report, until)
        except UserError as error:  # the store's full disk, say: said once for the tick, not a traceback for each send
            report.failed += 1
            report.failure(error)
        except Exception as error:
            log.exception("digest %s for %s channel %s failed", due.key, due.subscription.platform, due.subscription.channel_id)
            report.failed += 1
            report.failure(error)

    async def _already_posted(self, delivery: Delivery, now: datetime, until: float) -> bool:
        """Whether a fresh claim from a catch-up tick finds its message already in the channel, then recorded as sent.

        A store restored from a backup has forgotten what was sent after it: its ledger claims afresh a digest the channel
        already has, always later than its slot. So a tick past the on-time minute (a catch-up, as after a restore or a
        downtime) looks first, one lookup per late send; an on-time one, the common case, costs no extra call. A lookup
        that fails sends as before: a catch-up after downtime, far likelier than after a restore, must not be lost.
        """
        if now < delivery.due.at + ON_TIME:
            return False
        await self.pace.depart()  # a request like a send: after a downtime, lookups for every channel would burst past the rate
        try:
            async with asyncio.timeout_at(until):
                found = await self.sender.find(delivery)
        except Exception:
            log.debug("looking for %s in %s channel %s before a late send failed", delivery.due.key, delivery.due.subscription.platform, delivery.due.subscription.channel_id, exc_info=True)
            return False
        if found is None:
            return False
        log.info("%s for %s channel %s was already posted (a restored store?): recorded as sent", delivery.due.key, delivery.due.subscription.platform, delivery.due.subscription.channel_id)
        await self.ledger.finish(delivery, "sent", self.clock.now(), message_id=found)
        return True

    def _deadline(self) -> float:
        """When, on the loop's clock, what a claim just taken may still do must end: see send_deadline."""
        return asyncio.get_running_loop().time() + self.settings.send_deadline.total_seconds()

    async def _send(self, delivery: Delivery, reply: Reply, report: TickReport, until: float) -> None:
        subscription = delivery.due.subscription
        # The whole send, the SDK's retries included, ends well inside the claim's lease: see send_deadline.
        deadline = asyncio.timeout_at(until)
        try:
            async with deadline:
                message_id = await self.sender.send(delivery, reply)
        except ChannelGone as gone:
            await self.ledger.finish(delivery, "failed", self.clock.now(), error=gone.reason)
            await self._pause(subscription, gone.reason)
            report.paused += 1
        except SendRejected as rejected:
            await self.ledger.finish(delivery, "failed", self.clock.now(), error=rejected.reason)
            report.failed += 1
            report.failure(rejected)
            due = delivery.due
            if retry_at(due.at, delivery.attempts) >= due.at + self.settings.late:  # its "tried again" no longer holds
                tried = (self.clock.now() - due.at) // timedelta(minutes=1)
                report.failure(UserError("digest.last_attempt", attempts=delivery.attempts, minutes=tried))
        except SendUnknown as unknown:  # the platform's own failure (a 5xx): said once for the tick, each send at DEBUG
            report.unknown += 1
            log.debug("sending %s to %s channel %s: %s, outcome unknown", delivery.due.key, subscription.platform, subscription.channel_id, unknown.reason)
            report.failure(unknown)
        except Exception:
            # It may or may not have posted: the claim stays open and is reconciled after its lease.
            report.unknown += 1
            if deadline.expired():
                # A slow platform cuts every send alike: the tick says so once; each send at DEBUG, without its traceback.
                seconds = int(self.settings.send_deadline.total_seconds())
                log.debug("sending %s to %s channel %s: cut after %d s, outcome unknown", delivery.due.key, subscription.platform, subscription.channel_id, seconds)
                report.failure(UserError("digest.send_cut", platform=self._platform_name, seconds=seconds))
            else:
                log.exception("sending %s to %s channel %s: outcome unknown", delivery.due.key, subscription.platform, subscription.channel_id)
        else:
            try:
                await self.ledger.finish(delivery, "sent", self.clock.now(), message_id=message_id)
            except Exception as error:
                # Sent, but not recorded: the claim stays open and is reconciled after its lease (found, not sent again).
                if not isinstance(error, UserError):
                    log.exception("recording %s to %s channel %s as sent failed", delivery.due.key, subscription.platform, subscription.channel_id)
                report.unknown += 1
                report.failure(error)
                return
            report.sent += 1

    async def _reconcile(self, now: datetime, report: TickReport) -> None:
        """Finish the claims of dead processes: recorded as sent if the message is there, else sent now."""
        platform = self._platform_name
        waiting = 0  # claims whose message could not be looked for: still claimed
        for abandoned in await self.ledger.unconfirmed(self.sender.platform, now - self.settings.lease):
            if self._owns is not None and not self._owns(abandoned.due.subscription):
                continue  # the process holding its guild's shard finishes it
            # Taken over once the channel's turn and a slot are here, as a first send is claimed: the lookup
            # and the resend it may lead to then end within the same deadline from the take-over.
            async with self.pace.channel(abandoned.due.subscription.channel_id), self._slots:
                delivery = await self.ledger.take_over(abandoned, self.owner, self.clock.now())
                if delivery is None:
                    continue
                until = self._deadline()
                expired = now >= delivery.due.at + self.settings.catch_up
                try:
                    async with asyncio.timeout_at(until):
                        found = await self.sender.find(delivery)
                except Exception:
                    # An outage fails every lookup alike: the tick says so once (below); each cause is at DEBUG.
                    log.debug("looking for %s in %s channel %s failed", delivery.due.key, delivery.due.subscription.platform, delivery.due.subscription.channel_id, exc_info=True)
                    if expired:  # give up without resending: it may have arrived, and late news is not sent
                        await self.ledger.finish(delivery, "failed", now, error="could not be confirmed before it expired")
                        report.failed += 1
                        report.failure(UserError("digest.expired_unconfirmed", platform=platform))
                    else:
                        waiting += 1  # still claimed: tried again after another lease
                    continue
                report.reconciled += 1
                if found is not None:
                    await self.ledger.finish(delivery, "sent", self.clock.now(), message_id=found)
                    report.sent += 1
                    continue
                if expired:
                    await self.ledger.finish(delivery, "failed", now, error="expired before it could be confirmed")
                    report.failed += 1
                    report.failure(UserError("digest.expired_not_found"))
                    continue
                if delivery.due.kind == "alert" and not await self._still_due(delivery.due):
                    # Undone, cancelled, moved or removed meanwhile: sent now it would be false, and after the news of that.
                    await self.ledger.finish(delivery, "skipped", self.clock.now())
                    report.skipped += 1
                    continue
                reply, covers = await self._compose(delivery.due, now)
                delivery = replace(delivery, covers_revision=covers)
                if reply is None:
                    await self.ledger.finish(delivery, "skipped", self.clock.now())
                    report.skipped += 1
                    continue
                await self.pace.depart()
                await self._send(delivery, reply, report, until)
        if waiting:
            report.unknown += waiting
            report.failure(UserError("digest.unconfirmed_waiting", platform=platform, n=waiting))

    async def _compose(self, due: Due, now: datetime) -> tuple[Reply | None, int]:
        """The message for a due send from the tick at `now`, and the newest revision it reports.

        It reads as of one instant (`composed_at`), the one `digest preview` composes at too: not the clock read again,
        which has moved on by the time a send's turn comes (`run-once --now` flows from it), so that a countdown a few
        milliseconds past its minute said "in 23 hours and 59 minutes" under "In 24 hours".
        """
        subscription = due.subscription
        ctx = self.core.context(
            Request(
                command="digest", now=composed_at(due, now), platform=subscription.platform, user_id="briefbot",
                channel_id=subscription.channel_id, team_id=subscription.team_id or None,
                locale=subscription.language or self.locale, briefing_id=subscription.briefing_id,
                slash_command=self.sender.slash_command,  # a command the digest names, as the channel's readers type it
            )
        )
        if due.kind == "digest":
            composed = await compose_digest(ctx, due)
            return (ctx.noted(composed.reply) if composed.reply else None), composed.covers
        alert = compose_alert(ctx, await ctx.localized(), due, await self._status_change(due))
        return (ctx.noted(alert) if alert else None), 0

    async def _still_due(self, due: Due) -> bool:
        """Whether an alert claimed by a process that died still says what holds (see `still_due`)."""
        briefing_id, session_id = due.subscription.briefing_id, alert_session(due.key)
        try:
            briefing = await self.core.repository.briefing(briefing_id)
        except UserError:
            return False
        sessions = [session for session in briefing.sessions if session.id == session_id]
        starts = await self._starts.of(briefing, sessions)
        # Any change that could make it false is a later one, inside the window its alert was due in.
        changes = await self.status_changes(briefing_id, self.clock.now() - self.settings.noticed)
        return still_due(due.key, sessions, changes, starts)

    async def _status_change(self, due: Due) -> StatusChange | None:
        if not due.key.startswith("alert:status:"):
            return None
        number, session = int(due.key.rsplit(":", 1)[1]), alert_session(due.key)
        changes = await self.status_changes(due.subscription.briefing_id, due.at)  # a status alert is due at its change's instant
        return next((c for c in changes if c.revision == number and c.session == session), None)

    async def _pause(self, subscription: Subscription, reason: str) -> None:
        """Pause the channel's subscription and tell its admins privately; a failure to tell is only logged."""
        await self.ledger.pause(subscription, reason, self.clock.now())
        self._paused.add(subscription.id)
        log.warning("%s channel %s paused: %s", subscription.platform, subscription.channel_id, pause_reason(catalogue_for("en"), reason))
        locale = subscription.language or self.locale  # the notice is about the channel: its language
        notice = paused_notice(subscription, reason, catalogue_for(locale), ("", self.sender.slash_command))
        try:
            await self.sender.tell_admins(subscription, notice)
        except SendFailed as refused:  # the subscriber's DMs closed to the bot, say: expected, so one line says why
            why = catalogue_for("en")(refused.key, **refused.params)
            log.warning("%s channel %s paused, but its subscriber could not be told: %s", subscription.platform, subscription.channel_id, why)
        except Exception:
            log.exception("could not tell the admins that %s channel %s was paused", subscription.platform, subscription.channel_id)


def paused_notice(subscription: Subscription, reason: str, cat: Catalogue, naming: tuple[str, str]) -> Reply:
    """The private notice that a channel's digest is paused: why, what brings it back for that reason, and the operator's
    command that removes it (a deleted channel cannot be subscribed in again); the channel named by its mention and each
    command as typed there (`naming`: Request.command_naming) or, the operator's, as code."""
    channel = Ref(subscription.platform, subscription.channel_id, channel=True)
    language = cat.locale
    words = [f"briefbot admin {local_command('unsubscribe', language)}"]
    words += [quote_option(local_option(name, language), value) for name, value in (
        ("platform", subscription.platform), ("channel", subscription.channel_id), ("briefing", subscription.briefing_id))]
    remedy = f"digest.paused_fix.{reason.removeprefix('paused.')}"
    remedy = remedy if cat.has(remedy) else "digest.paused_fix"  # a row paused before reasons were keys holds English
    return Reply(
        title=cat.marked("digest.paused_title", channel=channel),
        text=cat.marked(
            "digest.paused_text", **in_readers_words("digest.paused_text", {
                "channel": channel, "reason": pause_reason(cat, reason), "briefing": subscription.briefing_id, "unsubscribe": Code(" ".join(words)),
                "remedy": readers_text(cat, remedy, naming),
            }, language, naming),
        ),
    )


def _statuses(revision: Revision, side: str) -> dict[str, str]:
    """Each session's status (by id) in one side (before/after) of a session or whole-pack revision."""
    data = getattr(revision, side)
    item = data.get("item") if data else None
    if not isinstance(item, dict):
        return {}
    sessions = item.get("sessions", []) if revision.kind == "briefing" else [{"id": revision.item_id, **item}]
    return {
        str(s.get("id")): s["status"] for s in sessions if isinstance(s, dict) and isinstance(s.get("status"), str)
    }
