"""Which server a store URL names, as asyncpg reads it, for messages and logs: never its password.

asyncpg takes any libpq URI: several `host:port` pairs (failover, `target_session_attrs`), a Unix socket
directory, and host, port, user and database as query parameters or from PGHOST, PGPORT, PGUSER and
PGDATABASE. A message must name the server really tried, so this reads those parts in asyncpg's order: the
URI's own parts first, then its query, then the environment. asyncpg's own parser
(`connect_utils._parse_connect_dsn_and_args`) is private, its arguments change between the releases
briefbot accepts, and it reads the password file and certificates too, so the parts are read here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

import msgspec

from bot.errors import ConfigError

# A bracketed IPv6 address, then an optional port: `[::1]:5432`.
_IPV6 = re.compile(r"\[([^\]]+)\](?::(.*))?$")
# A URL's host part as hosts with numeric ports can write it: one that is not (`user:secret`, the @host forgotten) may be a
# user and password, so a message shows none of it.
_HOST_PART = re.compile(r"(?:\[[^\]]*\]|[^:,\[\]]*)(?::\d*)?(?:,(?:\[[^\]]*\]|[^:,\[\]]*)(?::\d*)?)*")
# A password given as a query parameter, whose value a message shows as ***.
_PASSWORD_PARAMETER = re.compile(r"((?:^|[?&])(?:ssl)?password=)[^&#]*", re.IGNORECASE)
_DEFAULT_PORT = 5432


class Address(msgspec.Struct, frozen=True):
    """The hosts (socket directories start with /) and their ports, the user and the database asyncpg connects with."""

    hosts: tuple[str, ...]
    ports: tuple[int, ...]
    user: str
    database: str
    passwords: frozenset[str]  # every form the URL writes one in, and PGPASSWORD's, to cut from any text shown

    def shown(self) -> str:
        """The address as a libpq URI without the password: host:port pairs, or, for a socket, host and port as parameters."""
        user = f"{self.user}@" if self.user else ""
        database = f"/{self.database}" if self.database else "/"
        if any(host.startswith("/") for host in self.hosts):
            hosts, ports = ",".join(self.hosts), ",".join(map(str, self.ports))
            return f"postgresql://{user}{database}?host={hosts}&port={ports}"
        pairs = ",".join(f"{f'[{host}]' if ':' in host else host}:{port}" for host, port in zip(self.hosts, self.ports, strict=True))
        return f"postgresql://{user}{pairs}{database.rstrip('/')}"


def address(url: str) -> Address:
    """What asyncpg will connect to for `url`; ConfigError (the URL never echoed) when a host or port cannot be read."""
    try:
        return _read(url, os.environ)
    except ValueError as error:
        raise ConfigError(_malformed(url, error)) from None


def url_problem(url: str) -> str | None:
    """Why the URL itself cannot be read, in `address`'s words, else None. The PG* variables are left out: what is said is
    the URL's own problem, which the settings name at the key or variable that gives it."""
    try:
        _read(url, {})
    except ValueError as error:
        return _malformed(url, error)
    return None


def holds_password(url: str) -> bool:
    """Whether the URL itself writes a password (its user part, `password=` or `sslpassword=`); False when it cannot be
    read, which `url_problem` says. The settings file refuses one: secrets come only from the environment."""
    try:
        return bool(_read(url, {}).passwords)
    except ValueError:
        return False


def _malformed(url: str, error: ValueError) -> str:
    """What is wrong, with the URL as `masked` shows it, and the form expected (the password is PGPASSWORD's, docs/deploy.md)."""
    return f"the store URL {masked(url)} is malformed ({error}); expected postgresql://user@host:port/database"


def masked(url: str) -> str:
    """The URL as a message may show it, nothing of a password: what comes before its last @ (the user and password) as
    ***, a `password=` or `sslpassword=` parameter's value as ***, and, with no @, a host part no hosts and ports could
    write (`user:secret/db`, the @host forgotten) as *** with all that follows it."""
    scheme, _, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rpartition("@")[2]
    elif not _HOST_PART.fullmatch(re.split(r"[/?#]", rest, maxsplit=1)[0]):
        return f"{scheme}://***"
    return f"{scheme}://" + _PASSWORD_PARAMETER.sub(r"\1***", rest)


