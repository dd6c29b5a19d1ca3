"""Semantic validation of a scenario: what the schema cannot see.

Source: SCENARIO_FORMAT.md, "Validation beyond the schema": every key referenced exists,
times fall inside the scenario, practitioners' hours are well formed, NIR keys are right,
competence codes exist, document fields are coherent with their kind, each rubric check
can be evaluated, and at least one solution exists. Plus "General rules": keys are
unique in the scenario.

:func:`validate_scenario` returns :class:`Finding` objects with the YAML key path of
each problem; the loader turns them into positioned errors.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from typing_extensions import TypeAliasType

from simsec.actions.catalogue import CATALOGUE, ActionBase, FoundRef
from simsec.actions.fields import FormatModel, RefTo, format_time
from simsec.rules.nir import NirIssue, Severity, check_coherence, parse_nir
from simsec.rules.rpps import check_rpps
from simsec.scenario.competencies import known_competencies
from simsec.scenario.entities import state_field_kind, state_fields
from simsec.scenario.errors import ErrorCode, Path, format_path, suggest, value_error_params
from simsec.scenario.model import (
    DOCUMENT_FIELDS,
    ActionCheck,
    ActionMatcher,
    AllCheck,
    AnswerCheck,
    AnyCheck,
    BeforeCheck,
    Between,
    Contains,
    DictationEvent,
    InValues,
    NoActionCheck,
    NotCheck,
    PatientFixture,
    PractitionerFixture,
    QuestionEvent,
    Scenario,
    StateCheck,
    TranscriptionCheck,
    WithinCheck,
)
from simsec.texts.nir import nir_issue_message, rpps_issue_message
from simsec.texts.scenario import kinds_label, render
from simsec.world.history import SPECIALTIES

__all__ = ["Finding", "validate_scenario"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A semantic problem at a YAML key path (``at_key``: point at the key, not the value)."""

    path: Path
    code: ErrorCode
    params: Mapping[str, Any] = field(default_factory=dict)
    at_key: bool = False


# ----------------------------------------------------------------- annotations


def _metadata_kinds(metadata: Any) -> tuple[str, ...] | None:
    for item in metadata:
        if isinstance(item, RefTo):
            return item.kinds
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip ``TypeAliasType`` and ``Optional``."""
    while True:
        if isinstance(annotation, TypeAliasType):
            annotation = annotation.__value__
            continue
        origin = get_origin(annotation)
        if origin is Union or isinstance(annotation, types.UnionType):
            args = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def annotation_ref(annotation: Any) -> tuple[tuple[str, ...] | None, bool]:
    """The reference kinds of a field's annotation, and whether it is a list of refs."""
    annotation = _unwrap(annotation)
    if get_origin(annotation) is Annotated:
        kinds = _metadata_kinds(get_args(annotation)[1:])
        if kinds is not None:
            return kinds, False
        return annotation_ref(get_args(annotation)[0])
    if get_origin(annotation) is list:
        (element,) = get_args(annotation)
        kinds, _ = annotation_ref(element)
        return kinds, kinds is not None
    if get_origin(annotation) is Union or isinstance(annotation, types.UnionType):
        for member in get_args(annotation):
            kinds, is_list = annotation_ref(member)
            if kinds is not None:
                return kinds, is_list
    return None, False


@cache
def field_ref(model: type[BaseModel], name: str) -> tuple[tuple[str, ...] | None, bool]:
    """The reference kinds of ``model``'s field ``name`` and whether it is a list."""
    info = model.model_fields[name]
    kinds = _metadata_kinds(info.metadata)
    if kinds is not None:
        return kinds, False
    return annotation_ref(info.annotation)


def _model_class(annotation: Any) -> type[FormatModel] | None:
    annotation = _unwrap(annotation)
    if get_origin(annotation) is Annotated:
        annotation = _unwrap(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, FormatModel):
        return annotation
    return None


@cache
def _aliases(model: type[BaseModel]) -> dict[str, str]:
    """YAML key → field name."""
    return {(info.alias or name): name for name, info in model.model_fields.items()}


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _suggest(word: str, candidates: Any) -> str | None:
    return suggest(word, candidates)


