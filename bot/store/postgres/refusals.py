"""Why PostgreSQL could not be used at start, in one line of words: the operator's to fix, so never a class name.

The URL's password is never printed: messages name the server by `where` (bot/store/postgres/address.py: the
hosts, ports, user and database asyncpg really uses), and any text taken from an error (the server's or
asyncpg's words) has the password cut out first.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import asyncpg

from bot.store.postgres.address import address

# sslmodes under which a server without SSL is refused (libpq's meaning, which asyncpg follows).
_SSL_REQUIRED = ("require", "verify-ca", "verify-full")
# A program that is not PostgreSQL (an HTTP server, say) answers the first bytes with something else, or hangs up.
_NOT_POSTGRES = "the program at this port is not PostgreSQL (it did not answer as PostgreSQL does)"


def where(url: str) -> str:
    """The server the URL names, without its password, for messages and logs; ConfigError when it cannot be read at all."""
    return address(url).shown()


def refusal(error: BaseException, url: str, waited: float) -> str:
    """The message for a pool that could not be opened (after `waited` seconds at most): where the server is, and why, in words."""
    at = where(url)
    if isinstance(error, asyncpg.InvalidPasswordError):
        return f"PostgreSQL at {at} refused the password for this user"
    if isinstance(error, asyncpg.InvalidCatalogNameError):
        return f"PostgreSQL at {at}: the database does not exist"
    if isinstance(error, asyncpg.CannotConnectNowError):  # "the database system is starting up" or "… shutting down"
        return f"cannot use PostgreSQL at {at}: {_hidden(error.message, url)}; try again in a moment"
    if isinstance(error, asyncpg.TooManyConnectionsError):  # the role's CONNECTION LIMIT or the server's max_connections
        return (f"PostgreSQL at {at} has no free connection: {_hidden(error.message, url)}; each briefbot process holds up to"
                " store.pool_size connections plus one (docs/deploy.md, \"Connections\")")
    if isinstance(error, asyncpg.UndefinedObjectError):  # asyncpg sends the URL's unknown parameters as settings
        return f"PostgreSQL at {at} refused a parameter of the URL: {_hidden(error.message, url)}"
    if isinstance(error, asyncpg.ConnectionDoesNotExistError):  # hung up before the session was set up
        return f"cannot use PostgreSQL at {at}: {_NOT_POSTGRES}"
    if isinstance(error, asyncpg.PostgresError):
        return f"PostgreSQL at {at} refused the connection: {_hidden(error.message, url)}"
    if isinstance(error, asyncpg.ClientConfigurationError):  # e.g. "`sslmode` parameter must be one of: disable, …"
        return f"cannot use PostgreSQL at {at}: the URL is invalid: {_hidden(str(error), url)}"
    if isinstance(error, TimeoutError):  # an OSError too, with no words of its own
        return (f"cannot reach PostgreSQL at {at}: no answer within {waited:g} s"
                " (a firewall dropping the connection, or a program at this port that never answers)")
    if isinstance(error, OSError):
        return f"cannot reach PostgreSQL at {at}: {_unreachable(error, url)}"
    return f"cannot use PostgreSQL at {at}: {_hidden(str(error), url) or type(error).__name__}"


def _unreachable(error: OSError, url: str) -> str:
    """Why the server could not be reached: the system's words, or asyncpg's (which name host and port)."""
    text = str(error.args[0]) if error.args and not error.strerror else ""
    if text.endswith("rejected SSL upgrade"):  # the answer to asyncpg's SSL request was neither yes nor no
        if _sslmode(url) in _SSL_REQUIRED:
            return "the server does not support SSL, which the URL's sslmode requires"
        return _NOT_POSTGRES
    return _hidden(error.strerror or text, url) or type(error).__name__


def _sslmode(url: str) -> str:
    """The sslmode asyncpg uses: the URL's, else PGSSLMODE's, else prefer."""
    given = parse_qs(urlsplit(url).query).get("sslmode")
    return given[-1] if given else os.environ.get("PGSSLMODE", "prefer")


def _hidden(text: str, url: str) -> str:
    """`text` with the URL's password (as written, and decoded) cut out."""
    for form in address(url).passwords:
        text = text.replace(form, "…")
    return text
