"""Load a scenario file safely, keeping the position of every value.

SCENARIO_FORMAT.md, "General rules": a YAML 1.2 subset, loaded safely, UTF-8; every error
names ``file:line:column``, the key path and what was expected; all errors of a file are
reported at once. PRODUCT.md §6: a scenario file can never execute code, read outside
its folder or crash the program.

How: the YAML *events* of PyYAML's safe parser (libyaml when available) are turned into
plain Python values by :func:`compose` here, not by PyYAML's constructors, so that

* every value and every key keeps its line and column (:class:`YamlDocument`);
* no tag is honoured (any explicit tag is an error), anchors and aliases are refused
  (no alias bombs), duplicate keys are errors, the size, depth and number of nodes are
  bounded;
* YAML 1.1 surprises do not happen: unquoted scalars become :class:`PlainScalar`
  (their text plus their YAML 1.2 core value), so ``no``/``on`` stay text where text is
  expected, ``08:30`` is not a sexagesimal number and dates are parsed by the models.

Then the pydantic models validate the shape (errors mapped back to positions) and
:mod:`simsec.scenario.validate` checks the meaning.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path as FsPath
from typing import Any, Final

import yaml
from pydantic import ValidationError

from simsec.actions.fields import FormatModel, PlainScalar
from simsec.scenario.errors import (
    ErrorCode,
    Path,
    Position,
    ScenarioError,
    ScenarioInvalidError,
    sort_errors,
    suggest,
    value_error_params,
)
from simsec.scenario.model import Scenario
from simsec.texts.scenario import render, yaml_problem

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "LoadResult",
    "YamlDocument",
    "compose",
    "load_scenario",
    "load_scenario_bytes",
    "load_scenario_or_raise",
    "parse_yaml",
    "schema_errors",
]

MAX_BYTES: Final = 2 * 1024 * 1024
"""A scenario file larger than 2 MiB is refused (hand-written files are far smaller)."""
MAX_DEPTH: Final = 64
MAX_NODES: Final = 200_000

try:  # libyaml is much faster; same events, same marks
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

_NULLS: Final = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS: Final = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_INT_RE: Final = re.compile(r"^[-+]?[0-9]+$")
_FLOAT_RE: Final = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def plain_value(text: str) -> Any:
    """The value of an unquoted scalar: None for a null, else a :class:`PlainScalar`.

    YAML 1.2 core schema: ``true``/``false`` (three spellings), decimal integers and
    decimal numbers (as :class:`~decimal.Decimal`, never float); everything else,
    including ``yes``, ``on``, ``08:30``, ``0x1F`` and ``.inf``, is text.
    """
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return PlainScalar(text, _BOOLS[text])
    if len(text) <= 40:
        if _INT_RE.match(text):
            return PlainScalar(text, int(text))
        if _FLOAT_RE.match(text):
            try:
                number = Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern excludes it
                return PlainScalar(text, text)
            if abs(number.adjusted()) <= 40:
                return PlainScalar(text, number)
    return PlainScalar(text, text)


@dataclass
class YamlDocument:
    """A composed YAML document: plain values, and where each value and key starts.

    ``values`` and ``keys`` map a key path to its 1-based ``(line, column)``.
    """

    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> Position:
        """Where ``path`` is written: its key (``key=True``) or its value; else the nearest
        enclosing value that has a position; else 1:1."""
        if key and path in self.keys:
            return Position(*self.keys[path])
        current = path
        while True:
            if current in self.values:
                return Position(*self.values[current])
            if current in self.keys:
                return Position(*self.keys[current])
            if not current:
                return Position(1, 1)
            current = current[:-1]


class _ComposeError(Exception):
    """Stops composing (the parser cannot go on, or a limit was hit)."""


_WAITING: Final = object()
"""A mapping frame waits for a key."""
_DROPPED: Final = object()
"""The value of this entry is dropped (its key was a duplicate or not a scalar)."""


class _Frame:
    __slots__ = ("container", "is_map", "key", "path")

    def __init__(self, path: Path, container: dict[str, Any] | list[Any], is_map: bool) -> None:
        self.path = path
        self.container = container
        self.is_map = is_map
        self.key: object = _WAITING


_NODE_EVENTS: Final = (
    yaml.ScalarEvent,
    yaml.MappingStartEvent,
    yaml.SequenceStartEvent,
    yaml.AliasEvent,
)
_END_EVENTS: Final = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Composer:
    """Builds plain values from YAML events, collecting positioned problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[ScenarioError] = []
        self.document = YamlDocument(data=None)
        self.stack: list[_Frame] = []
        self.nodes = 0
        self.documents = 0
        self.dropped = 0

    def error(self, position: tuple[int, int], path: Path, code: ErrorCode, **params: Any) -> None:
        self.errors.append(ScenarioError.build(self.file, Position(*position), path, code, params))

    def run(self, events: Iterable[Any]) -> None:
        for event in events:
            kind = type(event)
            if kind in _NODE_EVENTS:
                self.node(event, kind)
            elif kind in _END_EVENTS:
                self.stack.pop()
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self.error(_position(event), (), ErrorCode.MULTIPLE_DOCUMENTS)
                    raise _ComposeError

    def node(self, event: Any, kind: type) -> None:
        position = _position(event)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.error(position, (), ErrorCode.TOO_MANY_NODES, limit=MAX_NODES)
            raise _ComposeError
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.is_map and frame.key is _WAITING:
            self.key(event, kind, frame, position)
            return
        path: Path
        key: object = None
        if frame is None:
            path = ()
        elif frame.is_map:
            key, frame.key = frame.key, _WAITING
            path = self.drop_path() if key is _DROPPED else (*frame.path, str(key))
        else:
            path = (*frame.path, len(frame.container))
        self.check_marks(event, kind, path, position)
        value: Any
        if kind is yaml.ScalarEvent:
            value = str(event.value) if event.style else plain_value(event.value)
        elif kind is yaml.AliasEvent:
            value = None
        else:
            if len(self.stack) >= MAX_DEPTH:
                self.error(position, (), ErrorCode.TOO_DEEP, limit=MAX_DEPTH)
                raise _ComposeError
            is_map = kind is yaml.MappingStartEvent
            value = {} if is_map else []
        if frame is None:
            self.document.data = value
        elif isinstance(frame.container, dict):
            if key is not _DROPPED:
                frame.container[str(key)] = value
        else:
            frame.container.append(value)
        self.document.values[path] = position
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self.stack.append(_Frame(path, value, kind is yaml.MappingStartEvent))

    def key(self, event: Any, kind: type, frame: _Frame, position: tuple[int, int]) -> None:
        if kind is not yaml.ScalarEvent:
            self.error(position, frame.path, ErrorCode.COMPLEX_KEY)
            frame.key = _DROPPED
            if kind is not yaml.AliasEvent:  # compose the key's content, then forget it
                container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
                self.stack.append(
                    _Frame(self.drop_path(), container, kind is yaml.MappingStartEvent)
                )
            return
        text = str(event.value)
        path = (*frame.path, text)
        self.check_marks(event, kind, path, position)
        if text in frame.container:
            first = self.document.keys.get(path, (0, 0))
            self.error(position, path, ErrorCode.DUPLICATE_KEY, key=text, first_line=first[0])
            frame.key = _DROPPED
            return
        frame.key = text
        self.document.keys[path] = position

    def check_marks(self, event: Any, kind: type, path: Path, position: tuple[int, int]) -> None:
        if kind is yaml.AliasEvent:
            self.error(position, path, ErrorCode.ALIAS, alias=event.anchor)
            return
        if event.tag is not None:
            self.error(position, path, ErrorCode.TAG, tag=event.tag)
        if event.anchor is not None:
            self.error(position, path, ErrorCode.ANCHOR, anchor=event.anchor)

    def drop_path(self) -> Path:
        """A path of its own for content that is dropped (never shown)."""
        self.dropped += 1
        return ("\0dropped", self.dropped)