def _read(url: str, environ: Mapping[str, str]) -> Address:
    """The address, by asyncpg's precedence: the URI's parts, then its query, then PG* variables (`environ`), then defaults."""
    parts = _split(url)
    query = dict(parse_qsl(parts.query))  # the last of a repeated parameter wins, as in asyncpg
    auth, _, hostspec = parts.netloc.rpartition("@")
    user, _, password = auth.partition(":")
    # PGPASSWORD is asyncpg's when the URL gives none: the password a store URL without one is used with (docs/deploy.md).
    written = (password, unquote(password), query.get("password", ""), query.get("sslpassword", ""), environ.get("PGPASSWORD", ""))
    passwords = {form for form in written if form}
    ports = _ports(query.get("port", ""))
    if hostspec:
        hosts, ports = _hosts(hostspec, (), environ, quoted=True)
    elif query.get("host"):
        hosts, ports = _hosts(query["host"], ports, environ)
    elif environ.get("PGHOST"):
        hosts, ports = _hosts(environ["PGHOST"], ports, environ)
    else:  # asyncpg tries the usual socket directories, then localhost: the local server either way
        hosts, ports = _hosts("localhost", ports, environ)
    user = unquote(user) or query.get("user") or environ.get("PGUSER", "")
    database = unquote(parts.path[1:]) if parts.path else query.get("dbname") or query.get("database") or environ.get("PGDATABASE", "")
    return Address(hosts, ports, user, database or user, frozenset(passwords))


def _split(url: str) -> SplitResult:
    """The URL's parts; ValueError quoting nothing when an unescaped character of the password leaves its shape ambiguous.

    urlsplit ends the host part at the first / ? or #, and asyncpg and libpq end the password at the first @
    (RFC 3986 readers at the last): with such a character in the password, part of it would be read as a port,
    a host or the database, which a message prints. So one @ only, the password's end, and none past the host.
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # its words may quote the password: "netloc 'user:pass…' contains invalid characters"
        raise ValueError("its host cannot be read: an IPv6 address is written in brackets, [::1],"
                         " and special characters in the password percent-encoded") from None
    if parts.netloc.count("@") > 1 or (parts.netloc and "@" in parts.path + parts.query + parts.fragment):
        raise ValueError("an @, /, ? or # in the password, or an @ past the host, must be percent-encoded: %40, %2F, %3F, %23")
    return parts


def _hosts(hostlist: str, ports: tuple[int, ...], environ: Mapping[str, str], *, quoted: bool = False) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The hosts of a comma-separated list, each with its own port, else `ports` (one for all, or one each), else PGPORT's."""
    hosts, own = [], []
    for spec in hostlist.split(","):
        ipv6 = _IPV6.match(spec)
        if not spec:  # `h,` or `a,,b`: asyncpg fails on it with an IndexError, a crash and not a message
            raise ValueError("a host in its list of hosts is empty")
        if spec.startswith("/"):
            host, port = spec, ""
        elif ipv6:
            host, port = ipv6[1], ipv6[2] or ""
        elif spec.startswith("["):
            raise ValueError("an IPv6 address must be written in brackets, [::1]")
        else:
            host, _, port = spec.partition(":")
        hosts.append(unquote(host) if quoted else host)
        # The URL's own port is not quoted: with its @host forgotten, `user:secret` reads as host `user`, port `secret`.
        own.append(_port(unquote(port), quoted=not quoted) if port else None)
    given = ports or _ports(environ.get("PGPORT", "")) or (_DEFAULT_PORT,)
    if len(given) == 1:
        given *= len(hosts)
    elif len(given) != len(hosts):
        raise ValueError(f"{len(given)} ports for {len(hosts)} hosts")
    return tuple(hosts), tuple(mine or other for mine, other in zip(own, given, strict=True))


def _ports(text: str) -> tuple[int, ...]:
    """A comma-separated list of ports; none for empty text."""
    return tuple(_port(part) for part in text.split(",")) if text else ()


def _port(text: str, quoted: bool = True) -> int:
    """A port number; ValueError when it is not one, naming the text if `quoted` (a query's or PGPORT's, never a password)."""
    if not text.isdigit() or not 0 < int(text) <= 65535:
        raise ValueError(f"port {text!r} is not a number from 1 to 65535" if quoted else "a host's port is not a number from 1 to 65535")
    return int(text)
