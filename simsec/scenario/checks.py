"""Rubric checks: every check kind of the scenario format, with its evidence.

SCENARIO_FORMAT.md § rubric, "Checks" (exactly one per criterion, combinable):
``action`` (+ ``count``), ``no_action``, ``before``, ``within``, ``state``,
``no_duplicates``, ``no_conflicts``, ``answer``, ``transcription``, ``all`` / ``any`` /
``not``. A check reads two things only: the run's records (actions and events, with
their ``seq`` and scenario time ``t``; never ``wall``, RUNLOG_FORMAT.md guarantee 3) and
the final database state. Each result carries its evidence (PRODUCT.md §3: "Reports ...
cite evidence (which action, at what time)"): the records that decided it.

Two checks compare the whole database and need a reading of what the run is responsible
for, because the generated world plants doublons on purpose (``simsec.world``):

- ``no_duplicates`` looks at the patients the run created or changed (an accepted
  ``create_patient``, or an identity action on a patient): none of them may share the
  normalised strict traits of another record (same birth name, birth date, sex and first
  names, the shorter list of first names being the start of the longer; the birth place
  when both records have one), nor its INS;
- ``no_conflicts`` looks at the appointments the run booked or moved: none of them, if
  still active (booked or arrived), may overlap another active appointment of the same
  practitioner or of the same patient.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from rapidfuzz.distance import Levenshtein
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from simsec.actions.catalogue import CATALOGUE
from simsec.actions.references import binding_value
from simsec.db.models import Appointment, Patient
from simsec.i18n import _
from simsec.scenario.matchers import (
    ActionFact,
    EventFact,
    MatchContext,
    fold,
    match_action,
    match_fields,
    match_value,
)
from simsec.scenario.model import (
    ActionCheck,
    ActionMatcher,
    AllCheck,
    AnswerCheck,
    AnyCheck,
    BeforeCheck,
    Check,
    CountRange,
    DictationEvent,
    NoActionCheck,
    NoConflictsCheck,
    NoDuplicatesCheck,
    NotCheck,
    Scenario,
    StateCheck,
    TranscriptionCheck,
    WithinCheck,
)
from simsec.scenario.state import SqlRow, first_names, load_entities
from simsec.scenario.timeline import iso_t

__all__ = [
    "CheckResult",
    "Evidence",
    "RunFacts",
    "evaluate",
    "word_error_rate",
]

#: At most this many records are cited as evidence of one check.
MAX_EVIDENCE: Final = 10
#: Actions after which a patient counts as created or changed by the run.
_IDENTITY_ACTIONS: Final = frozenset(
    {
        "update_patient",
        "call_insi",
        "read_vitale",
        "check_identity_document",
        "flag_identity",
        "set_coverage",
    }
)
_ACTIVE: Final = ("booked", "arrived")
#: No appointment lasts a day: a bound that keeps overlap queries on the start index.
_LONGEST: Final = timedelta(days=1)
_PATIENTS = Patient.__table__
_APPOINTMENTS = Appointment.__table__


# ---------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Evidence:
    """One record (or entity) that decided a check."""

    kind: str
    """``action``, ``event`` or ``entity``."""
    what: str
    """The action's ``do``, the event's id, or ``entity:key``."""
    seq: int | None = None
    t: datetime | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "what": self.what}
        if self.seq is not None:
            out["seq"] = self.seq
        if self.t is not None:
            out["t"] = iso_t(self.t)
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check: passed or not, why, and which records decided it."""

    passed: bool
    detail: str = ""
    evidence: tuple[Evidence, ...] = ()


def _action_evidence(fact: ActionFact, detail: str = "") -> Evidence:
    return Evidence("action", fact.do, fact.seq, fact.t, detail)


def _event_evidence(fact: EventFact) -> Evidence:
    return Evidence("event", fact.id, fact.seq, fact.t)


