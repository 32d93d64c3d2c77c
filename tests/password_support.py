"""Passwords holding the characters that change a URL's shape, and the fragments of one a text must never show."""

from __future__ import annotations

from hypothesis import strategies as st

# Letters no message of briefbot's or the system's holds, so any three characters with one of them are the password's.
_MARKS = "ZXJΩж"
# / ? # end a URL's host part; @ its user and password; [ ] an IPv6 address; % an escape; ／ becomes / under NFKC.
_SPECIAL = "/?#@:[]%／"
PASSWORDS = st.text(alphabet=_MARKS + _SPECIAL, min_size=3, max_size=24).filter(
    lambda password: any(mark in password for mark in _MARKS) and any(char in "/?#@" for char in password)
)
# The store URL refusal for an unescaped @ / ? # in the password.
AMBIGUOUS = "an @, /, ? or # in the password, or an @ past the host, must be percent-encoded: %40, %2F, %3F, %23"


def fragments(password: str, text: str) -> list[str]:
    """The 3-character pieces of `password` (those with a letter of its own) found in `text`."""
    pieces = {password[start:start + 3] for start in range(len(password) - 2)}
    return sorted(piece for piece in pieces if any(mark in piece for mark in _MARKS) and piece in text)
