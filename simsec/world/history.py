"""Practitioners, their weekly hours, appointment types and absences, and a past agenda.

Practitioners have a valid RPPS number (11 digits, Luhn key: :func:`simsec.rules.rpps.
make_rpps`), opening hours in the scenario format (``{"mon": ["08:30-12:00", ...]}``),
appointment types with their duration, and absences (holidays, training, congress).

The history fills each practitioner's opening hours, day by day, slot after slot, over
``history_days`` before the start date: so no two appointments of a practitioner ever
overlap (a cancelled slot is not rebooked), nothing is booked during an absence, and a
patient is never seen before their record existed nor after their death. Outcomes:
mostly arrived, some no-shows and cancellations (by the patient, the practitioner or
the structure) with a reason, in proportions close to what French practices report
(no-shows of a few percent).
"""

from __future__ import annotations

import bisect
import itertools
import random
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from simsec.rules.identity import normalise_name
from simsec.rules.rpps import make_rpps

__all__ = [
    "SPECIALTIES",
    "PatientIndex",
    "PractitionerDraft",
    "Specialty",
    "appointment_batches",
    "draw_practitioners",
]

_DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Specialty:
    code: str
    weight: int
    types: tuple[tuple[str, str, int, int], ...]
    """(code, label, minutes, weight)."""
    pool: str
    """Whom it sees: ``all``, ``adults``, ``children`` or ``women``."""
    patientele: int
    """How many distinct patients it follows (drawn from ``pool``)."""


SPECIALTIES: Final = (
    Specialty(
        "medecine_generale",
        50,
        (
            ("C", "Consultation", 20, 70),
            ("C1", "Première consultation", 30, 10),
            ("URG", "Consultation non programmée", 15, 20),
        ),
        "all",
        1500,
    ),
    Specialty(
        "pediatrie",
        8,
        (("C", "Consultation", 20, 60), ("VAC", "Vaccination", 15, 40)),
        "children",
        1200,
    ),
    Specialty(
        "gynecologie",
        8,
        (
            ("C", "Consultation", 20, 50),
            ("C1", "Première consultation", 30, 20),
            ("SUIVI", "Suivi de grossesse", 30, 30),
        ),
        "women",
        2500,
    ),
    Specialty(
        "cardiologie",
        6,
        (("C", "Consultation", 30, 70), ("ECG", "Électrocardiogramme", 20, 30)),
        "adults",
        3000,
    ),
    Specialty(
        "dermatologie",
        5,
        (("C", "Consultation", 20, 80), ("C1", "Première consultation", 30, 20)),
        "all",
        3000,
    ),
    Specialty(
        "ophtalmologie",
        5,
        (("C", "Consultation", 20, 70), ("FO", "Fond d'œil", 30, 30)),
        "all",
        3000,
    ),
    Specialty(
        "radiologie",
        4,
        (("RX", "Radiographie", 15, 60), ("ECHO", "Échographie", 30, 40)),
        "all",
        4000,
    ),
    Specialty("kinesitherapie", 5, (("SEANCE", "Séance de rééducation", 30, 100),), "all", 400),
    Specialty(
        "soins_infirmiers",
        4,
        (("SOIN", "Soin infirmier", 15, 60), ("PS", "Prise de sang", 10, 40)),
        "all",
        1500,
    ),
)

_REASONS: Final = (
    None,
    None,
    None,
    "Renouvellement d'ordonnance",
    "Suivi",
    "Fièvre",
    "Douleurs",
    "Certificat",
    "Résultats d'analyses",
    "Contrôle",
)
_CANCEL_REASONS: Final = {
    "patient": ("Empêchement personnel", "Malade", "Rendez-vous pris ailleurs", "Oubli signalé"),
    "practitioner": ("Absence imprévue du praticien", "Urgence du praticien"),
    "structure": ("Fermeture exceptionnelle", "Panne informatique", "Erreur de planification"),
}
_ABSENCE_REASONS: Final = ("congés", "formation", "congrès")
#: Shares of the outcomes of a past appointment.
NO_SHOW: Final = 0.05
CANCELLED: Final = 0.08
OCCUPANCY: Final = 0.82


