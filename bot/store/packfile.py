"""Pack files on disk: YAML in (validated by the core), YAML out (loads back to the same state)."""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack
from bot.errors import PackError, PackProblem


class _PackLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the text written and refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(None, None, "found unhashable key", key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Dates stay strings ("2025-09", "2026-02-03") so precision is never lost to a datetime, and
# YAML 1.1's base-60 numbers are gone so an unquoted `time: 11:00` stays "11:00", not 660.
_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_PackLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PackLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_PackLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


def read_pack_text(text: str, file: str) -> Briefing:
    """Parse and validate pack YAML; PackError carries every problem found."""
    try:
        data = yaml.load(text, Loader=_PackLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise PackError([PackProblem(file, where, "pack.yaml", (("reason", str(problem)),))]) from None
    return parse_pack(data, file)


def read_pack(path: Path) -> Briefing:
    """Read one pack file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError([PackProblem(str(path), "", "pack.not_found")]) from None
    except (OSError, UnicodeDecodeError):
        raise PackError([PackProblem(str(path), "", "pack.unreadable_file")]) from None
    return read_pack_text(text, str(path))


def pack_files(directory: Path) -> list[Path]:
    """The pack files of a directory, in name order."""
    return sorted(p for p in directory.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def dump_pack(briefing: Briefing) -> str:
    """The briefing as pack YAML, keys in documented order, Unicode kept readable."""
    header = "# Briefing pack exported by briefbot. Format: docs/data-pack.md\n"
    return header + yaml.safe_dump(pack_mapping(briefing), sort_keys=False, allow_unicode=True, width=100)
