"""The console bot and `briefbot ask` end to end, as a user runs them: a subprocess on a fresh store."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.adapters.console import render_text
from bot.core.replies import Field, Item, Page, Reply, SourceRef

ROOT = Path(__file__).resolve().parent.parent


def briefbot(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in the repository with its own database file."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "db.sqlite3"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_ask_meeting_on_a_fresh_store(tmp_path):
    result = briefbot(tmp_path, "ask", "/meeting", "--now", "2026-02-01T12:00:00Z")
    assert result.returncode == 0, result.stderr
    assert "When: Tue 3 February 2026, 11:00 EST (Washington)" in result.stdout
    assert "Where: The White House, Washington" in result.stdout
    assert "Status: Scheduled · in 2 days and 4 hours" in result.stdout
    assert "seeded the store with petro-trump-2026" in result.stderr


def test_ask_user_error_exits_1_with_the_message(tmp_path):
    result = briefbot(tmp_path, "ask", "/timeline from:2027-01 to:2027-02")
    assert result.returncode == 1
    assert "No events match from:2027-01 to:2027-02." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_ask_timeline_filters(tmp_path):
    result = briefbot(tmp_path, "ask", "/timeline from:2025-09 topic:sanctions")
    assert result.returncode == 0
    assert "U.S. Treasury sanctions Petro and his family" in result.stdout
    assert "deportation" not in result.stdout


def test_bad_now_is_a_usage_error(tmp_path):
    result = briefbot(tmp_path, "ask", "/meeting", "--now", "yesterday")
    assert result.returncode == 2
    assert "not an ISO 8601 time" in result.stderr


def test_console_answers_each_piped_line(tmp_path):
    result = briefbot(tmp_path, "console", "--now", "2026-02-01T12:00:00Z", stdin="/meeting\n\n# a comment\n/person garcia pena\n/nonsense\nquit\n/brief\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Meeting: Gustavo Petro & Donald Trump") == 1
    assert "Daniel García-Peña" in out
    assert "There is no command “nonsense”" in out
    assert "Petro in Washington" not in out  # nothing after quit is answered


def test_echo_meeting_pipe_works(tmp_path):
    result = briefbot(tmp_path, "console", stdin="/meeting\n")
    assert result.returncode == 0
    assert "The White House, Washington" in result.stdout


def test_run_starts_the_console_bot(tmp_path):
    result = briefbot(tmp_path, "run", stdin="/meeting\n")
    assert result.returncode == 0
    assert "Where: The White House, Washington" in result.stdout


def test_render_text_shows_every_part():
    reply = Reply(
        title="T",
        text="Body",
        fields=(Field("When", "line one\nline two"),),
        items=(Item("First", "detail", "meta"),),
        footer="Footer",
        sources=(SourceRef("s", "Label", "https://example.org/a"),),
        page=Page(1, 2, "timeline", (("topic", "visa"),), ""),
    )
    text = render_text(reply)
    assert "When: line one\n      line two" in text
    assert "1. First\n   meta\n   detail" in text
    assert "Page 1 of 2 · next: timeline topic:visa page:2" in text
    # A Spanish reader is told the line in the words they type.
    assert "Página 1 de 2 · siguiente: cronología tema:visa página:2" in render_text(reply, "es")
    assert "  - Label <https://example.org/a>" in text
    assert text.endswith("Footer\n")


@pytest.mark.parametrize(
    ("options", "text", "line"),
    [
        ((("query", "cocoa industry"),), "", 'timeline query:"cocoa industry" page:3'),
        ((), 'say "hi"', 'search "say \\"hi\\"" page:3'),
        ((), "it's", 'search "it\'s" page:3'),
        ((), "a\\b", 'search "a\\\\b" page:3'),
        ((), "cocoa\u00a0industry", 'search "cocoa\u00a0industry" page:3'),  # a no-break space is whitespace too
        ((), "cocoa", "search cocoa page:3"),
    ],
)
def test_page_lines_parse_back_to_the_same_request(options, text, line):
    from bot.core.args import parse_line

    command = line.split()[0]
    page = Page(2, 4, command, options, text)
    assert page.line_for(3) == line
    # The buttons' lines are written together, the options quoted once for all of them.
    assert page.lines_for(1, 3, 2) == [line.replace(" page:3", f" page:{n}") for n in (1, 3, 2)]
    parsed = parse_line(page.line_for(3))
    assert dict(parsed.options) == {**dict(options), "page": "3"}
    assert parsed.text == text


class Terminal:
    """`briefbot console` on a pseudo-terminal, as a person types at it; every wait is bounded."""

    def __init__(self, tmp_path: Path, *args: str, columns: int = 80, environ: dict[str, str] | None = None) -> None:
        import fcntl
        import pty
        import struct
        import termios

        argv = [sys.executable, "-m", "bot", "--db", str(tmp_path / "db.sqlite3"), *args]
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the CLI
            os.chdir(ROOT)
            # No tokens: `run` is then the console bot alone, whatever the machine's environment holds. No COLUMNS: the
            # terminal's own size is what a person's window has, unless `environ` says otherwise.
            env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_", "SLACK_")) and k not in ("COLUMNS", "LINES")}
            env |= environ or {}
            os.execve(sys.executable, argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))  # rows, columns, pixels
        self.seen = ""

    def until(self, text: str, timeout: float = 30) -> str:
        """Everything shown up to `text`; fails after `timeout` seconds without it."""
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} in {self.seen[-500:]!r}"
            if select.select([self.fd], [], [], left)[0]:
                try:
                    self.seen += os.read(self.fd, 4096).decode("utf-8", "replace")
                except OSError:  # the child closed the terminal
                    break
        shown, _, self.seen = self.seen.partition(text)
        return shown

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def drain(self) -> str:
        """What is left to read on the terminal now."""
        shown = ""
        while select.select([self.fd], [], [], 0)[0]:
            try:
                shown += os.read(self.fd, 4096).decode("utf-8", "replace")
            except OSError:
                break
        return shown

    def exit_status(self, timeout: float = 30) -> int | None:
        """The child's exit status, or None if it is still running after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            select.select([self.fd], [], [], 0.05)  # wait a little without sleeping blind
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None