@dataclass(slots=True)
class PractitionerDraft:
    number: int
    last_name: str
    first_name: str
    specialty: Specialty
    rpps: str
    hours: dict[str, list[str]]
    room: str
    absences: list[tuple[datetime, datetime, str]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"practitioner#{self.number}"

    @property
    def display_name(self) -> str:
        return f"Dr {self.first_name} {self.last_name}"


class PatientIndex:
    """Compact arrays about the patients, filled while they are generated, to pick
    who comes to which appointment (a million patients fit in a few megabytes)."""

    def __init__(self) -> None:
        self.created_day = array("i", [0])  # index = patient number
        self.birth_day = array("i", [0])
        self.sex_female = array("b", [0])
        self.deceased_day: dict[int, int] = {}

    def add(self, number: int, sex: str, birth: date, created: date, deceased: date | None) -> None:
        if number != len(self.created_day):
            raise ValueError("patients must be added in order")
        self.created_day.append(created.toordinal())
        self.birth_day.append(birth.toordinal())
        self.sex_female.append(1 if sex == "F" else 0)
        if deceased is not None:
            self.deceased_day[number] = deceased.toordinal()

    def __len__(self) -> int:
        return len(self.created_day) - 1

    def pool(self, kind: str, on: date) -> array[int]:
        """Patient numbers of a population (``children``: under 16 on ``on``...)."""
        day = on.toordinal()
        numbers = range(1, len(self.created_day))
        if kind == "all":
            return array("i", numbers)
        birth, female = self.birth_day, self.sex_female
        if kind == "children":
            limit = day - 16 * 365
            return array("i", (n for n in numbers if birth[n] > limit))
        if kind == "adults":
            limit = day - 18 * 365
            return array("i", (n for n in numbers if birth[n] <= limit))
        low, high = day - 60 * 365, day - 15 * 365
        return array("i", (n for n in numbers if female[n] and low <= birth[n] <= high))

    def can_come(self, number: int, day: int) -> bool:
        if self.created_day[number] > day:
            return False
        deceased = self.deceased_day.get(number)
        return deceased is None or day < deceased


def _hours(rng: random.Random) -> dict[str, list[str]]:
    """Weekly opening hours: five days with a half-day off, sometimes Saturday morning."""
    morning_start = rng.choice(("08:00", "08:30", "09:00"))
    evening_end = rng.choice(("18:00", "18:30", "19:00"))
    morning = f"{morning_start}-12:00"
    afternoon = f"14:00-{evening_end}"
    off_day = rng.choice(("wed", "thu", "fri", "mon"))
    hours: dict[str, list[str]] = {}
    for day in _DAYS[:5]:
        hours[day] = [morning] if day == off_day else [morning, afternoon]
    if rng.random() < 0.3:
        hours["sat"] = ["09:00-12:00"]
    return hours


def _absences(rng: random.Random, first: date, last: date) -> list[tuple[datetime, datetime, str]]:
    """Holidays (summer, Christmas, one more week) and a training day each year."""
    absences: list[tuple[datetime, datetime, str]] = []
    for year in range(first.year, last.year + 1):
        summer = date(year, 7, rng.randint(5, 31))
        periods = [
            (summer, rng.choice((14, 21)), "congés"),
            (date(year, 12, 24), 8, "congés"),
            (date(year, rng.choice((2, 4, 10)), rng.randint(1, 20)), 7, "congés"),
            (date(year, rng.randint(1, 11), rng.randint(1, 28)), 1, rng.choice(_ABSENCE_REASONS)),
        ]
        for begin, days, reason in periods:
            end = begin + timedelta(days=days - 1)
            if end < first or begin > last:
                continue
            absences.append(
                (datetime.combine(begin, time(0, 0)), datetime.combine(end, time(23, 59)), reason)
            )
    absences.sort()
    return absences


def draw_practitioners(
    rng: random.Random,
    count: int,
    surnames: Sequence[str],
    first_names: Mapping[str, Sequence[str]],
    *,
    first: date,
    last: date,
) -> list[PractitionerDraft]:
    """``count`` practitioners: the first is a GP, about half are GPs."""
    cum = list(itertools.accumulate(s.weight for s in SPECIALTIES))
    drafts: list[PractitionerDraft] = []
    rpps_seen: set[str] = set()
    for number in range(1, count + 1):
        if number == 1:
            specialty = SPECIALTIES[0]
        else:
            specialty = SPECIALTIES[bisect.bisect(cum, rng.random() * cum[-1])]
        sex = "F" if rng.random() < 0.55 else "M"
        rpps = make_rpps(rng.randrange(10**8))
        while rpps in rpps_seen:
            rpps = make_rpps(rng.randrange(10**8))
        rpps_seen.add(rpps)
        drafts.append(
            PractitionerDraft(
                number=number,
                last_name=normalise_name(rng.choice(surnames)).value,
                first_name=rng.choice(first_names[sex]),
                specialty=specialty,
                rpps=rpps,
                hours=_hours(rng),
                room=f"Cabinet {number}",
                absences=_absences(rng, first, last),
            )
        )
    return drafts


def practitioner_rows(
    drafts: Sequence[PractitionerDraft],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of ``practitioner``, ``appointment_type`` and ``absence``."""
    practitioners: list[dict[str, Any]] = []
    types: list[dict[str, Any]] = []
    absences: list[dict[str, Any]] = []
    for draft in drafts:
        practitioners.append(
            {
                "id": draft.number,
                "key": draft.key,
                "last_name": draft.last_name,
                "first_name": draft.first_name,
                "specialty": draft.specialty.code,
                "rpps": draft.rpps,
                "hours": draft.hours,
                "room": draft.room,
            }
        )
        for code, label, minutes, _weight in draft.specialty.types:
            types.append(
                {
                    "id": len(types) + 1,
                    "practitioner_id": draft.number,
                    "code": code,
                    "label": label,
                    "minutes": minutes,
                }
            )
        for start, end, reason in draft.absences:
            number = len(absences) + 1
            absences.append(
                {
                    "id": number,
                    "key": f"absence#{number}",
                    "practitioner_id": draft.number,
                    "start": start,
                    "end": end,
                    "reason": reason,
                }
            )
    return practitioners, types, absences


def _intervals(spec: Sequence[str], day: date) -> list[tuple[datetime, datetime]]:
    result = []
    for text in spec:
        begin, end = text.split("-")
        h1, m1 = (int(x) for x in begin.split(":"))
        h2, m2 = (int(x) for x in end.split(":"))
        result.append((datetime.combine(day, time(h1, m1)), datetime.combine(day, time(h2, m2))))
    return result


def _absent(draft: PractitionerDraft, day: date) -> bool:
    moment = datetime.combine(day, time(12, 0))
    return any(start <= moment <= end for start, end, _ in draft.absences)


def appointment_batches(
    rng: random.Random,
    drafts: Sequence[PractitionerDraft],
    patients: PatientIndex,
    *,
    first: date,
    start: date,
    batch_size: int = 20_000,
) -> Iterator[list[dict[str, Any]]]:
    """The appointment rows of the history ``[first, start)``, in batches."""
    batch: list[dict[str, Any]] = []
    number = 0
    for draft in drafts:
        if len(patients) == 0:
            break
        pool = patients.pool(draft.specialty.pool, start)
        if len(pool) == 0:
            pool = patients.pool("all", start)
        size = min(len(pool), draft.specialty.patientele)
        patientele = array("i", rng.sample(pool, size)) if size < len(pool) else pool
        type_cum = list(itertools.accumulate(t[3] for t in draft.specialty.types))
        day = first
        while day < start:
            spec = draft.hours.get(_DAYS[day.weekday()])
            if spec and not _absent(draft, day):
                ordinal = day.toordinal()
                for begin, end in _intervals(spec, day):
                    moment = begin
                    while True:
                        code, _label, minutes, _w = draft.specialty.types[
                            bisect.bisect(type_cum, rng.random() * type_cum[-1])
                        ]
                        finish = moment + timedelta(minutes=minutes)
                        if finish > end:
                            break
                        if rng.random() < OCCUPANCY:
                            patient = _choose(rng, patientele, patients, ordinal)
                            if patient is not None:
                                number += 1
                                known = datetime.fromordinal(patients.created_day[patient])
                                batch.append(
                                    _appointment(
                                        rng, number, draft, patient, code, (moment, finish), known
                                    )
                                )
                                if len(batch) >= batch_size:
                                    yield batch
                                    batch = []
                        moment = finish
            day += timedelta(days=1)
    if batch:
        yield batch


def _choose(
    rng: random.Random, patientele: array[int], patients: PatientIndex, day: int
) -> int | None:
    for _ in range(8):
        candidate = patientele[rng.randrange(len(patientele))]
        if patients.can_come(candidate, day):
            return candidate
    return None


def _appointment(
    rng: random.Random,
    number: int,
    draft: PractitionerDraft,
    patient: int,
    code: str,
    slot: tuple[datetime, datetime],
    known_since: datetime,
) -> dict[str, Any]:
    """One past appointment; booked before it began, once the patient was known."""
    begin, end = slot
    r = rng.random()
    status, by, cancel = "arrived", None, None
    if r < CANCELLED:
        status = "cancelled"
        q = rng.random()
        by = "patient" if q < 0.8 else "practitioner" if q < 0.9 else "structure"
        cancel = rng.choice(_CANCEL_REASONS[by])
    elif r < CANCELLED + NO_SHOW:
        status = "no_show"
    booked_day = begin.date() - timedelta(days=rng.randint(0, 45))
    booked = datetime.combine(booked_day, time(rng.randint(8, 18), rng.randrange(60)))
    booked = min(max(booked, known_since), begin)
    return {
        "id": number,
        "key": f"appointment#{number}",
        "patient_id": patient,
        "practitioner_id": draft.number,
        "type_code": code,
        "start": begin,
        "end": end,
        "status": status,
        "reason": rng.choice(_REASONS),
        "urgent": code == "URG",
        "cancelled_by": by,
        "cancel_reason": cancel,
        "created_at": booked,
    }
