"""The console's prompt on a terminal, read on the main thread so that Ctrl-C behaves as in other REPLs.

Only the main thread receives Ctrl-C, and only there does `input` give the line up when it comes. So on
a terminal the CLI runs the bot (store, core, any chat bots) on an event loop in a second thread, and
the main thread reads the prompt: the first Ctrl-C clears the line, a second in a row leaves. Answers
are computed on the loop's thread, as they are for every other adapter.
"""

from __future__ import annotations

import _thread
import asyncio
import signal
import sys
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import CancelledError
from contextvars import ContextVar
from typing import Any, TextIO

# The prompt of this run, when the main thread reads a terminal; `run_console` attaches to it.
PROMPT_READER: ContextVar[PromptReader | None] = ContextVar("PROMPT_READER", default=None)
QUIT = frozenset({"quit", "exit", "/quit", "/exit", "salir", "/salir"})


class PromptReader:
    """Lines typed at the prompt (main thread) handed to an answering function (loop thread)."""

    def __init__(self, read: Callable[[str], str] = input, stdout: TextIO = sys.stdout) -> None:
        self._read = read
        self._stdout = stdout
        self._attached = threading.Event()
        self._finished = threading.Event()
        self._left = threading.Event()
        self._answer: Callable[[str], Coroutine[Any, Any, str]] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed: asyncio.Event | None = None
        self._reading = False

    async def attach(self, answer: Callable[[str], Coroutine[Any, Any, str]]) -> None:
        """Answer the prompt's lines with `answer` until the reader leaves (called on the loop)."""
        self._answer, self._loop, self._closed = answer, asyncio.get_running_loop(), asyncio.Event()
        self._attached.set()
        if not self._left.is_set():  # else the reader left before the bot was ready
            await self._closed.wait()

    def finished(self) -> None:
        """The bot stopped (the loop's thread is ending): stop reading, even in the middle of a line."""
        self._finished.set()
        if self._reading:  # input() gives up only for a signal that reaches the main thread
            if hasattr(signal, "pthread_kill"):
                signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
            else:
                _thread.interrupt_main()

    def serve(self, prompt: str, hint: str) -> None:
        """Read and answer lines until quit, end of input, two Ctrl-C in a row, or the bot stops."""
        try:
            while not self._attached.wait(0.05):  # bounded by the bot: it attaches, or finishes first
                if self._finished.is_set():
                    return
            self._read_lines(prompt, hint)
        except KeyboardInterrupt:  # Ctrl-C while starting, or a second one before the prompt is back
            pass
        finally:
            self.leave()

    def _read_lines(self, prompt: str, hint: str) -> None:
        """The prompt loop proper; returns when the reader leaves."""
        interrupted = False
        while not self._finished.is_set():
            try:
                self._reading = True
                line = self._read(prompt).strip()
            except EOFError:
                return
            except KeyboardInterrupt:
                if interrupted or self._finished.is_set():
                    return
                interrupted = True
                self._stdout.write(f"\n{hint}\n")
                continue
            finally:
                self._reading = False
            interrupted = False
            if line.lower() in QUIT:
                return
            if line and not line.startswith("#"):
                interrupted = self._show(line)

    def _show(self, line: str) -> bool:
        """Print the answer to one line; True when Ctrl-C abandoned it."""
        assert self._answer is not None and self._loop is not None
        pending = asyncio.run_coroutine_threadsafe(self._answer(line), self._loop)
        try:
            self._stdout.write(pending.result() + "\n")
        except KeyboardInterrupt:
            pending.cancel()
            self._stdout.write("\n")
            return True
        except CancelledError:  # the bot is stopping
            return False
        self._stdout.flush()
        return False

    def leave(self) -> None:
        """Let `attach` return, so the console task ends and the bot shuts down; safe to repeat."""
        self._left.set()
        if self._loop is not None and self._closed is not None and not self._finished.is_set():
            self._loop.call_soon_threadsafe(self._closed.set)
