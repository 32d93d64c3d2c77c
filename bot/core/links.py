"""Whether a link's label tells the truth about where it leads: one rule for every chat that masks links."""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import urlsplit

# A character named as a dot or a full stop (·, 。, ׅ, ܁, ⋅…), whatever its script: a reader takes it for one in a host name.
_DOT_NAME = re.compile(r"\b(?:DOT|FULL STOP)\b")
# A host name inside text: labels of letters, digits or hyphens (any script), then a dot and a top-level label of letters.
_HOST_LIKE = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,63}(?![\w-])")


def label_fits(label: str, url: str) -> bool:
    """True when every host-like word in `label` is the link's host or a parent domain of it (`reuters.com` over
    `www.reuters.com`): a label naming another host (`paypal.com` over `https://evil.example`) must not mask the link."""
    # NFKC folds full-width letters and dots (ｅｖｉｌ．ｃｏｍ) into the ASCII a reader takes them for.
    text = unicodedata.normalize("NFKC", label)
    if not text.isascii():
        text = "".join(map(_as_read, text))
    home = _ascii_host(urlsplit(url).hostname or "")
    for named in _HOST_LIKE.findall(text):
        if not _could_be_a_host(named):
            continue
        seen = _ascii_host(named)
        if not (seen == home or home.endswith("." + seen)):
            return False
    return True


@functools.cache
def _as_read(char: str) -> str:
    """What a reader sees of one character in a host name: a dot for any dot sign, nothing for an invisible format
    character (U+200B, U+2060, a bidi mark: category Cf) or a mark that rides on the letter before it (a variation
    selector, U+034F), which would otherwise split `paypal\u200b.com` into words no host is made of."""
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    if category[0] not in "LN" and _DOT_NAME.search(unicodedata.name(char, "")):
        return "."
    return "" if category == "Mn" else char


def _could_be_a_host(name: str) -> bool:
    """False for a dotted abbreviation ending in two letters that name no country (`EE.UU.`, Spanish for U.S., in many
    a headline): every two-letter top-level domain is a country's code, so such a word reads as no address."""
    top = name.rsplit(".", 1)[-1]
    return not (len(top) == 2 and top.isascii()) or top.upper() in _country_codes()


@functools.cache
def _country_codes() -> frozenset[str]:
    """ISO 3166's two-letter codes, as CLDR lists them, and `.uk`, the one country domain that is not one."""
    from babel import Locale  # only once a label holds such a word: most answers' labels never do

    return frozenset(code for code in Locale("en").territories if isinstance(code, str) and len(code) == 2) | {"UK"}


def _ascii_host(name: str) -> str:
    """A host name as DNS sees it (punycode, lower case), so `bücher.de` and `xn--bcher-kva.de` compare equal."""
    name = name.strip(".").lower()
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name  # not a valid IDNA name: compared as typed, which never matches a real host by accident