# ------------------------------------------------------------------- the checker


@dataclass
class _Definition:
    kind: str
    path: Path


class _Checker:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.findings: list[Finding] = []
        self.keys: dict[str, _Definition] = {}
        self.kinds: dict[str, set[str]] = {}
        self.events: dict[str, str] = {}
        self.end = scenario.start + scenario.duration

    def add(self, path: Path, code: ErrorCode, *, at_key: bool = False, **params: Any) -> None:
        self.findings.append(Finding(path, code, params, at_key))

    # -- keys ---------------------------------------------------------------------

    def define(self, key: str, kind: str, path: Path) -> None:
        first = self.keys.get(key)
        if first is not None:
            self.add(path, ErrorCode.KEY_DUPLICATE, key=key, first=format_path(first.path))
            return
        self.keys[key] = _Definition(kind, path)
        self.kinds.setdefault(kind, set()).add(key)

    def collect_keys(self) -> None:
        s = self.scenario
        fixtures = s.fixtures
        for i, practitioner in enumerate(fixtures.practitioners):
            self.define(practitioner.key, "practitioner", ("fixtures", "practitioners", i, "key"))
        for i, patient in enumerate(fixtures.patients):
            self.define(patient.key, "patient", ("fixtures", "patients", i, "key"))
            for j, item in enumerate(patient.record):
                self.define(item.key, "record", ("fixtures", "patients", i, "record", j, "key"))
        for i, entry in enumerate(fixtures.registry):
            if entry.key is not None:
                self.define(entry.key, "registry", ("fixtures", "registry", i, "key"))
        for i, appointment in enumerate(fixtures.appointments):
            self.define(appointment.key, "appointment", ("fixtures", "appointments", i, "key"))
        for i, request in enumerate(fixtures.access_requests):
            self.define(request.key, "request", ("fixtures", "access_requests", i, "key"))
        for i, wait in enumerate(fixtures.waitlist):
            if wait.key is not None:
                self.define(wait.key, "waitlist", ("fixtures", "waitlist", i, "key"))
        for i, person in enumerate(s.people):
            self.define(person.key, "person", ("people", i, "key"))
            for j, document in enumerate(person.documents):
                self.define(document.key, "document", ("people", i, "documents", j, "key"))
        for i, event in enumerate(s.events):
            self.define(event.id, "event", ("events", i, "id"))
            self.events.setdefault(event.id, event.kind)
            if isinstance(event, QuestionEvent):
                self.kinds.setdefault("question", set()).add(event.id)
            if isinstance(event, DictationEvent):
                self.kinds.setdefault("task", set()).add(event.id)
        for i, criterion in enumerate(s.rubric):
            self.define(criterion.id, "criterion", ("rubric", i, "id"))
        for i, solution in enumerate(s.solutions):
            self.define(solution.id, "solution", ("solutions", i, "id"))
        self.kinds["service"] = set(s.structure.services)

    # -- references ------------------------------------------------------------------

    def exists(self, key: str, kinds: tuple[str, ...], bindings: Mapping[str, str]) -> bool:
        if any(key in self.kinds.get(kind, ()) for kind in kinds):
            return True
        return bindings.get(key) in kinds

    def check_ref(
        self,
        path: Path,
        value: Any,
        kinds: tuple[str, ...],
        bindings: Mapping[str, str] | None,
    ) -> None:
        """``bindings`` is None outside solutions (then ``found`` is not allowed)."""
        if isinstance(value, FoundRef):
            if bindings is None:
                self.add(path, ErrorCode.REF_FOUND_OUTSIDE_SOLUTION)
            elif bindings.get(value.found) != "search":
                self.add(
                    (*path, "found"),
                    ErrorCode.REF_UNKNOWN,
                    key=value.found,
                    expected=kinds_label(("search",)),
                )
            return
        if not isinstance(value, str):
            return
        if not self.exists(value, kinds, bindings or {}):
            candidates = set().union(*(self.kinds.get(kind, set()) for kind in kinds))
            candidates |= {key for key, kind in (bindings or {}).items() if kind in kinds}
            self.add(
                path,
                ErrorCode.REF_UNKNOWN,
                key=value,
                expected=kinds_label(kinds),
                suggestion=_suggest(value, candidates),
            )

    def walk_refs(self, model: BaseModel, path: Path, bindings: Mapping[str, str] | None) -> None:
        """Check every reference field of ``model`` and of its sub-models."""
        cls = type(model)
        for name, info in cls.model_fields.items():
            value = getattr(model, name)
            if value is None:
                continue
            key = info.alias or name
            kinds, is_list = field_ref(cls, name)
            if kinds is not None:
                if is_list and isinstance(value, list):
                    for i, item in enumerate(value):
                        self.check_ref((*path, key, i), item, kinds, bindings)
                elif not is_list:
                    self.check_ref((*path, key), value, kinds, bindings)
                continue
            if isinstance(value, FormatModel) and not isinstance(value, ActionMatcher):
                self.walk_refs(value, (*path, key), bindings)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, FormatModel) and not isinstance(item, ActionMatcher):
                        self.walk_refs(item, (*path, key, i), bindings)

    # -- times -----------------------------------------------------------------------

    def absolute(self, moment: timedelta | datetime) -> datetime:
        return self.scenario.start + moment if isinstance(moment, timedelta) else moment

    def check_time(self, path: Path, moment: timedelta | datetime) -> datetime | None:
        when = self.absolute(moment)
        if not self.scenario.start <= when <= self.end:
            self.add(
                path,
                ErrorCode.TIME_OUTSIDE,
                time=format_time(moment),
                start=format_time(self.scenario.start),
                end=format_time(self.end),
            )
            return None
        return when

    # -- sections --------------------------------------------------------------------

    def check_fixtures(self) -> None:
        fixtures = self.scenario.fixtures
        self.walk_refs(fixtures, ("fixtures",), None)
        for i, practitioner in enumerate(fixtures.practitioners):
            path: Path = ("fixtures", "practitioners", i)
            if practitioner.rpps != "auto":
                for issue in check_rpps(practitioner.rpps).issues:
                    self.add(
                        (*path, "rpps"), ErrorCode.RPPS_INVALID, detail=rpps_issue_message(issue)
                    )
            if practitioner.hours is not None:
                for day, ranges in practitioner.hours.model_dump().items():
                    self.check_hours((*path, "hours", day), ranges)
            for j, absence in enumerate(practitioner.absences):
                if absence.to < absence.from_:
                    self.add(
                        (*path, "absences", j, "to"),
                        ErrorCode.PERIOD_ORDER,
                        start=format_time(absence.from_),
                        end=format_time(absence.to),
                    )
        for i, patient in enumerate(fixtures.patients):
            self.check_patient(("fixtures", "patients", i), patient)
        for i, entry in enumerate(fixtures.registry):
            if entry.nir is None:
                continue
            traits = self._traits_of(entry.of)
            for name in ("sex", "birth_date", "birth_place"):
                if getattr(entry, name) is not None:
                    traits[name] = getattr(entry, name)
            self.check_nir(("fixtures", "registry", i, "nir"), entry.nir, traits)
        for i, insurer in enumerate(fixtures.insurer):
            for part in ("amo", "amc"):
                self.check_coverage_dates(("fixtures", "insurer", i, part), getattr(insurer, part))
        types = {
            p.key: {t.code for t in p.appointment_types}
            for p in fixtures.practitioners
            if p.appointment_types
        }
        for i, appointment in enumerate(fixtures.appointments):
            known = types.get(appointment.practitioner)
            if known is not None and appointment.type not in known:
                self.add(
                    ("fixtures", "appointments", i, "type"),
                    ErrorCode.APPOINTMENT_TYPE,
                    type=appointment.type,
                    practitioner=appointment.practitioner,
                    types=", ".join(sorted(known)),
                    suggestion=_suggest(appointment.type, known),
                )
        self.check_waitlist()

    def check_waitlist(self) -> None:
        """Waiting-list fixtures (simsec addition): a type the practitioner named offers
        (or, for any practitioner, some practitioner offers), a request made by t=0.
        Patient and practitioner references are checked with the other fixtures."""
        s = self.scenario
        offered = {p.key: _offered_types(p) for p in s.fixtures.practitioners}
        anyone = set().union(*offered.values())
        if s.world.practitioners:
            anyone |= {code for specialty in SPECIALTIES for code, *_rest in specialty.types}
        for i, wait in enumerate(s.fixtures.waitlist):
            path: Path = ("fixtures", "waitlist", i)
            if wait.practitioner is None:
                if wait.type not in anyone:
                    self.add(
                        (*path, "type"),
                        ErrorCode.WAITLIST_TYPE,
                        type=wait.type,
                        types=", ".join(sorted(anyone)),
                        suggestion=_suggest(wait.type, anyone),
                    )
            else:
                known = offered.get(wait.practitioner)
                if known is not None and wait.type not in known:
                    self.add(
                        (*path, "type"),
                        ErrorCode.APPOINTMENT_TYPE,
                        type=wait.type,
                        practitioner=wait.practitioner,
                        types=", ".join(sorted(known)),
                        suggestion=_suggest(wait.type, known),
                    )
            if wait.since is not None and wait.since > s.start:
                self.add(
                    (*path, "since"),
                    ErrorCode.WAITLIST_SINCE,
                    since=format_time(wait.since),
                    start=format_time(s.start),
                )

    def _traits_of(self, key: str | None) -> dict[str, Any]:
        for patient in self.scenario.fixtures.patients:
            if patient.key == key:
                return {
                    "sex": patient.sex,
                    "birth_date": patient.birth_date,
                    "birth_place": patient.known_birth_place,
                }
        return {}

    def check_hours(self, path: Path, ranges: list[str]) -> None:
        previous_end: str | None = None
        previous: str | None = None
        for i, text in enumerate(ranges):
            start, _, end = text.partition("-")
            if previous_end is not None and start < previous_end:
                self.add((*path, i), ErrorCode.HOURS_OVERLAP, first=previous, second=text)
            previous_end, previous = end, text

    def check_patient(self, path: Path, patient: PatientFixture) -> None:
        if patient.nir not in ("auto", "none"):
            traits = {
                "sex": patient.sex,
                "birth_date": patient.birth_date,
                "birth_place": patient.known_birth_place,
            }
            self.check_nir((*path, "nir"), patient.nir, traits)
        if (
            patient.deceased_on is not None
            and patient.birth_date is not None
            and patient.deceased_on < patient.birth_date
        ):
            self.add(
                (*path, "deceased_on"),
                ErrorCode.PATIENT_DATES,
                deceased_on=patient.deceased_on.isoformat(),
                birth_date=patient.birth_date.isoformat(),
            )
        if patient.coverage is not None:
            self.check_coverage_dates((*path, "coverage", "amo"), patient.coverage.amo)
            self.check_coverage_dates((*path, "coverage", "amc"), patient.coverage.amc)

    def check_coverage_dates(self, path: Path, coverage: Any) -> None:
        if coverage is None:
            return
        start = getattr(coverage, "rights_from", None) or getattr(coverage, "valid_from", None)
        end_name = "rights_until" if hasattr(coverage, "rights_until") else "valid_until"
        end = getattr(coverage, end_name, None)
        if start is not None and end is not None and end < start:
            self.add(
                (*path, end_name),
                ErrorCode.PERIOD_ORDER,
                start=start.isoformat(),
                end=end.isoformat(),
            )

    def check_nir(self, path: Path, nir: str, traits: Mapping[str, Any]) -> None:
        """NIR key and structure (INSEE; décret 82-103), then coherence with the traits."""
        parsed = parse_nir(nir)
        errors = [issue for issue in parsed.issues if issue.severity is Severity.ERROR]
        if errors:
            for issue in errors:
                self.add(path, ErrorCode.NIR_INVALID, detail=nir_issue_message(issue))
            return
        try:
            coherence = check_coherence(
                parsed,
                sex=traits.get("sex"),
                birth_date=traits.get("birth_date"),
                birth_place=traits.get("birth_place"),
            )
        except ValueError:
            return
        issues: list[NirIssue] = list(coherence.errors)
        for issue in issues:
            self.add(path, ErrorCode.NIR_INCOHERENT, detail=nir_issue_message(issue))

    def check_people(self) -> None:
        for i, person in enumerate(self.scenario.people):
            path: Path = ("people", i)
            self.walk_refs(person, path, None)
            for j, document in enumerate(person.documents):
                self.check_document((*path, "documents", j), document)

    def check_document(self, path: Path, document: Any) -> None:
        allowed = DOCUMENT_FIELDS[document.kind]
        for name in sorted(document.model_fields_set):
            if name not in allowed:
                self.add(
                    (*path, name),
                    ErrorCode.DOCUMENT_FIELD,
                    at_key=True,
                    field=name,
                    kind=document.kind,
                )
        if document.nir is not None:
            for issue in parse_nir(document.nir).errors:
                self.add((*path, "nir"), ErrorCode.NIR_INVALID, detail=nir_issue_message(issue))
        if document.issued and document.expires and document.expires < document.issued:
            self.add(
                (*path, "expires"),
                ErrorCode.DOCUMENT_DATES,
                expires=document.expires.isoformat(),
                issued=document.issued.isoformat(),
            )
        if (
            document.valid_from
            and document.valid_until
            and document.valid_until < document.valid_from
        ):
            self.add(
                (*path, "valid_until"),
                ErrorCode.PERIOD_ORDER,
                start=document.valid_from.isoformat(),
                end=document.valid_until.isoformat(),
            )
        for part in ("amo", "amc"):
            self.check_coverage_dates((*path, part), getattr(document, part))

    def check_competencies(self) -> None:
        known = known_competencies()
        for i, code in enumerate(self.scenario.competencies):
            if code not in known:
                self.add(
                    ("competencies", i),
                    ErrorCode.COMPETENCY_UNKNOWN,
                    competency=code,
                    suggestion=_suggest(code, known),
                )
        for i, criterion in enumerate(self.scenario.rubric):
            if criterion.competency not in known:
                self.add(
                    ("rubric", i, "competency"),
                    ErrorCode.COMPETENCY_UNKNOWN,
                    competency=criterion.competency,
                    suggestion=_suggest(criterion.competency, known),
                )

    def check_events(self) -> None:
        for i, event in enumerate(self.scenario.events):
            path: Path = ("events", i)
            self.walk_refs(event, path, None)
            if event.at is not None:
                self.check_time((*path, "at"), event.at)
            if event.when is not None:
                self.check_matcher((*path, "when"), event.when)
            if event.delay is not None and event.delay > self.scenario.duration:
                self.add(
                    (*path, "delay"),
                    ErrorCode.TIME_OUTSIDE,
                    time=format_time(event.delay),
                    start=format_time(self.scenario.start),
                    end=format_time(self.end),
                )

    # -- matchers and checks ---------------------------------------------------------

    def check_matcher(self, path: Path, matcher: ActionMatcher) -> None:
        info = CATALOGUE[matcher.do]
        self.check_match_mapping((*path, "with"), info.fields, matcher.with_, matcher.do)

    def check_match_mapping(
        self, path: Path, model: type[BaseModel], mapping: Mapping[str, Any], action: str
    ) -> None:
        aliases = _aliases(model)
        for key, value in mapping.items():
            name = aliases.get(key)
            if name is None:
                self.add(
                    (*path, key),
                    ErrorCode.MATCH_FIELD_UNKNOWN,
                    at_key=True,
                    action=action,
                    field=key,
                    fields=", ".join(aliases),
                    suggestion=_suggest(key, aliases),
                )
                continue
            self.check_match_value((*path, key), model, name, key, value, action)

    def check_match_value(
        self, path: Path, model: type[BaseModel], name: str, key: str, value: Any, action: str
    ) -> None:
        kinds, is_list = field_ref(model, name)
        literals: list[tuple[Path, Any]]
        if isinstance(value, Contains):
            return
        if isinstance(value, InValues):
            literals = [((*path, "in", i), item) for i, item in enumerate(value.in_)]
        elif isinstance(value, Between):
            literals = [((*path, "between", i), item) for i, item in enumerate(value.between)]
        elif isinstance(value, dict):
            sub = _model_class(model.model_fields[name].annotation)
            if sub is not None:
                self.check_match_mapping(path, sub, value, action)
            return
        elif isinstance(value, list):
            if kinds is not None and is_list:
                for i, item in enumerate(value):
                    if isinstance(item, str):
                        self.check_ref((*path, i), item, kinds, None)
                return
            literals = [(path, value)]
        else:
            literals = [(path, value)]
        for where, literal in literals:
            if kinds is not None and isinstance(literal, str):
                if not (is_list and _accepts(model, name, literal)):  # items: all
                    self.check_ref(where, literal, kinds, None)
                continue
            if literal is None:
                continue
            try:
                _field_adapter(model, name).validate_python(literal)
            except ValidationError as exc:
                detail = exc.errors(include_url=False)[0]
                code, params = value_error_params(
                    str(detail["type"]), detail.get("ctx") or {}, str(detail["msg"]), literal
                )
                message = render(code, params)
                self.add(
                    where, ErrorCode.MATCH_VALUE_INVALID, field=key, action=action, detail=message
                )

    def check_rubric(self) -> None:
        for i, criterion in enumerate(self.scenario.rubric):
            if criterion.check is not None:
                self.check_check(("rubric", i, "check"), criterion.check)

    def check_check(self, path: Path, check: Any) -> None:
        if isinstance(check, ActionCheck):
            self.check_matcher((*path, "action"), check.action)
        elif isinstance(check, NoActionCheck):
            self.check_matcher((*path, "no_action"), check.no_action)
        elif isinstance(check, BeforeCheck):
            self.check_matcher((*path, "before", "first"), check.before.first)
            self.check_matcher((*path, "before", "then"), check.before.then)
        elif isinstance(check, WithinCheck):
            self.check_event_ref((*path, "within", "after"), check.within.after, None)
            self.check_matcher((*path, "within", "action"), check.within.action)
        elif isinstance(check, StateCheck):
            self.check_state((*path, "state"), check)
        elif isinstance(check, AnswerCheck):
            self.check_event_ref((*path, "answer", "question"), check.answer.question, "question")
        elif isinstance(check, TranscriptionCheck):
            self.check_event_ref(
                (*path, "transcription", "task"), check.transcription.task, "dictation"
            )
        elif isinstance(check, AllCheck | AnyCheck):
            key = "all" if isinstance(check, AllCheck) else "any"
            items = check.all if isinstance(check, AllCheck) else check.any
            for j, item in enumerate(items):
                self.check_check((*path, key, j), item)
        elif isinstance(check, NotCheck):
            self.check_check((*path, "not"), check.not_)

    def check_event_ref(self, path: Path, key: str, kind: str | None) -> None:
        found = self.events.get(key)
        if found is None:
            wanted = {"question": "question", "dictation": "task"}.get(kind or "", "event")
            self.add(
                path,
                ErrorCode.REF_UNKNOWN,
                key=key,
                expected=kinds_label((wanted,)),
                suggestion=_suggest(key, self.events),
            )
        elif kind is not None and found != kind:
            self.add(path, ErrorCode.EVENT_KIND, key=key, kind=kind)

    def check_state(self, path: Path, check: StateCheck) -> None:
        spec = check.state
        for part, mapping in (("where", spec.where), ("has", spec.has)):
            for key, value in mapping.items():
                exists, kind = state_field_kind(spec.entity, key)
                if not exists:
                    self.add(
                        (*path, part, key),
                        ErrorCode.STATE_FIELD_UNKNOWN,
                        at_key=True,
                        field=key,
                        entity=spec.entity,
                        fields=", ".join(state_fields(spec.entity)),
                        suggestion=_suggest(key, state_fields(spec.entity)),
                    )
                    continue
                if kind is None:
                    continue
                for where, literal in _literals((*path, part, key), value):
                    if isinstance(literal, str):
                        self.check_ref(where, literal, (kind,), None)

    # -- solutions ---------------------------------------------------------------------

    def check_solutions(self) -> None:
        if not self.scenario.solutions:
            self.add(("solutions",), ErrorCode.NO_SOLUTION)
            return
        for i, solution in enumerate(self.scenario.solutions):
            path: Path = ("solutions", i)
            self.walk_refs(solution.expect, (*path, "expect"), {})
            for key in sorted(set(solution.expect.passed) & set(solution.expect.failed)):
                index = solution.expect.failed.index(key)
                self.add((*path, "expect", "failed", index), ErrorCode.EXPECT_BOTH, key=key)
            self.check_actions(path, solution.actions)

    def check_actions(self, path: Path, actions: list[Any]) -> None:
        bindings: dict[str, str] = {}
        binding_paths: dict[str, Path] = {}
        previous: tuple[datetime, timedelta | datetime] | None = None
        for j, action in enumerate(actions):
            where: Path = (*path, "actions", j)
            assert isinstance(action, ActionBase)
            self.walk_refs(action.with_, (*where, "with"), bindings)
            if action.at is not None:
                when = self.check_time((*where, "at"), action.at)
                if when is not None:
                    if previous is not None and when < previous[0]:
                        self.add(
                            (*where, "at"),
                            ErrorCode.TIME_BACKWARDS,
                            time=format_time(action.at),
                            previous=format_time(previous[1]),
                        )
                    previous = (when, action.at)
            until = getattr(action.with_, "until", None)
            if action.do == "wait" and until is not None:
                self.check_time((*where, "with", "until"), until)
            if action.as_ is not None:
                self.bind(where, action, bindings, binding_paths)

    def bind(
        self,
        where: Path,
        action: ActionBase,
        bindings: dict[str, str],
        binding_paths: dict[str, Path],
    ) -> None:
        key = action.as_
        assert key is not None
        creates = CATALOGUE[action.do].creates
        if creates is None:
            self.add((*where, "as"), ErrorCode.AS_NOTHING_CREATED, action=action.do)
            return
        if key in self.keys:
            first = format_path(self.keys[key].path)
            self.add((*where, "as"), ErrorCode.AS_SHADOWS, key=key, first=first)
            return
        if key in bindings:
            first = format_path(binding_paths[key])
            self.add((*where, "as"), ErrorCode.KEY_DUPLICATE, key=key, first=first)
            return
        bindings[key] = creates
        binding_paths[key] = (*where, "as")

    def run(self) -> list[Finding]:
        self.collect_keys()
        self.check_competencies()
        self.check_fixtures()
        self.check_people()
        self.check_events()
        self.check_rubric()
        self.check_solutions()
        return self.findings


def _offered_types(practitioner: PractitionerFixture) -> set[str]:
    """The appointment types a practitioner fixture offers: its own, else those of its
    specialty (as :mod:`simsec.scenario.fixtures` loads them)."""
    if practitioner.appointment_types:
        return {t.code for t in practitioner.appointment_types}
    code = practitioner.specialty or "medecine_generale"
    specialty = next((s for s in SPECIALTIES if s.code == code), SPECIALTIES[0])
    return {t[0] for t in specialty.types}


def _accepts(model: type[BaseModel], name: str, value: Any) -> bool:
    """Whether ``value`` is itself a valid value of the field (``all`` for ``items``)."""
    try:
        _field_adapter(model, name).validate_python(value)
    except ValidationError:
        return False
    return True


def _literals(path: Path, value: Any) -> Iterator[tuple[Path, Any]]:
    if isinstance(value, InValues):
        for i, item in enumerate(value.in_):
            yield (*path, "in", i), item
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield (*path, i), item
    elif not isinstance(value, Contains | Between | dict):
        yield path, value


def validate_scenario(scenario: Scenario) -> list[Finding]:
    """Every semantic problem of ``scenario`` (an empty list when it is sound)."""
    return _Checker(scenario).run()
