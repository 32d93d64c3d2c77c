"""A PostgreSQL server that cannot be used at start is explained in words, in one line, without the password.

Through the real `connect`: against the throwaway server for what the URL gets wrong, and against a local
listener for a server shutting down or a program that is not PostgreSQL at all.
"""

from __future__ import annotations

import asyncio
import re
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import quote

import pytest
from hypothesis import given, settings

from bot.errors import ConfigError
from bot.store.postgres import database
from bot.store.postgres.database import connect
from tests.cli_support import briefbot
from tests.conftest import fresh_database, require_postgres
from tests.password_support import AMBIGUOUS, PASSWORDS, fragments

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
SSL_REQUEST = 80877103
PASSWORD = "s3cret-Pw"
_SSLMODES = "disable, allow, prefer, require, verify-ca, verify-full"


@pytest.fixture(autouse=True)
def _no_sslmode_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """asyncpg reads PGSSLMODE when the URL sets none: these tests mean asyncpg's default."""
    monkeypatch.delenv("PGSSLMODE", raising=False)


def _without_password(url: str) -> str:
    """The test server's URL as messages name it."""
    return re.sub(r"://(\w+):\w+@", r"://\1@", url)


async def _refusal(url: str) -> str:
    """What `connect` says when it cannot open the pool."""
    with pytest.raises(ConfigError) as refused:
        async with connect(url):
            pass
    return str(refused.value)


@asynccontextmanager
async def _listening(answer: Answer) -> AsyncIterator[int]:
    """A TCP listener on 127.0.0.1 answering each connection with `answer`; its port."""
    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


def _postgres_refusing(code: str, message: str) -> Answer:
    """A server that declines SSL, as PostgreSQL without a certificate does, then refuses the session with an error."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        length, request = struct.unpack("!ii", await reader.readexactly(8))
        if request == SSL_REQUEST:
            writer.write(b"N")
            (length,) = struct.unpack("!i", await reader.readexactly(4))
            await reader.readexactly(length - 4)
        else:
            await reader.readexactly(length - 8)
        fields = b"SFATAL\0VFATAL\0C" + code.encode() + b"\0M" + message.encode() + b"\0\0"
        writer.write(b"E" + struct.pack("!i", len(fields) + 4) + fields)
        await writer.drain()
        writer.close()

    return answer


async def _http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """An HTTP server: whatever arrives is a bad request."""
    await reader.read(1)
    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    await writer.drain()
    writer.close()


@pytest.mark.parametrize(("query", "reason"), [
    ("?sslmode=bogus", f"cannot use PostgreSQL at {{at}}: the URL is invalid: `sslmode` parameter must be one of: {_SSLMODES}"),
    ("?application_nam=x", 'PostgreSQL at {at} refused a parameter of the URL: unrecognized configuration parameter "application_nam"'),
    ("?TimeZone=Nowhere", 'PostgreSQL at {at} refused the connection: invalid value for parameter "TimeZone": "Nowhere"'),
])
async def test_a_url_the_server_cannot_use_is_refused_in_words(postgres_server: str | None, query: str, reason: str) -> None:
    server = require_postgres(postgres_server)
    message = await _refusal(server + query)
    assert message == reason.format(at=_without_password(server))
    assert re.search(r"://\w+:(\w+)@", server)[1] not in message  # type: ignore[index]


@pytest.mark.parametrize(("sslmode", "verb"), [("", "reach"), ("?sslmode=disable", "use")])
async def test_a_program_that_is_not_postgresql_is_named_so(sslmode: str, verb: str) -> None:
    async with _listening(_http) as port:
        message = await _refusal(f"postgresql://briefbot:{PASSWORD}@127.0.0.1:{port}/briefbot{sslmode}")
    assert message == (f"cannot {verb} PostgreSQL at postgresql://briefbot@127.0.0.1:{port}/briefbot:"
                       " the program at this port is not PostgreSQL (it did not answer as PostgreSQL does)")


async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A program that accepts the connection and never answers (as behind a firewall that drops the replies)."""
    await reader.read()


async def test_a_server_that_never_answers_is_named_unreachable_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "CONNECT_TIMEOUT", 0.3)  # the shipped 10 s, shortened: the words are what is tested
    async with _listening(_silent) as port:
        message = await _refusal(f"postgresql://briefbot:{PASSWORD}@127.0.0.1:{port}/briefbot")
    assert message == (f"cannot reach PostgreSQL at postgresql://briefbot@127.0.0.1:{port}/briefbot: no answer within 0.3 s"
                       " (a firewall dropping the connection, or a program at this port that never answers)")


@pytest.mark.parametrize("state", ["shutting down", "starting up"])
async def test_a_server_shutting_down_or_starting_up_says_to_try_again(state: str) -> None:
    async with _listening(_postgres_refusing("57P03", f"the database system is {state}")) as port:
        message = await _refusal(f"postgresql://briefbot:{PASSWORD}@127.0.0.1:{port}/briefbot")
    assert message == f"cannot use PostgreSQL at postgresql://briefbot@127.0.0.1:{port}/briefbot: the database system is {state}; try again in a moment"


async def test_the_password_is_cut_from_a_refusal_that_quotes_it() -> None:
    async with _listening(_postgres_refusing("28000", f'role "briefbot" may not use "{PASSWORD}"')) as port:
        message = await _refusal(f"postgresql://briefbot:{PASSWORD}@127.0.0.1:{port}/briefbot")
    assert message == f'PostgreSQL at postgresql://briefbot@127.0.0.1:{port}/briefbot refused the connection: role "briefbot" may not use "…"'