def _position(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _yaml_error_position(error: yaml.YAMLError, text: str) -> Position:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return Position(mark.line + 1, mark.column + 1)
    offset = getattr(error, "position", None)
    if isinstance(offset, int):
        before = text[:offset]
        return Position(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)
    return Position(1, 1)


def _yaml_error_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    if problem is None and isinstance(error, yaml.reader.ReaderError):
        problem = error.reason
    if problem is None:
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
    context = getattr(error, "context", None)
    text = yaml_problem(str(problem))
    if text == problem and context:
        translated_context = yaml_problem(str(context))
        if translated_context != context:
            return translated_context
    return text


def _events(text: str) -> Iterator[Any]:
    loader = _Loader(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def compose(text: str, file: str = "<scenario>") -> tuple[YamlDocument, list[ScenarioError]]:
    """Compose ``text`` into a :class:`YamlDocument` and the problems found.

    Never raises on bad input: syntax errors, tags, anchors, aliases, duplicate keys,
    complex keys and exceeded limits come back as positioned errors.
    """
    composer = _Composer(file)
    try:
        composer.run(_events(text))
    except _ComposeError:
        pass
    except yaml.YAMLError as error:
        where = _yaml_error_position(error, text)
        composer.error(
            (where.line, where.column),
            (),
            ErrorCode.SYNTAX,
            problem=_yaml_error_problem(error),
        )
    except RecursionError:  # pragma: no cover - the depth limit comes first
        composer.error((1, 1), (), ErrorCode.TOO_DEEP, limit=MAX_DEPTH)
    if composer.documents == 0 and not composer.errors:
        composer.error((1, 1), (), ErrorCode.EMPTY)
    return composer.document, composer.errors


def decode(data: bytes, file: str) -> tuple[str | None, list[ScenarioError]]:
    """UTF-8 text (a BOM is allowed), or a positioned encoding error."""
    if len(data) > MAX_BYTES:
        error = ScenarioError.build(
            file, Position(1, 1), (), ErrorCode.TOO_LARGE, {"size": len(data), "limit": MAX_BYTES}
        )
        return None, [error]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        error = ScenarioError.build(
            file,
            Position(line, column),
            (),
            ErrorCode.ENCODING,
            {"byte": f"0x{data[exc.start]:02x}"},
        )
        return None, [error]


def parse_yaml(
    data: bytes, file: str = "<scenario>"
) -> tuple[YamlDocument | None, list[ScenarioError]]:
    """Decode and compose (no model validation)."""
    text, errors = decode(data, file)
    if text is None:
        return None, errors
    document, errors = compose(text, file)
    return document, errors


# ------------------------------------------------------------------ schema errors


def _walk(
    loc: tuple[str | int, ...], data: Any, error_type: str
) -> tuple[Path, list[str | int], Any]:
    """Follow a pydantic ``loc`` in the data: the data path, the shown path, the last value.

    Segments that are not in the data are union tags (``attend``, ``=action``...) and
    are skipped, except the last one of a ``missing`` error (the missing key).
    """
    current: Any = data
    path: list[str | int] = []
    shown: list[str | int] = []
    for index, segment in enumerate(loc):
        if _has(current, segment):
            current = current[segment]
            path.append(segment)
            shown.append(segment)
        elif index == len(loc) - 1 and error_type == "missing" and isinstance(segment, str):
            shown.append(segment)
    return tuple(path), shown, current


def _has(container: Any, segment: str | int) -> bool:
    """Whether ``segment`` is a key of the mapping or an index of the list ``container``."""
    if isinstance(container, dict):
        return isinstance(segment, str) and segment in container
    if isinstance(container, list):
        return isinstance(segment, int) and 0 <= segment < len(container)
    return False


def _schema_error(error: Any, document: YamlDocument, file: str) -> ScenarioError:
    error_type = str(error["type"])
    ctx = dict(error.get("ctx") or {})
    path, shown, current = _walk(tuple(error["loc"]), document.data, error_type)
    code, params = value_error_params(error_type, ctx, str(error.get("msg", "")), current)
    at_key = False
    if error_type == "missing":
        params["key"] = shown[-1] if shown else ""
    elif error_type == "extra_forbidden":
        params["key"] = path[-1] if path else ""
        at_key = True
    elif error_type in ("union_tag_invalid", "union_tag_not_found"):
        discriminator = params["discriminator"]
        if isinstance(current, dict):
            if discriminator in current:
                path = (*path, discriminator)
                shown = [*shown, discriminator]
            elif error_type == "union_tag_not_found":
                shown = [*shown, discriminator]
    position = document.position(path, key=at_key)
    return ScenarioError.build(file, position, shown, code, params)


def _model_key_sets() -> list[frozenset[str]]:
    """The keys (aliases) of every model of the format, to suggest a misspelt key."""
    sets: list[frozenset[str]] = []
    pending: list[type[FormatModel]] = [FormatModel]
    seen: set[type[FormatModel]] = set()
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                pending.append(sub)
                keys = {info.alias or name for name, info in sub.model_fields.items()}
                sets.append(frozenset(keys))
    return sets


_KEY_SETS: list[frozenset[str]] = []


def _suggest_key(bad: Any, siblings: set[str]) -> str | None:
    """The closest key of the models that have every other key of the mapping."""
    if not _KEY_SETS:
        _KEY_SETS.extend(_model_key_sets())
    pool: set[str] = set()
    for keys in _KEY_SETS:
        if siblings <= keys:
            pool |= keys - siblings
    return suggest(bad, pool)


def schema_errors(exc: ValidationError, document: YamlDocument, file: str) -> list[ScenarioError]:
    """The pydantic errors of ``exc`` as positioned scenario errors."""
    raw = exc.errors(include_url=False)
    extras: dict[Path, set[str]] = {}
    for error in raw:
        if error["type"] == "extra_forbidden":
            path, _shown, _value = _walk(tuple(error["loc"]), document.data, "extra_forbidden")
            if path:
                extras.setdefault(path[:-1], set()).add(str(path[-1]))
    errors: list[ScenarioError] = []
    for error in raw:
        built = _schema_error(error, document, file)
        if built.code == "schema.extra_forbidden":
            path, _shown, _value = _walk(tuple(error["loc"]), document.data, "extra_forbidden")
            parent = _value_at(document.data, path[:-1])
            if isinstance(parent, dict):
                siblings = {str(key) for key in parent} - extras.get(path[:-1], set())
                suggestion = _suggest_key(built.params.get("key"), siblings)
                if suggestion:
                    params = {**built.params, "suggestion": suggestion}
                    built = replace(built, params=params, message=render(built.code, params))
        errors.append(built)
    return errors


def _value_at(data: Any, path: Path) -> Any:
    current: Any = data
    for segment in path:
        current = current[segment]
    return current


# ------------------------------------------------------------------------ loading


#: YAML problems after which the document is still whole (its shape can be checked).
_SOFT: Final = frozenset(
    {
        ErrorCode.TAG,
        ErrorCode.ANCHOR,
        ErrorCode.ALIAS,
        ErrorCode.DUPLICATE_KEY,
        ErrorCode.COMPLEX_KEY,
    }
)


@dataclass
class LoadResult:
    """The outcome of loading one file: the scenario if valid, and every error."""

    file: str
    scenario: Scenario | None
    errors: list[ScenarioError]
    document: YamlDocument | None = None
    sha256: str = ""
    """SHA-256 of the file's bytes (RUNLOG_FORMAT.md: the header's ``scenario.sha256``)."""

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.errors


def load_scenario_bytes(
    data: bytes, file: str = "<scenario>", *, semantic: bool = True
) -> LoadResult:
    """Load a scenario from bytes: YAML, shape, then (if ``semantic``) meaning.

    When the YAML problems leave the document whole (a tag, an anchor, a duplicate
    key...), the shape is checked too, so that all these errors come at once.
    """
    digest = hashlib.sha256(data).hexdigest()
    document, errors = parse_yaml(data, file)
    if document is None or any(error.code not in _SOFT for error in errors):
        return LoadResult(file, None, sort_errors(errors), document, digest)
    try:
        scenario = Scenario.model_validate(document.data, by_alias=True, by_name=False)
    except ValidationError as exc:
        errors += schema_errors(exc, document, file)
        return LoadResult(file, None, sort_errors(errors), document, digest)
    if errors:
        return LoadResult(file, None, sort_errors(errors), document, digest)
    if semantic:
        from simsec.scenario.validate import validate_scenario

        findings = validate_scenario(scenario)
        errors = [
            ScenarioError.build(
                file,
                document.position(finding.path, key=finding.at_key),
                finding.path,
                finding.code,
                finding.params,
            )
            for finding in findings
        ]
        if errors:
            return LoadResult(file, None, sort_errors(errors), document, digest)
    return LoadResult(file, scenario, [], document, digest)


def load_scenario(path: str | FsPath, *, semantic: bool = True) -> LoadResult:
    """Load a scenario file. Never raises on bad content or an unreadable file."""
    file = str(path)
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a bounded read
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        error = ScenarioError.build(
            file, Position(1, 1), (), ErrorCode.UNREADABLE, {"reason": exc.strerror or str(exc)}
        )
        return LoadResult(file, None, [error])
    if len(data) > MAX_BYTES:
        size = FsPath(path).stat().st_size
        error = ScenarioError.build(
            file, Position(1, 1), (), ErrorCode.TOO_LARGE, {"size": size, "limit": MAX_BYTES}
        )
        return LoadResult(file, None, [error])
    return load_scenario_bytes(data, file, semantic=semantic)


def load_scenario_or_raise(path: str | FsPath) -> Scenario:
    """The valid scenario at ``path``, or :class:`ScenarioInvalidError` with every error."""
    result = load_scenario(path)
    if result.scenario is None:
        raise ScenarioInvalidError(result.errors)
    return result.scenario
