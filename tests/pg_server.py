"""A throwaway PostgreSQL server for the tests and CI: initdb and pg_ctl on a temporary directory.

Run as a script: `python tests/pg_server.py start DIR` prints the URL of a server listening on a free
port of 127.0.0.1 (data in DIR); `python tests/pg_server.py stop DIR` stops it. The server refuses to
run as root, so as root it runs as an unprivileged user (postgres, or one created for it).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

USER = "briefbot"
_FALLBACK_OS_USER = "briefbot-pg"


def bindir() -> Path | None:
    """The newest installed PostgreSQL's bin directory (PG_BINDIR wins), or None when there is none."""
    chosen = os.environ.get("PG_BINDIR")
    if chosen:
        return Path(chosen) if (Path(chosen) / "initdb").exists() else None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _os_user() -> str | None:
    """Who runs the server: None for the current user, else an unprivileged account (made if missing)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", _FALLBACK_OS_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", _FALLBACK_OS_USER], check=True)
    return _FALLBACK_OS_USER


def _run(args: list[str], user: str | None) -> None:
    """Run a server tool as `user` (runuser drops root), failing loudly with its output."""
    command = ["runuser", "-u", user, "--", *args] if user else args
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed ({done.returncode}): {done.stdout}{done.stderr}")


def _free_port() -> int:
    """A port free on 127.0.0.1 now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(directory: Path) -> str:
    """Create and start a server in `directory`; its URL, with a random password for USER."""
    tools = bindir()
    if tools is None:
        raise RuntimeError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
    user = _os_user()
    directory.mkdir(parents=True, exist_ok=True)
    password = secrets.token_hex(12)
    (directory / "pwfile").write_text(password + "\n", encoding="utf-8")
    if user:
        shutil.chown(directory, user)
        shutil.chown(directory / "pwfile", user)
        directory.chmod(0o700)
    data, port = directory / "data", _free_port()
    _run([str(tools / "initdb"), "-D", str(data), "-U", USER, "--pwfile", str(directory / "pwfile"),
          "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"], user)
    (directory / "pwfile").unlink()
    # Durability is worthless for a server that lives as long as a test run; speed is not.
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={directory}"
               " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    (directory / "options").write_text(options, encoding="utf-8")
    resume(directory)
    url = f"postgresql://{USER}:{password}@127.0.0.1:{port}/postgres"
    (directory / "url").write_text(url, encoding="utf-8")
    return url


def resume(directory: Path) -> None:
    """Start the server made by `start` in `directory` again, on the same port."""
    tools = bindir()
    if tools is None:
        raise RuntimeError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
    options = (directory / "options").read_text(encoding="utf-8")
    _run([str(tools / "pg_ctl"), "start", "-w", "-D", str(directory / "data"), "-l", str(directory / "server.log"),
          "-o", options], _os_user())


def stop(directory: Path) -> None:
    """Stop the server started in `directory` (fast shutdown: connections are cut)."""
    tools = bindir()
    if tools is None or not (directory / "data" / "postmaster.pid").exists():
        return
    _run([str(tools / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(directory / "data")], _os_user())


def main(argv: list[str]) -> int:
    """`start DIR` prints the URL; `stop DIR` stops the server."""
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: pg_server.py start|stop DIR", file=sys.stderr)
        return 2
    directory = Path(argv[1]).resolve()
    if argv[0] == "start":
        print(start(directory))
    else:
        stop(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