async def test_the_password_from_pgpassword_is_cut_from_a_refusal_that_quotes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the settings file's refusal of a password sends it: asyncpg sends PGPASSWORD's when the URL has none."""
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    async with _listening(_postgres_refusing("28000", f'role "briefbot" may not use "{PASSWORD}"')) as port:
        message = await _refusal(f"postgresql://briefbot@127.0.0.1:{port}/briefbot")
    assert message == f'PostgreSQL at postgresql://briefbot@127.0.0.1:{port}/briefbot refused the connection: role "briefbot" may not use "…"'


def test_the_command_line_says_it_in_one_line_and_exits_2(postgres_server: str | None) -> None:
    server = require_postgres(postgres_server)
    done = briefbot("--db", f"{server}?application_nam=x", "ask", "/meeting")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"briefbot: PostgreSQL at {_without_password(server)} refused a parameter"
                                        ' of the URL: unrecognized configuration parameter "application_nam"']


def _parts(server: str) -> tuple[str, str, str, str]:
    """The test server's user, password, host and port."""
    found = re.match(r"postgresql://(\w+):(\w+)@([\d.]+):(\d+)/", server)
    assert found, "the test server's URL is user:password@host:port"
    return found[1], found[2], found[3], found[4]


async def test_a_failover_url_of_several_hosts_reaches_the_one_that_answers(postgres_server: str | None) -> None:
    """libpq's host list, as asyncpg reads it: the first host cannot be resolved, the second is the server."""
    async with fresh_database(postgres_server) as url:
        user, password, host, port = _parts(url)
        failover = f"postgresql://{user}:{password}@db-primary.invalid:5432,{host}:{port}/{url.rsplit('/', 1)[1]}?target_session_attrs=read-write"
        done = await asyncio.to_thread(briefbot, "ask", "/meeting", env={"BRIEFBOT_DB": failover})
    assert done.returncode == 0, done.stderr
    assert "Petro" in done.stdout


async def test_a_refusal_names_the_server_the_query_parameters_name(postgres_server: str | None) -> None:
    user, _, host, port = _parts(require_postgres(postgres_server))
    message = await _refusal(f"postgresql:///postgres?host={host}&port={port}&user={user}&password=WRONG-{PASSWORD}")
    assert message == f"PostgreSQL at postgresql://{user}@{host}:{port}/postgres refused the password for this user"


async def test_no_free_connection_at_start_says_so_and_names_the_budget() -> None:
    async with _listening(_postgres_refusing("53300", 'too many connections for role "briefbot"')) as port:
        message = await _refusal(f"postgresql://briefbot:{PASSWORD}@127.0.0.1:{port}/briefbot")
    assert message == (f'PostgreSQL at postgresql://briefbot@127.0.0.1:{port}/briefbot has no free connection: too many connections for role'
                       ' "briefbot"; each briefbot process holds up to store.pool_size connections plus one (docs/deploy.md, "Connections")')


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: a connection to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@given(password=PASSWORDS)
@settings(max_examples=60, deadline=None)
def test_a_server_out_of_reach_is_named_without_any_fragment_of_the_password(password: str) -> None:
    """Percent-encoded, the password is cut from the line; written as is, the URL is malformed before any connection."""
    port = _closed_port()
    encoded = asyncio.run(_refusal(f"postgresql://briefbot:{quote(password, safe='')}@127.0.0.1:{port}/briefbot"))
    assert encoded.startswith(f"cannot reach PostgreSQL at postgresql://briefbot@127.0.0.1:{port}/briefbot: "), encoded
    raw = asyncio.run(_refusal(f"postgresql://briefbot:{password}@127.0.0.1:{port}/briefbot"))
    assert raw.startswith(f"the store URL postgresql://***@127.0.0.1:{port}/briefbot is malformed ("), raw
    for message in (encoded, raw):
        assert not fragments(password, message) and not fragments(quote(password, safe=""), message), message


def test_an_at_sign_in_the_password_is_named_at_start_in_one_line() -> None:
    """The URL an operator wrote with an unescaped @ in the password: refused as written, no server tried, nothing of it quoted."""
    port = _closed_port()
    done = briefbot("ask", "/meeting", env={"BRIEFBOT_DB": f"postgresql://briefbot:Pa55@w0rd-XYZ@127.0.0.1:{port}/briefbot"})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"briefbot: environment: BRIEFBOT_DB: the store URL postgresql://***@127.0.0.1:{port}/briefbot is malformed ({AMBIGUOUS}); "
        "expected postgresql://user@host:port/database"]


@pytest.mark.parametrize("given", ["--db", "BRIEFBOT_DB"])
def test_an_empty_host_in_a_host_list_is_named_at_start_in_one_line(given: str) -> None:
    """`h,` (a host left out of a list) is refused as any malformed URL is, not a crash inside asyncpg, the password unshown."""
    url = "postgresql://briefbot:Pa55-XYZ@127.0.0.1,/briefbot"
    done = briefbot("--db", url, "ask", "/meeting") if given == "--db" else briefbot("ask", "/meeting", env={"BRIEFBOT_DB": url})
    assert done.returncode == 2
    where = "error: argument --db" if given == "--db" else "environment: BRIEFBOT_DB"  # --db's as argparse says any argument's
    assert done.stderr.splitlines()[-1] == (
        f"briefbot: {where}: the store URL postgresql://***@127.0.0.1,/briefbot is malformed (a host in its list of hosts is empty); "
        "expected postgresql://user@host:port/database"), done.stderr
    assert "Traceback" not in done.stderr and "Pa55" not in done.stderr