@pytest.mark.parametrize("args", [("console", "--now", "2026-02-01T12:00:00Z"), ("run",)])
def test_ctrl_c_clears_the_line_and_a_second_one_leaves(tmp_path, args):
    terminal = Terminal(tmp_path, *args)
    terminal.until("briefbot> ")
    terminal.type("/meet")
    # As a person does, press Ctrl-C once the text is on the screen: readline can lose a Ctrl-C that
    # arrives in the microseconds while it handles a keystroke, which no hand is quick enough to hit.
    terminal.until("/meet")
    time.sleep(0.5)  # a hand's pause: on a loaded machine readline may still be handling the last key
    terminal.type("\x03")  # Ctrl-C: the half-typed line is dropped and the prompt comes back
    terminal.until("Line cleared. Ctrl-C again, or quit, leaves.")
    terminal.until("briefbot> ")
    terminal.type("/meeting\r")  # answered at once, not swallowed or glued to "/meet"
    answer = terminal.until("briefbot> ")
    assert "Meeting: Gustavo Petro & Donald Trump" in answer and "no command" not in answer
    time.sleep(0.5)
    terminal.type("\x03")
    terminal.until("Line cleared")
    terminal.until("briefbot> ")
    time.sleep(0.5)  # the same hand's pause: a Ctrl-C while readline sets up the new prompt can be lost under load
    terminal.type("\x03")  # a second Ctrl-C in a row leaves
    status = terminal.exit_status()
    assert status == 0, terminal.seen + terminal.drain()


def test_a_narrow_terminal_gets_lines_as_wide_as_it_is(tmp_path):
    """A 40-column terminal got lines of 100 folded back to its first column, a field's hanging indent with them."""
    terminal = Terminal(tmp_path, "console", "--now", "2026-02-03T12:00:00Z", columns=40)
    terminal.until("briefbot> ")
    terminal.type("/brief\r")
    answer = terminal.until("briefbot> ")
    lines = answer.replace("\r\n", "\n").splitlines()
    assert "When: Tue 3 February 2026, 11:00 EST" in lines and "      (Washington)" in lines  # the hang kept
    assert max(map(len, lines)) <= 40, answer
    terminal.type("quit\r")
    assert terminal.exit_status() == 0


@pytest.mark.parametrize(("columns", "environ"), [(60, {}), (80, {"COLUMNS": "50"})])
def test_ask_on_a_terminal_fits_its_width_as_the_prompt_does(tmp_path, columns, environ):
    """`briefbot ask` wrapped its answer at 100 columns on any terminal: now at the terminal's width, COLUMNS's when set."""
    width = int(environ.get("COLUMNS", columns))
    terminal = Terminal(tmp_path, "ask", "/brief", "--now", "2026-02-03T12:00:00Z", columns=columns, environ=environ)
    terminal.until("Petro in Washington")  # after the store's seeding, logged on the same terminal
    lines = terminal.until("More:").replace("\r\n", "\n").splitlines()
    assert width - 10 < max(map(len, lines)) <= width, lines  # the summary filled to the width, not to 100
    assert terminal.exit_status() == 0


async def test_a_piped_console_leaves_the_loop_free_while_it_waits_for_a_line(core) -> None:
    """The loop that reads a pipe also serves the chat bots and the store's change notices (PostgreSQL's): waiting for
    the next line must not hold it."""
    import asyncio
    import io
    import threading

    from bot.adapters.console import ConsoleSession, run_console
    from tests.conftest import BEFORE

    read_end, write_end = os.pipe()
    out = io.StringIO()

    def later() -> None:
        os.write(write_end, b"/meeting\n")
        os.close(write_end)

    with os.fdopen(read_end) as stdin:
        console = asyncio.create_task(run_console(ConsoleSession(core, lambda: BEFORE), stdin, out))
        threading.Timer(1.0, later).start()  # the line comes a second later
        started = time.monotonic()
        await asyncio.sleep(0.01)
        waited = time.monotonic() - started
        await asyncio.wait_for(console, 30)
    assert waited < 0.5 and "Meeting: Gustavo Petro & Donald Trump" in out.getvalue()


