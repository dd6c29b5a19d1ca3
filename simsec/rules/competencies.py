"""The competence catalogue that rubrics tag and assessor reports aggregate.

Source: spec/COMPETENCIES.md, derived from the certification texts of the titles
"Secrétaire assistant médico-administratif" (SAMA) and "Secrétaire assistant
médico-social" (SAMS, arrêté du 27 octobre 2017) and from the SAMS REAC (performance
criteria, transversal competences).

The catalogue is data (``simsec/data/competencies.yaml``); a training centre may load
extra files in the same format that add referentials, CCPs, competences or criteria.
Codes are stable identifiers and may not be redefined.

A malformed file raises :class:`CatalogueError`, whose ``issues`` give the file, the
key path, the line and column, a stable code and a detail, for every problem found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr, ValidationError

__all__ = [
    "FORMAT",
    "Catalogue",
    "CatalogueCode",
    "CatalogueError",
    "CatalogueIssue",
    "Competence",
    "CompetenceKind",
    "Criterion",
    "Referential",
    "load_catalogue",
]

FORMAT = "simsec/competencies@1"
PACKAGED_NAME = "competencies.yaml"

_REFERENTIAL_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CHILD_RE = re.compile(r"^(?P<parent>.+)\.(?P<number>[1-9][0-9]*)$")


class CatalogueCode(StrEnum):
    """Stable codes of catalogue problems."""

    UNREADABLE = "unreadable"
    YAML_SYNTAX = "yaml_syntax"
    SCHEMA = "schema"
    DUPLICATE_CODE = "duplicate_code"
    DUPLICATE_CRITERION = "duplicate_criterion"
    BAD_CODE = "bad_code"
    CODE_PARENT_MISMATCH = "code_parent_mismatch"
    UNKNOWN_REFERENTIAL = "unknown_referential"
    UNKNOWN_CCP = "unknown_ccp"
    CCP_OR_REFERENTIAL = "ccp_or_referential"
    CCP_IN_TRANSVERSAL = "ccp_in_transversal"
    CCP_REQUIRED = "ccp_required"


@dataclass(frozen=True)
class CatalogueIssue:
    """One problem of a catalogue file."""

    file: str
    location: str
    code: CatalogueCode
    detail: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        path = f" {self.location}" if self.location else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{where}:{path} [{self.code.value}]{detail}"


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[CatalogueIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


# ----------------------------------------------------------------- file schema


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ReferentialIn(_Strict):
    code: StrictStr
    label: StrictStr
    transversal: StrictBool = False
    source: StrictStr = ""


class _CcpIn(_Strict):
    code: StrictStr
    label: StrictStr


class _CompetenceIn(_Strict):
    code: StrictStr
    label: StrictStr
    ccp: StrictStr | None = None
    referential: StrictStr | None = None


class _CriterionIn(_Strict):
    label: StrictStr
    manual: StrictBool = False


class _CatalogueFile(_Strict):
    format: Literal["simsec/competencies@1"]
    referentials: tuple[_ReferentialIn, ...] = ()
    ccps: tuple[_CcpIn, ...] = ()
    competencies: tuple[_CompetenceIn, ...] = ()
    criteria: tuple[_CriterionIn, ...] = ()


# ------------------------------------------------------------------ public model


class CompetenceKind(StrEnum):
    CCP = "ccp"
    COMPETENCE = "competence"


@dataclass(frozen=True)
class Referential:
    """A title (SAMA, SAMS) or a transversal group (TR)."""

    code: str
    label: str
    transversal: bool = False
    source: str = ""


@dataclass(frozen=True)
class Competence:
    """A code that a rubric criterion may tag: a CCP or a competence.

    ``ccp`` is the CCP's own code for a CCP, the parent CCP for a competence, and None
    for a transversal competence.
    """

    code: str
    label: str
    kind: CompetenceKind
    referential: str
    ccp: str | None


@dataclass(frozen=True)
class Criterion:
    """A REAC performance criterion; ``manual`` ones are graded by the assessor."""

    label: str
    manual: bool = False


@dataclass(frozen=True)
class Catalogue:
    """The loaded, validated catalogue (packaged file plus any extra files)."""

    referentials: Mapping[str, Referential]
    entries: Mapping[str, Competence]
    criteria: tuple[Criterion, ...] = field(default=())

    def get(self, code: str) -> Competence | None:
        return self.entries.get(code)

    def __getitem__(self, code: str) -> Competence:
        return self.entries[code]

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def __iter__(self) -> Iterator[Competence]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def is_known(self, code: str) -> bool:
        """Whether ``code`` is a CCP or a competence of the catalogue."""
        return code in self.entries

    def ccp_of(self, code: str) -> str | None:
        """The CCP code of ``code`` (itself for a CCP; None for a transversal competence).

        Raises ``KeyError`` for an unknown code.
        """
        return self.entries[code].ccp

    def referential_of(self, code: str) -> Referential:
        return self.referentials[self.entries[code].referential]

    def children(self, ccp: str) -> tuple[Competence, ...]:
        """The competences of a CCP, in catalogue order."""
        return tuple(
            c for c in self.entries.values() if c.kind is CompetenceKind.COMPETENCE and c.ccp == ccp
        )

    def criterion(self, label: str) -> Criterion | None:
        return next((c for c in self.criteria if c.label == label), None)


# -------------------------------------------------------------------- positions


def _positions(node: yaml.Node, path: str = "") -> Iterator[tuple[str, tuple[int, int]]]:
    """Key paths (``competencies[2].ccp``) of a composed YAML tree with 1-based marks."""
    yield path, (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            yield child, (key.start_mark.line + 1, key.start_mark.column + 1)
            for sub_path, mark in _positions(value, child):
                if sub_path != child:
                    yield sub_path, mark
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _positions(item, f"{path}[{index}]")


def _loc_to_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else part
    return path


class _Reader:
    """Reads one file, collecting issues with their positions."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.issues: list[CatalogueIssue] = []
        self.marks: dict[str, tuple[int, int]] = {}

    def issue(self, location: str, code: CatalogueCode, detail: str = "") -> None:
        line, column = self._mark(location)
        self.issues.append(CatalogueIssue(self.name, location, code, detail, line, column))

    def _mark(self, location: str) -> tuple[int | None, int | None]:
        probe = location
        while probe:
            if probe in self.marks:
                return self.marks[probe]
            probe = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", probe)
        return (None, None)

    def parse(self) -> _CatalogueFile | None:
        try:
            node = yaml.compose(self.text, Loader=yaml.SafeLoader)
            raw = yaml.safe_load(self.text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            column = mark.column + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            self.issues.append(
                CatalogueIssue(self.name, "", CatalogueCode.YAML_SYNTAX, problem, line, column)
            )
            return None
        if node is not None:
            self.marks = dict(_positions(node))
        try:
            return _CatalogueFile.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                self.issue(_loc_to_path(error["loc"]), CatalogueCode.SCHEMA, error["msg"])
            return None


# ----------------------------------------------------------------------- building


class _Builder:
    """Merges files into one catalogue, checking codes and parents."""

    def __init__(self) -> None:
        self.referentials: dict[str, Referential] = {}
        self.entries: dict[str, Competence] = {}
        self.criteria: list[Criterion] = []

    def add(self, reader: _Reader, data: _CatalogueFile) -> None:
        self._referentials(reader, data)
        self._ccps(reader, data)
        self._competencies(reader, data)
        self._criteria(reader, data)

    def _taken(self, code: str) -> bool:
        return code in self.entries or code in self.referentials

    def _referentials(self, reader: _Reader, data: _CatalogueFile) -> None:
        for index, ref in enumerate(data.referentials):
            where = f"referentials[{index}].code"
            if not _REFERENTIAL_RE.match(ref.code):
                reader.issue(where, CatalogueCode.BAD_CODE, ref.code)
            elif self._taken(ref.code):
                reader.issue(where, CatalogueCode.DUPLICATE_CODE, ref.code)
            else:
                self.referentials[ref.code] = Referential(
                    ref.code, ref.label, ref.transversal, ref.source
                )

    def _ccps(self, reader: _Reader, data: _CatalogueFile) -> None:
        for index, ccp in enumerate(data.ccps):
            where = f"ccps[{index}].code"
            match = _CHILD_RE.match(ccp.code)
            if not match:
                reader.issue(where, CatalogueCode.BAD_CODE, ccp.code)
                continue
            parent = match["parent"]
            referential = self.referentials.get(parent)
            if referential is None:
                reader.issue(where, CatalogueCode.UNKNOWN_REFERENTIAL, parent)
            elif referential.transversal:
                reader.issue(where, CatalogueCode.CCP_IN_TRANSVERSAL, ccp.code)
            elif self._taken(ccp.code):
                reader.issue(where, CatalogueCode.DUPLICATE_CODE, ccp.code)
            else:
                self.entries[ccp.code] = Competence(
                    ccp.code, ccp.label, CompetenceKind.CCP, parent, ccp.code
                )

    def _parent_of(
        self, reader: _Reader, index: int, item: _CompetenceIn
    ) -> tuple[str, str | None] | None:
        """(referential, ccp) of a competence, or None after recording why not."""
        where = f"competencies[{index}]"
        if (item.ccp is None) == (item.referential is None):
            reader.issue(where, CatalogueCode.CCP_OR_REFERENTIAL, item.code)
            return None
        if item.ccp is not None:
            ccp = self.entries.get(item.ccp)
            if ccp is None or ccp.kind is not CompetenceKind.CCP:
                reader.issue(f"{where}.ccp", CatalogueCode.UNKNOWN_CCP, item.ccp)
                return None
            return ccp.referential, item.ccp
        assert item.referential is not None
        referential = self.referentials.get(item.referential)
        if referential is None:
            reader.issue(
                f"{where}.referential", CatalogueCode.UNKNOWN_REFERENTIAL, item.referential
            )
            return None
        if not referential.transversal:
            reader.issue(f"{where}.referential", CatalogueCode.CCP_REQUIRED, item.code)
            return None
        return item.referential, None

    def _competencies(self, reader: _Reader, data: _CatalogueFile) -> None:
        for index, item in enumerate(data.competencies):
            where = f"competencies[{index}].code"
            match = _CHILD_RE.match(item.code)
            if not match:
                reader.issue(where, CatalogueCode.BAD_CODE, item.code)
                continue
            parent = self._parent_of(reader, index, item)
            if parent is None:
                continue
            referential, ccp = parent
            expected_parent = ccp if ccp is not None else referential
            if match["parent"] != expected_parent:
                reader.issue(
                    where, CatalogueCode.CODE_PARENT_MISMATCH, f"{item.code} ≠ {expected_parent}.n"
                )
            elif self._taken(item.code):
                reader.issue(where, CatalogueCode.DUPLICATE_CODE, item.code)
            else:
                self.entries[item.code] = Competence(
                    item.code, item.label, CompetenceKind.COMPETENCE, referential, ccp
                )

    def _criteria(self, reader: _Reader, data: _CatalogueFile) -> None:
        known = {c.label for c in self.criteria}
        for index, item in enumerate(data.criteria):
            if item.label in known:
                reader.issue(
                    f"criteria[{index}].label", CatalogueCode.DUPLICATE_CRITERION, item.label
                )
                continue
            known.add(item.label)
            self.criteria.append(Criterion(item.label, item.manual))

    def build(self) -> Catalogue:
        return Catalogue(dict(self.referentials), dict(self.entries), tuple(self.criteria))


# ------------------------------------------------------------------------ loading


def _packaged_text() -> str:
    return resources.files("simsec.data").joinpath(PACKAGED_NAME).read_text(encoding="utf-8")


def _read(path: Path) -> tuple[str, str | None, CatalogueIssue | None]:
    try:
        return str(path), path.read_text(encoding="utf-8"), None
    except (OSError, UnicodeDecodeError) as exc:
        return str(path), None, CatalogueIssue(str(path), "", CatalogueCode.UNREADABLE, str(exc))


def _build(sources: Sequence[tuple[str, str]]) -> Catalogue:
    builder = _Builder()
    issues: list[CatalogueIssue] = []
    for name, text in sources:
        reader = _Reader(name, text)
        data = reader.parse()
        if data is not None:
            builder.add(reader, data)
        issues.extend(reader.issues)
    if issues:
        raise CatalogueError(issues)
    return builder.build()


@cache
def _packaged() -> Catalogue:
    return _build([(f"simsec/data/{PACKAGED_NAME}", _packaged_text())])


def load_catalogue(
    path: Path | None = None, extra: Path | Iterable[Path] | None = None
) -> Catalogue:
    """Load the catalogue: ``path`` (default: the packaged file), then each ``extra`` file.

    Extra files (a training centre's own referential) use the same format; they may add
    referentials, CCPs, competences (also under an existing CCP) and criteria, never
    redefine a code. Raises :class:`CatalogueError` listing every problem of every file.
    """
    extras = [extra] if isinstance(extra, Path) else list(extra or ())
    if path is None and not extras:
        return _packaged()
    sources: list[tuple[str, str]] = []
    issues: list[CatalogueIssue] = []
    if path is None:
        sources.append((f"simsec/data/{PACKAGED_NAME}", _packaged_text()))
    for file in [*([path] if path is not None else []), *extras]:
        name, text, issue = _read(file)
        if issue is not None:
            issues.append(issue)
        elif text is not None:
            sources.append((name, text))
    if issues:
        raise CatalogueError(issues)
    return _build(sources)
