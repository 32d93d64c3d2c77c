"""Pack files on disk: YAML or JSON in (validated by the core), YAML out (loads back to the same state)."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

import msgspec
import yaml

from bot.core.catalogue import Catalogue
from bot.core.checker import ZONE_ABBREVIATION
from bot.core.kept import collector_paused
from bot.core.model import Briefing, Source
from bot.core.pack import LEGACY_MEETING, MAX_PACK_BYTES, pack_mapping, parse_pack, parse_pack_data, problem_lines
from bot.errors import PackError, PackProblem
from bot.inputs import NotRegularFile, read_regular
from bot.store.texts import read_text

log = logging.getLogger(__name__)

# Limits of the YAML reader, so that every pack, however hostile, ends in a PackError naming the
# problem: a real pack nests about five levels and its numbers are a format version or a year.
MAX_DEPTH = 20  # PyYAML composes nodes recursively: 500 levels would raise RecursionError
MAX_NUMBER = 20  # characters; int() refuses over 4,300 digits, and base-60 `1:2:3…` is quadratic
# Pack files the operator names (`briefbot validate`, `load`, `migrate-pack`, the packs folder) may be
# far larger than an upload in chat (MAX_PACK_BYTES, 1 MB): a 100,000-event pack is about 50 MB of
# YAML. The cap still bounds what one command reads and holds (parsing takes about 10× the text).
MAX_FILE_BYTES = 100_000_000
MERGE_TAG = "tag:yaml.org,2002:merge"


def _megabytes(limit: int) -> str:
    """A size cap as the message shows it."""
    return f"{limit // 1_000_000} MB"


class _Refused(yaml.constructor.ConstructorError):
    """A value the reader will not take, with the catalogue key (and parameters) that says why."""

    def __init__(self, key: str, mark: yaml.Mark, **params: Any) -> None:
        super().__init__(None, None, key, mark)
        self.key = key
        self.params = tuple(params.items())


class _PackRules(yaml.constructor.SafeConstructor):
    """What every pack reader does beyond YAML: duplicate keys and values that do not fit their tag are refused."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Construct one value; an explicit tag the value does not fit (`!!int x`, `!!bool maybe`) is refused at it."""
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except Exception:  # noqa: BLE001 - PyYAML's constructors fail on such values with whatever their parsing raises
            raise _Refused("pack.bad_value", node.start_mark) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:  # `<<:` merges in what an anchor names, and anchors are refused: nothing to merge
                raise _Refused("pack.merge_key", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(None, None, "found unhashable key", key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _PackComposer(yaml.composer.Composer):
    """What every pack reader composes: no anchors or aliases, and nesting no deeper than MAX_DEPTH."""

    _depth = 0  # of the node being composed
    # Given by the parser and the resolver it is mixed with (types-PyYAML's Composer declares none of them).
    get_event: Callable[[], Any]
    check_event: Callable[..., bool]
    resolve: Callable[[type[yaml.Node], str | None, Any], str]

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        """Compose one node, refused at its mark when it is too deep, anchored (`&a`) or an alias (`*a`).

        Depth is checked before the recursion gets deep. An alias would be one item written once and checked, listed
        and stored at each use: 130,000 uses of one event fit in 1 MB. With neither, nor path resolvers (packs register
        none), this is PyYAML's composing less its bookkeeping for them, a good share of a chat upload's parsing.
        """
        self._depth += 1
        try:
            event = self.get_event()
            if self._depth > MAX_DEPTH:
                raise _Refused("pack.too_deep", event.start_mark, limit=MAX_DEPTH)
            if event.anchor is not None:
                written = ("*" if isinstance(event, yaml.AliasEvent) else "&") + event.anchor
                raise _Refused("pack.anchor", event.start_mark, written=written)
            tag = event.tag
            if isinstance(event, yaml.ScalarEvent):
                if tag is None or tag == "!":
                    tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)
                # libyaml's marks are yaml._yaml.Mark, which nodes hold as they hold the Python parser's (the stubs allow only those).
                return yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)  # type: ignore[arg-type]
            sequence = isinstance(event, yaml.SequenceStartEvent)
            kind = yaml.SequenceNode if sequence else yaml.MappingNode
            if tag is None or tag == "!":
                tag = self.resolve(kind, None, event.implicit)
            node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
            end = yaml.SequenceEndEvent if sequence else yaml.MappingEndEvent
            while not self.check_event(end):
                node.value.append(self.compose_node(node, None) if sequence else (self.compose_node(node, None), self.compose_node(node, None)))
            node.end_mark = self.get_event().end_mark
            return node
        finally:
            self._depth -= 1


