"""Access to the medical record: who may ask, proofs, deadlines, statuses, retention.

Sources (Code de la santé publique, CSP):

- L1111-7: the right of access, 48-hour reflection period, 8 days / 2 months, third-party
  information excluded, the psychiatric commission (al. 4).
- R1111-1: who may ask (the patient, the holders of parental authority, the person in
  charge of a protection juridique avec représentation, the person in charge of a
  protection avec assistance with the protected adult's express consent, a designated
  doctor); time limits run from receipt of the request.
- L1111-5, L1111-5-1, R1111-6: a minor may oppose the parents' access.
- L1110-4 (V): heirs, concubin or partenaire de PACS of a deceased patient, only for
  one of three motives, unless the deceased opposed it; holders of parental authority
  of a deceased minor keep their access (CADA avis 20100382, 20124321).
- R1112-7: retention of the record in an establishment.

Regulation values (hours, days, months, years) live in ``simsec/data/access.yaml`` as
dated entries; :func:`load_access_rules` reads them. Dates are arguments: nothing here
reads the clock. simsec's model (reference.md 3.3): a request that lacks the proofs the
recipient must check is not yet receivable, so the time limits run from the day it
became complete; days are calendar days.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Generic, Literal, NamedTuple, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

__all__ = [
    "HEIR_KINDS",
    "TRANSITIONS",
    "AccessData",
    "AccessReason",
    "DeadlineRule",
    "Deadlines",
    "Decision",
    "Eligibility",
    "HeirMotive",
    "ItemSplit",
    "PatientFacts",
    "Proof",
    "RecordItem",
    "RequestStatus",
    "RequesterKind",
    "RetentionRule",
    "Withheld",
    "add_months",
    "add_years",
    "allowed_transitions",
    "check_communication_date",
    "check_transition",
    "communicable_items",
    "deadlines",
    "eligibility",
    "is_overdue",
    "is_record_kept",
    "load_access_rules",
    "proofs_satisfied",
    "retention_until",
]


class RequesterKind(StrEnum):
    """Who asks: the ``requester.kind`` values of the action catalogue (the first five are
    the scenario format's, the others simsec's additions). ``tiers`` has no right at all
    (``no_right`` of ``access.yaml``)."""

    PATIENT = "patient"
    PARENT = "parent"  # holder of parental authority
    TUTEUR = "tuteur"  # protection juridique avec représentation
    AYANT_DROIT = "ayant_droit"
    MEDECIN = "medecin"  # a doctor designated by one of the others
    CURATEUR = "curateur"  # protection avec assistance
    CONCUBIN = "concubin"
    PARTENAIRE_PACS = "partenaire_pacs"
    TIERS = "tiers"  # anyone else: neighbour, employer, insurer, living patient's spouse


HEIR_KINDS = frozenset(
    {RequesterKind.AYANT_DROIT, RequesterKind.CONCUBIN, RequesterKind.PARTENAIRE_PACS}
)
"""Requesters admitted only after the patient's death, for one of the three motives."""


class HeirMotive(StrEnum):
    """The three admissible motives of L1110-4 (V)."""

    CAUSES_DECES = "causes_deces"
    DEFENDRE_MEMOIRE = "defendre_memoire"
    FAIRE_VALOIR_DROITS = "faire_valoir_droits"


_MOTIVES = frozenset(m.value for m in HeirMotive)


class Proof(StrEnum):
    """What the secretariat checks before a request is complete."""

    DEMANDE_ECRITE = "demande_ecrite"
    IDENTITE = "identite"
    AUTORITE_PARENTALE = "autorite_parentale"
    JUGEMENT_PROTECTION = "jugement_protection"  # a representation: tutelle, habilitation
    JUGEMENT_CURATELLE = "jugement_curatelle"  # an assistance: the curateur's judgment
    CONSENTEMENT_MAJEUR_PROTEGE = "consentement_majeur_protege"
    ACTE_DECES = "acte_deces"
    QUALITE_AYANT_DROIT = "qualite_ayant_droit"
    QUALITE_CONCUBIN = "qualite_concubin"
    QUALITE_PARTENAIRE_PACS = "qualite_partenaire_pacs"
    MOTIF = "motif"  # the heir's motive, stated in the request
    DESIGNATION_MEDECIN = "designation_medecin"
    QUALITE_MEDECIN = "qualite_medecin"