def _cap(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    seen: set[tuple[str, str, int | None]] = set()
    for item in items:
        marker = (item.kind, item.what, item.seq)
        if marker in seen:
            continue
        seen.add(marker)
        out.append(item)
        if len(out) >= MAX_EVIDENCE:
            break
    return tuple(out)


# ---------------------------------------------------------------------- facts


def _parse_t(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


@dataclass
class RunFacts:
    """What the checks read from a run: its actions and events in order, and the
    ``as`` bindings the run made."""

    start: datetime
    actions: list[ActionFact] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], start: datetime) -> RunFacts:
        """From run-log records (``action`` and ``event``; the others are ignored)."""
        facts = cls(start)
        for record in records:
            kind = record.get("kind")
            if kind == "action":
                facts.actions.append(
                    ActionFact(
                        seq=int(record["seq"]),
                        t=_parse_t(record["t"]),
                        do=str(record.get("do", "")),
                        with_=record.get("with") or {},
                        as_=record.get("as"),
                        result=record.get("result") or {},
                    )
                )
            elif kind == "event":
                facts.events.append(
                    EventFact(
                        int(record["seq"]),
                        _parse_t(record["t"]),
                        str(record.get("id", "")),
                        str(record.get("event_kind", "")),
                    )
                )
        return facts

    def bindings(self) -> dict[str, str | tuple[str, ...]]:
        """The ``as`` names bound by accepted actions, and what they stand for."""
        names: dict[str, str | tuple[str, ...]] = {}
        for fact in self.actions:
            if fact.as_ and fact.ok:
                info = CATALOGUE.get(fact.do)
                value = binding_value(info.creates if info else None, fact.result)
                if value is not None:
                    names[fact.as_] = value
        return names

    def context(self) -> MatchContext:
        return MatchContext(self.start, self.bindings())


# ---------------------------------------------------------------------- count


def _count_ok(count: int | CountRange | None, n: int) -> bool:
    if count is None:
        return n >= 1
    if isinstance(count, int):
        return n == count
    return (count.min is None or n >= count.min) and (count.max is None or n <= count.max)


def _count_text(count: int | CountRange | None) -> str:
    if count is None:
        return _("au moins 1")
    if isinstance(count, int):
        return str(count)
    if count.max is None:
        return _("au moins {min}").format(min=count.min)
    if count.min is None:
        return _("au plus {max}").format(max=count.max)
    return _("entre {min} et {max}").format(min=count.min, max=count.max)


# ---------------------------------------------------------------------- the evaluator


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _created_key(fact: ActionFact) -> str | None:
    key = fact.result.get("key")
    return key if isinstance(key, str) else None


_WORD: Final = re.compile(r"[\w'’-]+", re.UNICODE)