class _PackLoader(_PackComposer, _PackRules, yaml.SafeLoader):
    """SafeLoader that keeps dates as the text written, refuses duplicate keys and stays within limits."""


# Packs are parsed by libyaml (PyYAML's C parser, when installed) and composed by the pack composer above:
# PyYAML's Python parser took several times as long as libyaml's events composed in Python, too long for a chat upload.
_Loader = type[yaml.SafeLoader] | type[yaml.CSafeLoader]
if yaml.__with_libyaml__:
    class _CPackLoader(_PackComposer, _PackRules, yaml.CSafeLoader):
        """The pack rules over libyaml's parser; its events composed by the pack composer, not libyaml's."""

        def __init__(self, stream: str) -> None:
            """libyaml's loader over the stream; the composer's own __init__, first in the order, takes none."""
            yaml.CSafeLoader.__init__(self, stream)
            yaml.composer.Composer.__init__(self)

    _Reader: _Loader = _CPackLoader
else:  # PyYAML built without libyaml: the Python parser, slower, with the same result
    _Reader = _PackLoader


# Dates stay strings ("2025-09", "2026-02-03") so precision is never lost to a datetime, and
# YAML 1.1's base-60 numbers are gone so an unquoted `time: 11:00` stays "11:00", not 660.
_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_int(loader: _PackLoader, node: yaml.ScalarNode) -> int:
    """An integer, refused when it is longer than any number a pack holds."""
    if len(node.value) > MAX_NUMBER:
        raise _Refused("pack.number_too_long", node.start_mark, limit=MAX_NUMBER)
    return loader.construct_yaml_int(node)


for _loader in (_PackLoader, _Reader):
    _loader.yaml_implicit_resolvers = {first: list(resolvers) for first, resolvers in _RESOLVERS.items()}
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
    )
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
        list("-+0123456789."),
    )
    _loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class _JsonRefused(ValueError):
    """A JSON value the reader will not take, with the catalogue key (and parameters) that says why."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = tuple(params.items())


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; one that gives a key twice is refused, as in YAML (json keeps the last, silently)."""
    found = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _JsonRefused("pack.json", reason=f"duplicate key {key!r}")
            seen.add(key)
    return found


def _json_number(text: str) -> int | float:
    """A JSON number, refused when it is longer than any number a pack holds (as in YAML)."""
    if len(text) > MAX_NUMBER:
        raise _JsonRefused("pack.number_too_long", limit=MAX_NUMBER)
    return float(text) if any(c in text for c in ".eE") else int(text)


def _json_constant(text: str) -> Any:
    """NaN and Infinity, which Python's json takes but JSON does not."""
    raise _JsonRefused("pack.json", reason=f"{text} is not a JSON value")


def _json_data(text: str, file: str) -> Any:
    """The data of a JSON pack (JSON is YAML, and far faster to read), with the YAML reader's rules."""
    text = text.removeprefix("\ufeff")  # a byte-order mark, which Windows editors write and YAML's reader skips
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_int=_json_number, parse_float=_json_number,
                          parse_constant=_json_constant)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise PackError([PackProblem(file, where, "pack.json", (("reason", error.msg),))]) from None
    except _JsonRefused as error:
        raise PackError([PackProblem(file, _position(text, _refused_at(text)), error.key, error.params)]) from None
    except RecursionError:  # json's parser recurses once per level, up to Python's recursion limit
        raise PackError([PackProblem(file, "", "pack.too_deep", (("limit", sys.getrecursionlimit()),))]) from None


