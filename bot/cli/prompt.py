"""The interactive prompt on the main thread, the bot on a second one: Ctrl-C reaches only the prompt."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Coroutine
from typing import Any

from bot.adapters.console import PROMPT


def at_the_prompt(bot: Coroutine[Any, Any, int], hint: str) -> int:
    """Run the bot on a second thread while this, the main thread, reads the prompt (Ctrl-C reaches only it)."""
    import asyncio

    from bot.adapters.terminal import PROMPT_READER, PromptReader

    reader = PromptReader()
    outcome: list[int | BaseException] = []

    def run_bot() -> None:
        if hasattr(signal, "pthread_sigmask"):
            # Ctrl-C must reach the main thread: the kernel may hand a signal to any thread that does not
            # block it, and this thread's mask is inherited by every thread it starts (aiosqlite's, executors).
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        PROMPT_READER.set(reader)  # asyncio.run's tasks copy this thread's context, so run_console finds it
        try:
            outcome.append(asyncio.run(bot))
        except BaseException as error:  # noqa: BLE001 - re-raised on the main thread, for the exit status
            outcome.append(error)
        finally:
            reader.finished()

    # The prompt owns Ctrl-C, even when started with SIGINT ignored (as a shell does for background jobs).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # readline sets itself up on import: here, not on the bot's thread, where SIGINT is blocked. Windows
    # without pyreadline has none: the prompt still works, without line editing.
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401
    thread = threading.Thread(target=run_bot, name="briefbot")
    thread.start()
    try:
        reader.serve(PROMPT, hint)
    finally:
        # The reader has left and the bot is shutting down: a Ctrl-C more must not cut that short
        # (an interrupted join or `leave` would leave the bot's thread running, and the process with it).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            reader.leave()
        finally:
            _join(thread)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _join(thread: threading.Thread) -> None:
    """Wait for the thread; a Ctrl-C that came just before SIGINT was ignored interrupts one wait at most."""
    try:
        thread.join()
    except KeyboardInterrupt:
        thread.join()