def _words(text: str) -> list[str]:
    normal = unicodedata.normalize("NFC", text).casefold().replace("’", "'")
    return [w.strip("-'") for w in _WORD.findall(normal) if w.strip("-'")]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level edit distance / number of reference words.

    Case and punctuation are ignored; accents are not (a medical term must be spelled
    right). The standard measure of transcription accuracy (substitutions, deletions
    and insertions over the reference length).
    """
    ref, hyp = _words(reference), _words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


class _Evaluator:
    def __init__(self, scenario: Scenario, facts: RunFacts, session: Session) -> None:
        self.scenario = scenario
        self.facts = facts
        self.session = session
        self.ctx = facts.context()

    # ------------------------------------------------------------------ dispatch

    def evaluate(self, check: Check) -> CheckResult:
        handlers: list[tuple[type[Any], Callable[[Any], CheckResult]]] = [
            (ActionCheck, self.action),
            (NoActionCheck, self.no_action),
            (BeforeCheck, self.before),
            (WithinCheck, self.within),
            (StateCheck, self.state),
            (NoDuplicatesCheck, self.no_duplicates),
            (NoConflictsCheck, self.no_conflicts),
            (AnswerCheck, self.answer),
            (TranscriptionCheck, self.transcription),
            (AllCheck, self.all),
            (AnyCheck, self.any),
            (NotCheck, self.not_),
        ]
        for cls, handler in handlers:
            if isinstance(check, cls):
                return handler(check)
        raise TypeError(f"unknown check {type(check).__name__}")  # pragma: no cover

    def matching(self, matcher: ActionMatcher) -> list[ActionFact]:
        return [fact for fact in self.facts.actions if match_action(matcher, fact, self.ctx)]

    # ------------------------------------------------------------------ actions

    def action(self, check: ActionCheck) -> CheckResult:
        found = self.matching(check.action)
        passed = _count_ok(check.count, len(found))
        detail = _("{n} action(s) « {do} » correspondante(s) (attendu : {expected}).").format(
            n=len(found), do=check.action.do, expected=_count_text(check.count)
        )
        return CheckResult(passed, detail, _cap(_action_evidence(f) for f in found))

    def no_action(self, check: NoActionCheck) -> CheckResult:
        found = self.matching(check.no_action)
        detail = (
            _("Aucune action « {do} » de ce type.").format(do=check.no_action.do)
            if not found
            else _("{n} action(s) « {do} » à éviter.").format(n=len(found), do=check.no_action.do)
        )
        return CheckResult(not found, detail, _cap(_action_evidence(f) for f in found))

    def before(self, check: BeforeCheck) -> CheckResult:
        first = next(iter(self.matching(check.before.first)), None)
        then = next(iter(self.matching(check.before.then)), None)
        evidence = _cap(_action_evidence(f) for f in (first, then) if f is not None)
        if first is None or then is None:
            missing = check.before.first.do if first is None else check.before.then.do
            detail = _("Aucune action « {do} » correspondante.").format(do=missing)
            return CheckResult(False, detail, evidence)
        passed = first.seq < then.seq
        detail = (
            _("« {a} » (n° {sa}) précède « {b} » (n° {sb}).")
            if passed
            else _("« {b} » (n° {sb}) a eu lieu avant « {a} » (n° {sa}).")
        ).format(a=first.do, sa=first.seq, b=then.do, sb=then.seq)
        return CheckResult(passed, detail, evidence)

    def within(self, check: WithinCheck) -> CheckResult:
        spec = check.within
        event = next((e for e in self.facts.events if e.id == spec.after), None)
        if event is None:
            detail = _("L'événement « {id} » n'a pas eu lieu.").format(id=spec.after)
            return CheckResult(False, detail)
        limit = event.t + timedelta(minutes=float(spec.minutes))
        found = [
            fact
            for fact in self.matching(spec.action)
            if fact.seq > event.seq and event.t <= fact.t <= limit
        ]
        late = [f for f in self.matching(spec.action) if f.seq > event.seq and f.t > limit]
        if found:
            delay = found[0].t - event.t
            detail = _("« {do} » {minutes} min après « {id} » (limite : {limit} min).").format(
                do=spec.action.do,
                minutes=_minutes_text(delay),
                id=spec.after,
                limit=_decimal_text(spec.minutes),
            )
            return CheckResult(True, detail, (_event_evidence(event), _action_evidence(found[0])))
        detail = _("Aucune action « {do} » dans les {limit} min après « {id} ».").format(
            do=spec.action.do, limit=_decimal_text(spec.minutes), id=spec.after
        )
        evidence = (
            _event_evidence(event),
            *(_action_evidence(f, _("trop tard")) for f in late[:1]),
        )
        return CheckResult(False, detail, evidence)

    # ------------------------------------------------------------------ state

    def touching(self, keys: set[str]) -> list[Evidence]:
        """The accepted actions whose fields or result name one of ``keys``."""
        out: list[Evidence] = []
        for fact in self.facts.actions:
            if not fact.ok:
                continue
            named = set(_strings(fact.with_))
            created = _created_key(fact)
            if created is not None:
                named.add(created)
            if named & keys:
                out.append(_action_evidence(fact))
        return out

    def state(self, check: StateCheck) -> CheckResult:
        spec = check.state
        rows = load_entities(self.session, spec.entity, spec.where, spec.has, self.ctx)
        keys = [str(row["key"]) for row in rows]
        count_ok = _count_ok(spec.count, len(rows))
        lacking = [row for row in rows if not match_fields(spec.has, row, self.ctx)]
        passed = count_ok and not lacking
        evidence = self.touching(set(keys))
        entity_evidence = [Evidence("entity", f"{spec.entity}:{key}") for key in keys]
        if not count_ok:
            detail = _("{n} {entity} correspondant(s) (attendu : {expected}).").format(
                n=len(rows), entity=spec.entity, expected=_count_text(spec.count)
            )
        elif lacking:
            detail = _("{entity} sans les valeurs attendues : {keys}.").format(
                entity=spec.entity, keys=", ".join(str(row["key"]) for row in lacking[:5])
            )
            evidence = self.touching({str(row["key"]) for row in lacking}) or evidence
            entity_evidence = [Evidence("entity", f"{spec.entity}:{row['key']}") for row in lacking]
        else:
            detail = _("{n} {entity} correspondant(s).").format(n=len(rows), entity=spec.entity)
        return CheckResult(passed, detail, _cap([*evidence, *entity_evidence]))

    # ------------------------------------------------------------------ doublons

    def touched_patients(self) -> dict[str, ActionFact]:
        touched: dict[str, ActionFact] = {}
        for fact in self.facts.actions:
            if not fact.ok:
                continue
            if fact.do == "create_patient":
                key = _created_key(fact)
            elif fact.do in _IDENTITY_ACTIONS:
                value = fact.with_.get("patient")
                key = value if isinstance(value, str) else None
            else:
                key = None
            if key is not None:
                touched.setdefault(key, fact)
        return touched

    def no_duplicates(self, check: NoDuplicatesCheck) -> CheckResult:
        touched = self.touched_patients()
        if not touched:
            return CheckResult(True, _("Aucun dossier patient créé ou modifié."))
        mine = (
            self.session.execute(select(_PATIENTS).where(_PATIENTS.c.key.in_(list(touched))))
            .mappings()
            .all()
        )
        pairs: list[tuple[str, str, str]] = []
        for row in mine:
            for other in self._duplicates_of(row):
                pairs.append(
                    (row["key"], other["key"], "ins" if _same_ins(row, other) else "traits")
                )
        if not pairs:
            return CheckResult(True, _("Aucun doublon parmi les dossiers créés ou modifiés."))
        seen: set[frozenset[str]] = set()
        unique = []
        for a, b, why in pairs:
            if frozenset((a, b)) not in seen:
                seen.add(frozenset((a, b)))
                unique.append((a, b, why))
        detail = _("Doublon(s) : {pairs}.").format(
            pairs=", ".join(f"{a} / {b}" for a, b, _w in unique[:5])
        )
        evidence = [
            _action_evidence(touched[a], f"{a} / {b}") for a, b, _w in unique if a in touched
        ]
        evidence += [Evidence("entity", f"patient:{b}") for _a, b, _w in unique]
        return CheckResult(False, detail, _cap(evidence))

    def _duplicates_of(self, row: SqlRow) -> list[SqlRow]:
        same_traits = and_(
            _PATIENTS.c.k_birth_name == row["k_birth_name"],
            _PATIENTS.c.birth_date == row["birth_date"],
            _PATIENTS.c.sex == row["sex"],
        )
        conditions = [same_traits] if row["birth_date"] is not None else []
        if row["ins"]:
            conditions.append(_PATIENTS.c.ins == row["ins"])
        if not conditions:
            return []
        candidates = self.session.execute(
            select(_PATIENTS).where(or_(*conditions), _PATIENTS.c.id != row["id"])
        ).mappings()
        return [c for c in candidates if _same_ins(row, c) or _same_traits(row, c)]

    # ------------------------------------------------------------------ conflicts

    def no_conflicts(self, check: NoConflictsCheck) -> CheckResult:
        touched: dict[str, ActionFact] = {}
        for fact in self.facts.actions:
            if not fact.ok:
                continue
            key = _created_key(fact) if fact.do == "book_appointment" else None
            if fact.do == "move_appointment":
                value = fact.with_.get("appointment")
                key = value if isinstance(value, str) else None
            if key is not None:
                touched[key] = fact
        if not touched:
            return CheckResult(True, _("Aucun rendez-vous pris ou déplacé."))
        mine = self.session.execute(
            select(_APPOINTMENTS).where(
                _APPOINTMENTS.c.key.in_(list(touched)), _APPOINTMENTS.c.status.in_(_ACTIVE)
            )
        ).mappings()
        conflicts: list[tuple[str, str]] = []
        for row in mine:
            same_owner = [_APPOINTMENTS.c.practitioner_id == row["practitioner_id"]]
            if row["patient_id"] is not None:
                same_owner.append(_APPOINTMENTS.c.patient_id == row["patient_id"])
            others = self.session.execute(
                select(_APPOINTMENTS.c.key).where(
                    _APPOINTMENTS.c.id != row["id"],
                    _APPOINTMENTS.c.status.in_(_ACTIVE),
                    _APPOINTMENTS.c.start < row["end"],
                    _APPOINTMENTS.c.start > row["start"] - _LONGEST,
                    _APPOINTMENTS.c.end > row["start"],
                    or_(*same_owner),
                )
            ).scalars()
            conflicts += [(row["key"], other) for other in others]
        if not conflicts:
            return CheckResult(True, _("Aucun chevauchement de rendez-vous."))
        detail = _("Rendez-vous qui se chevauchent : {pairs}.").format(
            pairs=", ".join(f"{a} / {b}" for a, b in conflicts[:5])
        )
        evidence = [_action_evidence(touched[a], f"{a} / {b}") for a, b in conflicts]
        return CheckResult(False, detail, _cap(evidence))

    # ------------------------------------------------------------------ submissions

    def last_submission(self, do: str, field_name: str, target: str) -> ActionFact | None:
        found = [
            f
            for f in self.facts.actions
            if f.ok and f.do == do and f.with_.get(field_name) == target
        ]
        return found[-1] if found else None

    def answer(self, check: AnswerCheck) -> CheckResult:
        spec = check.answer
        fact = self.last_submission("submit_answer", "question", spec.question)
        if fact is None:
            return CheckResult(False, _("Aucune réponse à « {q} ».").format(q=spec.question))
        given = fact.with_.get("value")
        passed = _answer_ok(spec.equals, given, spec.tolerance, self.ctx)
        detail = _("Réponse « {given} » (attendu : {expected}).").format(
            given=given, expected=spec.equals
        )
        return CheckResult(passed, detail, (_action_evidence(fact),))

    def transcription(self, check: TranscriptionCheck) -> CheckResult:
        spec = check.transcription
        fact = self.last_submission("submit_transcription", "task", spec.task)
        if fact is None:
            return CheckResult(False, _("Aucune transcription pour « {t} ».").format(t=spec.task))
        event = next(
            (
                e
                for e in self.scenario.events
                if e.id == spec.task and isinstance(e, DictationEvent)
            ),
            None,
        )
        reference = event.text if event is not None else ""
        wer = word_error_rate(reference, str(fact.with_.get("text", "")))
        passed = Decimal(str(round(wer, 6))) <= spec.max_wer
        detail = _("Taux d'erreur de mots : {wer} % (au plus {max} %).").format(
            wer=_decimal_text(Decimal(str(round(wer * 100, 1)))),
            max=_decimal_text(spec.max_wer * 100),
        )
        return CheckResult(passed, detail, (_action_evidence(fact),))

    # ------------------------------------------------------------------ combinators

    def all(self, check: AllCheck) -> CheckResult:
        results = [self.evaluate(item) for item in check.all]
        passed = all(r.passed for r in results)
        failing = [r for r in results if not r.passed]
        detail = " ; ".join(r.detail for r in (failing or results) if r.detail)
        return CheckResult(passed, detail, _cap(e for r in results for e in r.evidence))

    def any(self, check: AnyCheck) -> CheckResult:
        results = [self.evaluate(item) for item in check.any]
        passing = [r for r in results if r.passed]
        chosen = passing[:1] or results
        detail = " ; ".join(r.detail for r in chosen if r.detail)
        return CheckResult(bool(passing), detail, _cap(e for r in chosen for e in r.evidence))

    def not_(self, check: NotCheck) -> CheckResult:
        inner = self.evaluate(check.not_)
        detail = _("Non ({detail})").format(detail=inner.detail) if inner.detail else ""
        return CheckResult(not inner.passed, detail, inner.evidence)


# ---------------------------------------------------------------------- helpers


def _same_ins(a: SqlRow, b: SqlRow) -> bool:
    return bool(a["ins"]) and a["ins"] == b["ins"]


def _same_traits(a: SqlRow, b: SqlRow) -> bool:
    if a["birth_date"] is None or a["birth_date"] != b["birth_date"]:
        return False
    if a["k_birth_name"] != b["k_birth_name"] or a["sex"] != b["sex"]:
        return False
    first_a, first_b = first_names(a["first_names"]), first_names(b["first_names"])
    shorter, longer = sorted((first_a, first_b), key=len)
    if not shorter or longer[: len(shorter)] != shorter:
        return False
    place_a, place_b = a["birth_place"], b["birth_place"]
    return not (place_a and place_b and place_a != place_b)


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _minutes_text(delta: timedelta) -> str:
    minutes = Decimal(int(delta.total_seconds())) / 60
    return _decimal_text(minutes.quantize(Decimal("0.1")))


def _answer_ok(expected: Any, given: Any, tolerance: Decimal | None, ctx: MatchContext) -> bool:
    if given is None:
        return False
    if tolerance is not None or isinstance(expected, int | Decimal):
        try:
            want = Decimal(str(expected).replace(",", "."))
            got = Decimal(str(given).replace(",", ".").replace(" ", "").rstrip("%").strip())
        except ArithmeticError:
            return False
        return abs(want - got) <= (tolerance or Decimal(0))
    if isinstance(expected, str):
        return fold(expected) == fold(str(given)) or match_value(expected, given, ctx)
    return match_value(expected, given, ctx)


def evaluate(check: Check, scenario: Scenario, facts: RunFacts, session: Session) -> CheckResult:
    """Evaluate one check against a run's facts and the final database state."""
    return _Evaluator(scenario, facts, session).evaluate(check)


def evaluator(scenario: Scenario, facts: RunFacts, session: Session) -> _Evaluator:
    """An evaluator to run several checks on the same run (shares the bindings)."""
    return _Evaluator(scenario, facts, session)