# What json.loads hands the reader's hooks, found again outside strings: an object's edges, a key's colon, a constant, a number.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}:]|-?Infinity|NaN|-?[0-9][0-9.eE+-]*')


def _refused_at(text: str) -> int:
    """Where in valid JSON the reader's hooks first refused something: json's hooks are given no position.

    The walk meets values in json's order: a constant or a number is refused where it stands, a key given twice when its
    object ends (as json's `object_pairs_hook` is called), so the first found is the one json refused.
    """
    keys: list[set[str]] = []  # each open object's keys
    twice: list[int | None] = []  # where each open object first gives a key again
    last = ("", 0)  # the last string, and where it starts: a key, once its colon follows
    at = 0
    while found := _JSON_TOKENS.search(text, at):
        token, at = found.group(), found.end()
        if token[0] == '"':
            last = (json.loads(token), found.start())
        elif token == "{":
            keys.append(set())
            twice.append(None)
        elif token == "}":
            keys.pop()
            if (again := twice.pop()) is not None:
                return again
        elif token == ":":
            if last[0] in keys[-1] and twice[-1] is None:
                twice[-1] = last[1]
            keys[-1].add(last[0])
        elif not token[-1].isdigit() or len(token) > MAX_NUMBER:  # a constant, or a number too long
            return found.start()
    return 0


def _position(text: str, offset: int) -> str:
    """A place in text as the readers name it: line and column, counted from 1 (as json's and PyYAML's errors count)."""
    return f"line {text.count(chr(10), 0, offset) + 1}, column {offset - text.rfind(chr(10), 0, offset)}"


def read_pack_text(text: str, file: str) -> Briefing:
    """Parse and validate pack YAML sent in chat (at most MAX_PACK_BYTES); PackError carries every problem found."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PACK_BYTES:
        raise PackError([PackProblem(file, "", "pack.too_large", (("limit", _megabytes(MAX_PACK_BYTES)),))])
    return _parsed(text, file)


def _parsed(text: str, file: str, abbreviations_kept: bool = False) -> Briefing:
    """Parse pack YAML and validate it (`abbreviations_kept`: as `parse_pack` takes it)."""
    try:
        data = yaml.load(text, Loader=_Reader)  # safe: both loaders are SafeLoaders
    except yaml.reader.ReaderError as error:  # a character YAML refuses anywhere, quoted or not (NUL, BEL, U+FFFE)
        raise PackError([PackProblem(file, _position(text, text.find(chr(error.character))), "pack.yaml_character",
                                     (("code", f"U+{error.character:04X}"),))]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        if isinstance(error, _Refused):
            raise PackError([PackProblem(file, where, error.key, error.params)]) from None
        # PyYAML's own words: what it was reading ("expected a single document in the stream"), then what it met.
        reason = ", ".join(str(part) for part in (getattr(error, "context", None), getattr(error, "problem", None)) if part)
        raise PackError([PackProblem(file, where, "pack.yaml", (("reason", reason or "invalid YAML"),))]) from None
    except UnicodeEncodeError:  # libyaml reads UTF-8: text holding half a character (a file's is whole) cannot be given it
        raise PackError([PackProblem(file, "", "pack.lone_surrogate")]) from None
    return parse_pack(data, file, abbreviations_kept=abbreviations_kept)


def written_with_meeting(path: Path) -> bool:
    """Whether a valid pack file gives its one session in the older form, `meeting:`, so problems name that path."""
    data = _file_data(path)
    return isinstance(data, dict) and LEGACY_MEETING in data


def in_older_form(path: Path) -> bool:
    """Whether a valid pack file has what `migrate-pack` rewrites: one `meeting:`, or `zones:` as venue and home."""
    data = _file_data(path)
    head = data.get("briefing") if isinstance(data, dict) else None
    return isinstance(data, dict) and (LEGACY_MEETING in data or (isinstance(head, dict) and isinstance(head.get("zones"), dict)))


def _file_data(path: Path) -> Any:
    """A pack file's data as written, before any check."""
    text = pack_text(path, MAX_FILE_BYTES)
    return _json_data(text, str(path)) if is_json(path) else yaml.load(text, Loader=_Reader)  # safe: SafeLoaders


