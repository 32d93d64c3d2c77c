"""The settings file's YAML parser, imported only when the settings cache has no entry for the file's bytes.

Importing PyYAML is a large share of a cold `ask` (its reader and resolver compile large regexes at import),
so bot/settings_cache.py keeps the parsed mapping and a start with an unchanged file skips this.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigError

MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
try:  # libyaml's parser where PyYAML has it (its wheels do): far quicker than the Python one
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]  # types-PyYAML does not relate CSafeLoader to SafeLoader


class _UniqueKeyLoader(SafeLoader):
    """safe_load that refuses a key written twice in one mapping, where PyYAML would silently keep the last, and reads
    every key as the text it is written as: a setting's key is a name, and YAML 1.1 reads `on:` as true, `null:` as None."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """The mapping, its keys as written, once no key of it repeats."""
        node.value = [  # so an unknown key's error names `on`, not the `true` YAML made of it
            (yaml.ScalarNode(STR_TAG, key_node.value, key_node.start_mark, key_node.end_mark, key_node.style)
             if isinstance(key_node, yaml.ScalarNode) and key_node.tag not in (STR_TAG, MERGE_TAG) else key_node, value_node)
            for key_node, value_node in node.value
        ]
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:  # `<<: *defaults` brings keys in on purpose; the mapping's own may override
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue  # an unhashable key: the base class refuses it with its own error
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def parse(path: Path, text: str) -> Any:
    """The file's YAML as Python values ({} for an empty file); ConfigError saying where it is not YAML."""
    try:
        parsed = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader: no Python objects
        # Only an empty file (or only comments) means "all defaults": `[]`, `0` or `false` is a mistake the caller names.
        return {} if parsed is None else parsed
    except yaml.reader.ReaderError as error:  # a character YAML refuses anywhere (NUL, BEL): said where, as a person reads it
        at = text.find(chr(error.character))
        line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        raise ConfigError(f"{path}: not valid YAML at line {line}, column {column}: the control character U+{error.character:04X}"
                          " is not allowed; delete it (retype the text around it if your editor does not show it)") from None
    except yaml.MarkedYAMLError as error:
        where = f" at line {error.problem_mark.line + 1}" if error.problem_mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}: {error.problem}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({type(error).__name__})") from None