def test_salir_leaves_as_quit_does(tmp_path):
    result = briefbot(tmp_path, "--locale", "es", "console", stdin="salir\n/reunión\n")
    assert result.returncode == 0 and "Reunión" not in result.stdout, result.stdout + result.stderr


async def test_a_link_is_a_word_not_an_option(core) -> None:
    """`search visa http://x.com/a:b` answered "search has no option http:": a word with "://" is a link."""
    from bot.core.args import parse_line
    from tests.conftest import ask

    reply = await ask(core, "search visa http://x.com/a:b")
    assert reply.text.startswith("Nothing in this briefing matches “visa http://x.com/a:b”"), reply.text
    parsed = parse_line("add kind:source url: https://x.com/a:b")  # a link typed after its option's space is its value
    assert dict(parsed.options) == {"kind": "source", "url": "https://x.com/a:b"} and parsed.text == ""


async def test_a_plural_possessive_is_searched_not_read_as_an_open_quote(core) -> None:
    """`search colombians' rally` answered "A quote is not closed": an apostrophe ending a word is part of it."""
    from tests.conftest import ask

    plain = await ask(core, "search colombians flights")
    reply = await ask(core, "search colombians' flights")
    assert reply.kind == "answer" and "quote" not in reply.text.lower(), reply
    assert [item.title for item in reply.items] == [item.title for item in plain.items] != []  # the same hits


def test_spanish_console_wording_of_a_span_a_file_the_default_and_a_new_briefing(tmp_path):
    """"en 2 días 2 horas" read as one number; two units are joined as Spanish lists two things (CLDR's "y"), and the
    other sentences read as Spanish: no comma before a defining "que", a subject for "el predeterminado", a verb for "creado"."""
    lines = '/reunión\n/calendario\n/usar\n/informe nuevo id:cumbre título:"Cumbre de paz"\n'
    result = briefbot(tmp_path, "--locale", "es", "console", "--now", "2026-02-01T12:00:00Z", stdin=lines)
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Estado: Programada · en 2 días y 4 horas" in out
    assert "El calendario (.ics) es un archivo que esta consola no puede mostrar" in out
    assert "Es el predeterminado: ni este canal" in out
    assert "Se creó el informe «Cumbre de paz» (cumbre)" in out


async def test_briefings_in_the_console_names_briefing_not_use(core) -> None:
    """`/briefings` ended "an admin sets this channel's with /use", which the console has no channel for: it names --briefing."""
    from bot.adapters.console import ConsoleSession
    from tests.conftest import BEFORE

    for locale, how in (("en", "Add briefing: to any command, or start the console with --briefing ID to read another throughout"),
                        ("es", "Añade informe: a cualquier comando, o inicia la consola con --briefing ID para leer otro en toda la sesión")):
        reply = await ConsoleSession(core, lambda: BEFORE, locale=locale).answer("/briefings")
        assert reply.fields[0].value.startswith(how) and "/use" not in reply.fields[0].value, reply.fields


@pytest.mark.parametrize("line", ["/brief", "cronología página:2"])
def test_a_spanish_time_of_day_is_never_cut_between_its_a_and_m(tmp_path: Path, line: str) -> None:
    """The pack writes "a. m." with CLDR's narrow no-break space, as Babel writes a time, and the console breaks lines
    only at spaces: "11:00 a." at one line's end and "m." at the next's read as two words."""
    result = briefbot(tmp_path, "--locale", "es", "ask", line, "--now", "2026-02-03T12:00:00Z")
    assert result.returncode == 0, result.stderr
    assert "a.\u202fm." in result.stdout, result.stdout
    assert not [row for row in result.stdout.splitlines() if row.endswith((" a.", " p."))], result.stdout


def test_the_history_file_keeps_the_last_thousand_lines(tmp_path: Path) -> None:
    """It grew without end, keeping every admin's `reason:` and every name searched for as long as the file lived."""
    history = tmp_path / ".console_history"  # beside the SQLite file, where the console keeps it
    history.write_text("".join(f"search person {n}\n" for n in range(1500)), encoding="utf-8")
    terminal = Terminal(tmp_path, "console", "--now", "2026-02-01T12:00:00Z")
    terminal.until("briefbot> ")
    terminal.type("quit\r")
    assert terminal.exit_status() == 0, terminal.seen + terminal.drain()
    kept = history.read_text(encoding="utf-8").splitlines()
    assert len(kept) == 1000 and kept[0] == "search person 501" and kept[-1] == "quit", kept[:2] + kept[-2:]