def read_pack(path: Path, *, listed: bool = False) -> Briefing:
    """Read one pack file the operator named, or one `listed` in a folder they named (`pack_text`; at most MAX_FILE_BYTES):
    JSON when its name ends in `.json`, else YAML."""
    text = pack_text(path, MAX_FILE_BYTES, listed=listed)
    with collector_paused():  # a 100k-event pack is millions of objects: collections would walk them over and over
        if is_json(path):
            return parse_pack(_json_data(text, str(path)), str(path), plain=True)
        return _parsed(text, str(path))


def read_pack_data(path: Path, *, listed: bool = False, seeding: bool = False) -> tuple[Briefing, dict[str, Any]]:
    """`read_pack`, with the briefing's pack data for `save`: a JSON pack's items as written, where that is already their pack data.

    `seeding`: a start filling an empty store from the packs folder. A zone given there as a clock abbreviation (EST),
    which releases before this one took as the tz database reads it, is taken so again, with a warning in the log for each,
    rather than stop a bot's start after an upgrade; `validate`, `load` and an import refuse it (docs/data-pack.md).
    `listed`: as `pack_text` takes it.
    """
    text = pack_text(path, MAX_FILE_BYTES, listed=listed)
    with collector_paused():
        try:
            return _pack_data(text, path, abbreviations_kept=False)
        except PackError as error:
            if not seeding or error.more or any(problem.key != ZONE_ABBREVIATION for problem in error.problems):
                raise
            for line in problem_lines(error, Catalogue()):
                log.warning("%s (taken as before, one clock all year, so that the bot starts; briefbot validate, load and import"
                            " refuse it)", line)
        return _pack_data(text, path, abbreviations_kept=True)


def _pack_data(text: str, path: Path, abbreviations_kept: bool) -> tuple[Briefing, dict[str, Any]]:
    """A pack file's text validated: the briefing and its pack data."""
    if is_json(path):
        return parse_pack_data(_json_data(text, str(path)), str(path), abbreviations_kept=abbreviations_kept)
    briefing = _parsed(text, str(path), abbreviations_kept)
    return briefing, pack_mapping(briefing)


def read_packs(paths: Sequence[Path], *, listed: bool = False, seeding: bool = False) -> list[tuple[Briefing, dict[str, Any]]]:
    """`read_pack_data` of every file of one load (`listed`, `seeding`: as it takes them), all read and checked before the
    caller stores any.

    Two files giving one briefing id are a PackError naming both: stored one after the other, the last
    would silently replace the first.
    """
    packs = [read_pack_data(path, listed=listed, seeding=seeding) for path in paths]
    first: dict[str, Path] = {}
    problems = [problem for path, (briefing, _) in zip(paths, packs, strict=True) if (problem := same_briefing(first, path, briefing.id))]
    if problems:
        raise PackError(problems)
    return packs


def same_briefing(first: dict[str, Path], path: Path, briefing_id: str) -> PackProblem | None:
    """The problem of a pack whose briefing id an earlier file of the same run gave (`first`: each id's file, kept up to date)."""
    earlier = first.setdefault(briefing_id, path)
    if earlier.resolve() == path.resolve():  # the same file named twice loads the same briefing twice: harmless
        return None
    return PackProblem(str(path), "briefing.id", "pack.same_briefing", (("briefing", briefing_id), ("other", str(earlier))))


def is_json(path: Path) -> bool:
    """Whether a pack file is read and written as JSON (by its name)."""
    return path.suffix == ".json"


