"""The server a store URL names, as asyncpg reads it: several hosts, a socket directory, query parameters, PG* variables."""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from asyncpg import connect_utils
from hypothesis import given, settings

from bot.errors import ConfigError
from bot.store.postgres.address import address
from bot.store.postgres.refusals import where
from tests.password_support import AMBIGUOUS, PASSWORDS, fragments


@pytest.fixture(autouse=True)
def _no_pg_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """asyncpg reads PGHOST and the like where the URL says nothing: these tests set them only where they mean to."""
    for name in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)


SHOWN = [
    ("postgresql://briefbot:PW@db:6432/briefbot", "postgresql://briefbot@db:6432/briefbot"),
    ("postgres://briefbot:PW@db/briefbot", "postgresql://briefbot@db:5432/briefbot"),
    ("postgresql://briefbot:PW@db-primary.invalid:5432,127.0.0.1:56523/briefbot?target_session_attrs=read-write",
     "postgresql://briefbot@db-primary.invalid:5432,127.0.0.1:56523/briefbot"),
    ("postgresql://briefbot:PW@a,b:7000/briefbot", "postgresql://briefbot@a:5432,b:7000/briefbot"),
    ("postgresql://briefbot:PW@[::1]:6000,[fe80::2]/briefbot", "postgresql://briefbot@[::1]:6000,[fe80::2]:5432/briefbot"),
    ("postgresql:///briefbot?host=/tmp/x/pg&port=56523&user=briefbot&password=WRONG",
     "postgresql://briefbot@/briefbot?host=/tmp/x/pg&port=56523"),
    ("postgresql://?host=a,b&port=1,2&dbname=d&user=u", "postgresql://u@a:1,b:2/d"),
    ("postgresql://u@%2Frun%2Fpostgresql/d", "postgresql://u@/d?host=/run/postgresql&port=5432"),
    ("postgresql://u@db:1/d?host=other&port=2&user=v&dbname=e", "postgresql://u@db:1/d"),  # the URI's own parts win
    ("postgresql://u@/d", "postgresql://u@localhost:5432/d"),
]


@pytest.mark.parametrize(("url", "shown"), SHOWN)
def test_a_url_names_the_hosts_ports_user_and_database_asyncpg_uses(url: str, shown: str) -> None:
    assert where(url) == shown
    assert "PW" not in where(url) and "WRONG" not in where(url)


@pytest.mark.parametrize("url", [url for url, _ in SHOWN if "host" in url or "@/" not in url])
def test_the_addresses_are_those_asyncpgs_own_parser_reads(url: str, tmp_path: Path) -> None:
    """A check against asyncpg's private parser (its arguments differ between releases: all given as None)."""
    parse = connect_utils._parse_connect_dsn_and_args
    (tmp_path / "pgpass").touch(mode=0o600)
    addrs, params = parse(**{**dict.fromkeys(inspect.signature(parse).parameters), "dsn": url, "passfile": tmp_path / "pgpass"})
    found = address(url)
    mine = [os.path.join(host, f".s.PGSQL.{port}") if host.startswith("/") else (host, port) for host, port in zip(found.hosts, found.ports, strict=True)]
    assert (mine, found.user, found.database) == (addrs, params.user, params.database)


def test_the_environment_fills_what_the_url_leaves_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGHOST", "/var/run/postgresql,db")
    monkeypatch.setenv("PGPORT", "5433")
    monkeypatch.setenv("PGUSER", "ops")
    assert where("postgresql://") == "postgresql://ops@/ops?host=/var/run/postgresql,db&port=5433,5433"
    assert where("postgresql://briefbot@db:5432/briefbot") == "postgresql://briefbot@db:5432/briefbot"


_UNREADABLE = "its host cannot be read: an IPv6 address is written in brackets, [::1], and special characters in the password percent-encoded"


_PORT = "a host's port is not a number from 1 to 65535"


@pytest.mark.parametrize(("url", "shown", "why"), [
    ("postgresql://briefbot:secret@db:port/briefbot", "postgresql://***@db:port/briefbot", _PORT),
    ("postgresql://briefbot:secret@127.0.0.1:99999/briefbot", "postgresql://***@127.0.0.1:99999/briefbot", _PORT),
    ("postgresql://briefbot:secret@[::1/briefbot", "postgresql://***@[::1/briefbot", _UNREADABLE),
    ("postgresql:///briefbot?host=a,b&port=1,2,3&password=secret", "postgresql:///briefbot?host=a,b&port=1,2,3&password=***", "3 ports for 2 hosts"),
    ("postgresql://briefbot:secret@db,/briefbot", "postgresql://***@db,/briefbot", "a host in its list of hosts is empty"),
    ("postgresql:///briefbot?host=a,,b&password=secret", "postgresql:///briefbot?host=a,,b&password=***", "a host in its list of hosts is empty"),
    ("postgresql://db/briefbot?port=x&sslpassword=secret", "postgresql://db/briefbot?port=x&sslpassword=***", "port 'x' is not a number from 1 to 65535"),
    # The @host forgotten: `briefbot:secret` reads as host `briefbot`, port `secret`, which is the password.
    ("postgresql://briefbot:secret/briefbot", "postgresql://***", _PORT),
])
def test_a_url_that_cannot_be_read_is_malformed_shown_without_its_password(url: str, shown: str, why: str) -> None:
    """The message shows the URL with what may be a password as ***, and the form expected, which writes none."""
    with pytest.raises(ConfigError) as refused:
        where(url)
    assert str(refused.value) == f"the store URL {shown} is malformed ({why}); expected postgresql://user@host:port/database"


@pytest.mark.parametrize("url", [
    "postgresql://briefbot:Pa55/w0rd-XYZ@db.example:5432/briefbot",  # urlsplit would end the host at the /: port 'Pa55'
    "postgresql://briefbot:Pa55@w0rd-XYZ@127.0.0.1:40165/briefbot",  # asyncpg would try host 'w0rd-XYZ@127.0.0.1'
    "postgresql://briefbot:Pa55?w0rd-XYZ@db/briefbot",
    "postgresql://briefbot:Pa55#w0rd-XYZ@db/briefbot",
    "postgresql://briefbot:12/w0rd-XYZ@db/briefbot",  # a valid host:port then a database: the shape alone is not enough
])
def test_an_unescaped_special_character_in_the_password_is_malformed_and_quotes_nothing(url: str) -> None:
    with pytest.raises(ConfigError) as refused:
        where(url)
    assert str(refused.value).endswith(f" is malformed ({AMBIGUOUS}); expected postgresql://user@host:port/database")


@given(password=PASSWORDS)
@settings(max_examples=300, deadline=None)
def test_no_fragment_of_a_password_is_ever_shown(password: str) -> None:
    """Written as is or percent-encoded, nothing of the password reaches the text: a malformed URL's words or the address."""
    for url in (f"postgresql://briefbot:{password}@db.example:5432/briefbot", f"postgresql://briefbot:{quote(password, safe='')}@db:1/b",
                f"postgresql://briefbot:{quote(password, safe='')}/b"):  # the @host forgotten: the password reads as the port
        try:
            text = where(url)
        except ConfigError as refused:
            text = str(refused)
        assert not fragments(password, text) and not fragments(quote(password, safe=''), text), text


def test_an_at_sign_past_the_host_is_fine_where_no_password_can_be() -> None:
    assert where("postgresql:///d?host=/run/postgresql&user=ops@example") == "postgresql://ops@example@/d?host=/run/postgresql&port=5432"