class Decision(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"
    INCOMPLETE = "incomplete"


class AccessReason(StrEnum):
    """Stable reason codes (texts in ``simsec.texts.access``)."""

    # eligibility: refusals
    UNAUTHORISED_REQUESTER = "unauthorised_requester"
    THIRD_PARTY_REQUESTER = "third_party_requester"
    PATIENT_DECEASED = "patient_deceased"
    MINOR_NOT_EMANCIPATED = "minor_not_emancipated"
    PATIENT_NOT_MINOR = "patient_not_minor"
    PATIENT_EMANCIPATED = "patient_emancipated"
    MINOR_OPPOSED = "minor_opposed"
    MANDATE_ENDED = "mandate_ended"
    PATIENT_ALIVE = "patient_alive"
    DECEASED_OPPOSED = "deceased_opposed"
    MOTIVE_NOT_ADMISSIBLE = "motive_not_admissible"
    # eligibility: incomplete
    PROOFS_MISSING = "proofs_missing"
    MOTIVE_MISSING = "motive_missing"
    CONSENT_REQUIRED = "consent_required"
    DESIGNATION_MISSING = "designation_missing"
    # deadlines, statuses, items
    TOO_EARLY = "too_early"
    INVALID_TRANSITION = "invalid_transition"
    ALREADY_IN_STATUS = "already_in_status"
    THIRD_PARTY_INFORMATION = "third_party_information"


# ------------------------------------------------------------------------ data


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeadlineRule(_Frozen):
    """Time limits of L1111-7 / R1111-1 in force from ``valid_from``."""

    valid_from: date
    source: str
    minimum_hours: PositiveInt
    standard_days: PositiveInt
    old_information_years: PositiveInt
    long_months: PositiveInt


class RetentionRule(_Frozen):
    """Retention periods of R1112-7 in force from ``valid_from``."""

    valid_from: date
    source: str
    years_after_last_visit: PositiveInt
    until_birthday: PositiveInt
    death_window_years: PositiveInt
    years_after_death: PositiveInt


class _Dated(Protocol):
    @property
    def valid_from(self) -> date: ...


_D = TypeVar("_D", bound=_Dated)


def _check_dated(entries: Sequence[_Dated], name: str) -> None:
    days = [e.valid_from for e in entries]
    if days != sorted(days) or len(set(days)) != len(days):
        raise ValueError(f"{name}: valid_from dates must be strictly increasing")


class AccessData(_Frozen):
    """The content of ``access.yaml``, validated."""

    format: Literal["simsec/access@1"]
    deadlines: tuple[DeadlineRule, ...] = Field(min_length=1)
    retention: tuple[RetentionRule, ...] = Field(min_length=1)
    proofs: dict[Proof, tuple[str, ...]]
    required: dict[RequesterKind, tuple[Proof, ...]]
    no_right: frozenset[RequesterKind] = Field(min_length=1)

    @model_validator(mode="after")
    def _coherent(self) -> AccessData:
        _check_dated(self.deadlines, "deadlines")
        _check_dated(self.retention, "retention")
        missing_proofs = set(Proof) - set(self.proofs)
        if missing_proofs:
            raise ValueError(f"proofs: no document kinds for {sorted(missing_proofs)}")
        if RequesterKind.MEDECIN in self.no_right:
            raise ValueError("no_right: the designated doctor acts for someone who has a right")
        expected = set(RequesterKind) - self.no_right
        if set(self.required) != expected:
            raise ValueError(
                f"required: expected exactly the kinds {sorted(expected)} "
                f"(every kind not in no_right)"
            )
        return self

    def deadline_rule(self, on: date) -> DeadlineRule:
        return _in_force(self.deadlines, on, "deadlines")

    def retention_rule(self, on: date) -> RetentionRule:
        return _in_force(self.retention, on, "retention")


def _in_force(entries: Sequence[_D], on: date, name: str) -> _D:
    """The entry with the latest ``valid_from`` on or before ``on``."""
    current = [e for e in entries if e.valid_from <= on]
    if not current:
        raise LookupError(f"no {name} rule in force on {on.isoformat()}")
    return current[-1]


def _packaged_text() -> str:
    return resources.files("simsec.data").joinpath("access.yaml").read_text(encoding="utf-8")


@cache
def _packaged() -> AccessData:
    return AccessData.model_validate(yaml.safe_load(_packaged_text()))


def load_access_rules(path: Path | None = None) -> AccessData:
    """The access rules of ``path``, or the packaged ``simsec/data/access.yaml``.

    Raises ``pydantic.ValidationError`` (a ``ValueError``) for a malformed file.
    """
    if path is None:
        return _packaged()
    return AccessData.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


# ---------------------------------------------------------------- calendar helpers


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months``, clamped to the end of the month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years``; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


# --------------------------------------------------------------------- eligibility


@dataclass(frozen=True)
class PatientFacts:
    """What the eligibility rule needs to know of the patient whose record is asked.

    ``minor`` is the age at the request (or at death, for a deceased patient).
    ``opposition`` is the scenario's ``access_opposition``: against the heirs for a
    deceased patient, against the holders of parental authority for a minor.
    """

    minor: bool = False
    emancipated: bool = False
    deceased: bool = False
    opposition: bool = False


@dataclass(frozen=True)
class Eligibility:
    """The answer to "may this person have the record, and what is still missing?".

    ``missing`` is empty unless the decision is ``incomplete``. ``limited_to_motive``
    is true for heirs: only the information their motive needs is communicated.
    """

    decision: Decision
    reasons: tuple[AccessReason, ...] = ()
    missing: tuple[Proof, ...] = ()
    required: tuple[Proof, ...] = ()
    limited_to_motive: bool = False

    @property
    def allowed(self) -> bool:
        return self.decision is Decision.ALLOWED


def proofs_satisfied(
    documents: Iterable[str], motive: str | None = None, rules: AccessData | None = None
) -> frozenset[Proof]:
    """The proofs established by the received document kinds (and a stated motive)."""
    data = rules or _packaged()
    received = set(documents)
    satisfied = {proof for proof, kinds in data.proofs.items() if received & set(kinds)}
    if motive:
        satisfied.add(Proof.MOTIF)
    return frozenset(satisfied)


def _refusals(
    kind: RequesterKind, patient: PatientFacts, motive: str | None, data: AccessData
) -> list[AccessReason]:
    """Why ``kind`` may not have the record at all, whatever the proofs (R1111-1, L1110-4)."""
    reasons: list[AccessReason] = []
    if kind in data.no_right:
        # a third party: no right at all, however close (secret professionnel)
        reasons.extend((AccessReason.THIRD_PARTY_REQUESTER, AccessReason.UNAUTHORISED_REQUESTER))
    elif kind is RequesterKind.PATIENT:
        if patient.deceased:
            reasons.append(AccessReason.PATIENT_DECEASED)
        elif patient.minor and not patient.emancipated:
            reasons.append(AccessReason.MINOR_NOT_EMANCIPATED)
    elif kind is RequesterKind.PARENT:
        if not patient.minor:
            reasons.append(AccessReason.PATIENT_NOT_MINOR)
        elif patient.emancipated:
            reasons.append(AccessReason.PATIENT_EMANCIPATED)
        elif patient.opposition:
            reasons.append(AccessReason.MINOR_OPPOSED)
    elif kind in (RequesterKind.TUTEUR, RequesterKind.CURATEUR):
        if patient.deceased:
            reasons.append(AccessReason.MANDATE_ENDED)
    elif kind in HEIR_KINDS:
        if not patient.deceased:
            reasons.append(AccessReason.PATIENT_ALIVE)
        elif patient.opposition:
            reasons.append(AccessReason.DECEASED_OPPOSED)
        if motive is not None and motive not in _MOTIVES:
            reasons.append(AccessReason.MOTIVE_NOT_ADMISSIBLE)
    return reasons


def _incomplete_reasons(missing: Sequence[Proof]) -> tuple[AccessReason, ...]:
    reasons = [AccessReason.PROOFS_MISSING]
    specific = {
        Proof.MOTIF: AccessReason.MOTIVE_MISSING,
        Proof.CONSENTEMENT_MAJEUR_PROTEGE: AccessReason.CONSENT_REQUIRED,
        Proof.DESIGNATION_MEDECIN: AccessReason.DESIGNATION_MISSING,
    }
    reasons.extend(specific[p] for p in missing if p in specific)
    return tuple(reasons)


def _required(
    kind: RequesterKind, on_behalf_of: RequesterKind | None, data: AccessData
) -> tuple[Proof, ...]:
    proofs = list(data.required.get(kind, ()))
    if kind is RequesterKind.MEDECIN and on_behalf_of is not None:
        proofs.extend(p for p in data.required.get(on_behalf_of, ()) if p not in proofs)
    return tuple(proofs)


def eligibility(
    kind: RequesterKind,
    patient: PatientFacts,
    *,
    motive: str | None = None,
    documents: Iterable[str] = (),
    on_behalf_of: RequesterKind | None = None,
    rules: AccessData | None = None,
) -> Eligibility:
    """Whether ``kind`` may obtain ``patient``'s record, and which proofs are missing.

    - the patient: an adult, or an emancipated minor (R1111-1);
    - a parent: for a minor (also a deceased minor, CADA 20100382) unless the minor
      opposed it (L1111-5, R1111-6); not once the minor is emancipated;
    - a tuteur (protection avec représentation): with the judgment; a curateur
      (protection avec assistance): also the protected adult's express consent
      (R1111-1); a mandate ends with the death (Code civil art. 418);
    - an ayant droit, concubin or partenaire de PACS: only after the death, for one of
      the three :class:`HeirMotive`, unless the deceased opposed it (L1110-4 V);
    - a designated doctor (``medecin``): acts for ``on_behalf_of`` and brings that
      person's proofs on top of their own (R1111-1);
    - anyone else (``tiers``, and any kind listed in ``no_right`` of ``access.yaml``):
      refused, whatever the proofs (secret professionnel, Code pénal 226-13); the request
      is then refused in writing with its motive.

    ``documents`` are the received document kinds (``cni``, ``acte_deces``...).
    Refusals take precedence: a refused request lists no missing proofs.
    """
    data = rules or _packaged()
    principal = on_behalf_of if kind is RequesterKind.MEDECIN else kind
    reasons: list[AccessReason] = []
    if kind is RequesterKind.MEDECIN and (
        on_behalf_of is RequesterKind.MEDECIN or on_behalf_of in data.no_right
    ):
        reasons.append(AccessReason.UNAUTHORISED_REQUESTER)
    elif principal is not None:
        reasons.extend(_refusals(principal, patient, motive, data))
    if reasons:
        return Eligibility(Decision.REFUSED, tuple(reasons))

    required = _required(kind, on_behalf_of, data)
    satisfied = proofs_satisfied(documents, motive, data)
    missing = tuple(p for p in required if p not in satisfied)
    limited = principal in HEIR_KINDS
    if missing:
        return Eligibility(
            Decision.INCOMPLETE, _incomplete_reasons(missing), missing, required, limited
        )
    if principal is None:  # a doctor whose designation does not say for whom
        return Eligibility(
            Decision.INCOMPLETE,
            (AccessReason.DESIGNATION_MISSING,),
            (Proof.DESIGNATION_MEDECIN,),
            required,
        )
    return Eligibility(Decision.ALLOWED, (), (), required, limited)


# ----------------------------------------------------------------------- deadlines


class Deadlines(NamedTuple):
    """When the record may, and must, be communicated (calendar dates)."""

    earliest_on: date
    due_on: date
    long: bool


def deadlines(
    complete_on: date,
    newest_item_date: date | None,
    *,
    commission_seized: bool = False,
    rules: AccessData | None = None,
) -> Deadlines:
    """The dates of L1111-7 / R1111-1 for a request complete on ``complete_on``.

    - earliest: not before 48 hours, i.e. ``complete_on + 2 days``;
    - due: ``complete_on + 8 days``, or ``+ 2 months`` (clamped to the end of the
      month) when the information is more than 5 years old on ``complete_on``, counted
      from ``newest_item_date``, the most recent requested item (simsec's reading,
      reference.md 3.3), or when the psychiatric commission is seized (L1111-7 al. 4).
    """
    rule = (rules or _packaged()).deadline_rule(complete_on)
    minimum_days = -(-rule.minimum_hours // 24)
    earliest = complete_on + timedelta(days=minimum_days)
    old = (
        newest_item_date is not None
        and add_years(newest_item_date, rule.old_information_years) < complete_on
    )
    long = old or commission_seized
    due = (
        add_months(complete_on, rule.long_months)
        if long
        else complete_on + timedelta(days=rule.standard_days)
    )
    return Deadlines(earliest, max(due, earliest), long)


def check_communication_date(limits: Deadlines, on: date) -> AccessReason | None:
    """``too_early`` when the record would be sent before the 48-hour reflection period."""
    return AccessReason.TOO_EARLY if on < limits.earliest_on else None


def is_overdue(due_on: date, on: date, *, sent_on: date | None = None) -> bool:
    """Whether, at ``on``, the request is past its due date without a timely communication."""
    if on <= due_on:
        return False
    return sent_on is None or sent_on > due_on


# ------------------------------------------------------------------------ statuses


class RequestStatus(StrEnum):
    """simsec's status flow of a request (a model, not a law; reference.md 3)."""

    RECUE = "recue"
    INCOMPLETE = "incomplete"
    COMPLETE = "complete"
    EN_PREPARATION = "en_preparation"
    ENVOYEE = "envoyee"
    CONSULTEE_SUR_PLACE = "consultee_sur_place"
    REFUSEE = "refusee"
    CLOTUREE = "cloturee"


_S = RequestStatus
TRANSITIONS: Mapping[RequestStatus, frozenset[RequestStatus]] = {
    _S.RECUE: frozenset({_S.INCOMPLETE, _S.COMPLETE, _S.REFUSEE}),
    _S.INCOMPLETE: frozenset({_S.COMPLETE, _S.REFUSEE}),
    _S.COMPLETE: frozenset({_S.EN_PREPARATION, _S.REFUSEE}),
    _S.EN_PREPARATION: frozenset({_S.ENVOYEE, _S.CONSULTEE_SUR_PLACE, _S.REFUSEE}),
    _S.ENVOYEE: frozenset({_S.CLOTUREE}),
    _S.CONSULTEE_SUR_PLACE: frozenset({_S.CLOTUREE}),
    _S.REFUSEE: frozenset({_S.CLOTUREE}),
    _S.CLOTUREE: frozenset(),
}
"""Allowed transitions: recue → incomplete → complete → en_preparation → envoyee |
consultee_sur_place → cloturee; a request may be refused until it is communicated,
and a refused request is then closed."""


def allowed_transitions(current: RequestStatus) -> frozenset[RequestStatus]:
    return TRANSITIONS[current]


def check_transition(current: RequestStatus, target: RequestStatus) -> AccessReason | None:
    """None when ``current → target`` is allowed, otherwise the reason code."""
    if current is target:
        return AccessReason.ALREADY_IN_STATUS
    if target not in TRANSITIONS[current]:
        return AccessReason.INVALID_TRANSITION
    return None


# --------------------------------------------------------------------------- items


class _ItemLike(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def third_party(self) -> bool: ...


_T = TypeVar("_T", bound=_ItemLike)


@dataclass(frozen=True)
class RecordItem:
    """A document of the medical record, as the scenario's ``record`` lists them."""

    key: str
    date: date
    kind: str = ""
    third_party: bool = False


@dataclass(frozen=True)
class Withheld(Generic[_T]):
    item: _T
    reason: AccessReason


@dataclass(frozen=True)
class ItemSplit(Generic[_T]):
    communicable: tuple[_T, ...]
    withheld: tuple[Withheld[_T], ...]


def communicable_items(items: Iterable[_T]) -> ItemSplit[_T]:
    """Split requested items: information given by, or about, a third party outside the
    care team (``third_party: true``) is not communicated (L1111-7)."""
    communicable: list[_T] = []
    withheld: list[Withheld[_T]] = []
    for item in items:
        if item.third_party:
            withheld.append(Withheld(item, AccessReason.THIRD_PARTY_INFORMATION))
        else:
            communicable.append(item)
    return ItemSplit(tuple(communicable), tuple(withheld))


# ----------------------------------------------------------------------- retention


def retention_until(
    last_visit: date,
    birth_date: date,
    death_date: date | None = None,
    *,
    on: date | None = None,
    rules: AccessData | None = None,
) -> date:
    """The last day an establishment keeps the record (R1112-7).

    20 years from the last stay or outpatient consultation; extended to the 28th
    birthday when the 20 years end before it; in all cases, a patient who died less
    than 10 years after the last visit: 10 years from the death. The rule in force at
    ``on`` applies (default: the latest rule). Suspension of the periods by a claim
    against the establishment is not modelled.
    """
    data = rules or _packaged()
    rule = data.retention_rule(on) if on is not None else data.retention[-1]
    if death_date is not None and death_date < add_years(last_visit, rule.death_window_years):
        return add_years(death_date, rule.years_after_death)
    end = add_years(last_visit, rule.years_after_last_visit)
    return max(end, add_years(birth_date, rule.until_birthday))


def is_record_kept(
    on: date,
    last_visit: date,
    birth_date: date,
    death_date: date | None = None,
    *,
    rules: AccessData | None = None,
) -> bool:
    """Whether the record must still be kept (so can still be requested) at ``on``."""
    return on <= retention_until(last_visit, birth_date, death_date, on=on, rules=rules)