def pack_text(path: Path, limit: int = MAX_PACK_BYTES, *, listed: bool = False) -> str:
    """The text of a pack file, read no further than `limit` bytes; PackError when it cannot be had.

    `listed`: found in a folder (`pack_files`), so only a regular file is read, opened without waiting: a FIFO there
    that no one writes held `validate` and `load` of the folder, and the start that seeds from it, for ever. A path
    named on its own may be a pipe, read as it comes (`briefbot validate <(generate-pack)`).
    """
    try:
        if listed:
            data = read_regular(path, limit)
        else:
            with path.open("rb") as file:
                data = file.read(limit + 1)  # a device or a pipe may never end
    except NotRegularFile:
        raise PackError([PackProblem(str(path), "", "pack.not_regular_file")]) from None
    except FileNotFoundError:
        raise PackError([PackProblem(str(path), "", "pack.not_found")]) from None
    except IsADirectoryError:
        raise PackError([PackProblem(str(path), "", "pack.directory")]) from None
    except OSError:
        raise PackError([PackProblem(str(path), "", "pack.unreadable_file")]) from None
    if len(data) > limit:
        raise PackError([PackProblem(str(path), "", "pack.too_large", (("limit", _megabytes(limit)),))])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:  # named where it is, as the readers name theirs: the text before it is UTF-8
        text = data[: error.start].decode("utf-8")
        where = _position(text, len(text))
        raise PackError([PackProblem(str(path), where, "pack.not_utf8", (("byte", f"0x{data[error.start]:02x}"),))]) from None


def pack_files(directory: Path) -> list[Path]:
    """The pack files of a directory (YAML or JSON), in name order."""
    return sorted(p for p in directory.glob("*.*") if p.suffix in (".yaml", ".yml", ".json"))


def dump_pack(briefing: Briefing, as_json: bool = False) -> str:
    """The briefing as pack YAML, keys in documented order, Unicode kept readable; as JSON (`as_json`) for a file
    named `.json`, which the loader reads as JSON (JSON has no comments: no header)."""
    if as_json:
        return json.dumps(pack_mapping(briefing), ensure_ascii=False, indent=2) + "\n"
    header = "# Briefing pack exported by briefbot. Format: docs/data-pack.md\n"
    return header + yaml.safe_dump(pack_mapping(briefing), sort_keys=False, allow_unicode=True, width=100)


def folder_of(path: Path) -> Path:
    """The absolute folder of a pack file, which its sources' `text:` paths start from."""
    return path.resolve().parent


def texts_moved(briefing: Briefing, loaded_from: Path | None, folder: Path) -> Briefing:
    """The briefing with each relative `text:` path leading from `folder` to the file it led to from `loaded_from`.

    An exported pack is written elsewhere than the one loaded: its texts are found from where it is written. A path
    with no relative form (another drive on Windows) becomes absolute; an absolute one, or one whose pack's folder is
    unknown, stays as it is.
    """
    if loaded_from is None:
        return briefing
    sources: list[Source] = []
    for source in briefing.sources:
        if source.text is not None and not Path(source.text).is_absolute():
            target = os.path.normpath(loaded_from / source.text)
            try:
                moved = os.path.relpath(target, folder)
            except ValueError:  # no relative path between two drives
                moved = target
            source = msgspec.structs.replace(source, text=Path(moved).as_posix())
        sources.append(source)
    return msgspec.structs.replace(briefing, sources=tuple(sources))


def source_texts(briefing: Briefing, pack: Path, sources_dir: Path | None = None) -> tuple[dict[str, str], dict[str, Path]]:
    """The text of each source whose file can be read, and the file of each that cannot, by source id.

    A source's `text` is relative to the pack; with `sources_dir`, its file name is looked up there
    instead (texts kept outside the repository because their licence does not allow copying them).
    """
    texts: dict[str, str] = {}
    missing: dict[str, Path] = {}
    for source in briefing.sources:
        if source.text is None:
            continue
        path = sources_dir / Path(source.text).name if sources_dir else pack.parent / source.text
        text = read_text(path)
        if text is None:
            missing[source.id] = path
        else:
            texts[source.id] = text
    return texts, missing
