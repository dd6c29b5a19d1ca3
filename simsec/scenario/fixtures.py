"""Building the database of a scenario at t=0.

SCENARIO_FORMAT.md § world and § fixtures: the generated background (``world``: seed,
population, practitioners, history) and, on top of it, the named entities present at
t=0: practitioners, patients, the national INS registry (what INSi answers), the
insurer's truth (what the carte Vitale and ADRi answer), appointments, access requests
and waiting-list requests (simsec addition). "Omitted optional fields are generated
coherently from the seed."

Order: schema (:func:`simsec.db.schema.create_fresh`), the world
(:func:`simsec.world.generator.populate`, seeded with ``world.seed``, history ending the
day before the scenario starts), the structure, then the fixtures in the order above.
Everything generated here comes from a :class:`random.Random` seeded with the world seed
and the fixture's key (never Python's salted ``hash``), and from the database state:
the same scenario gives the same database on every machine.

Generated values:

- ``rpps: auto``: :func:`simsec.rules.rpps.make_rpps` from the seed and the key, the
  next one if another practitioner holds it;
- ``nir: auto``: :func:`simsec.rules.nir.make_nir` from the patient's sex, birth date and
  birth place (INSEE, décret 82-103), with an order number from the seed, the next one
  if the number is taken; ``none`` (or a sex ``I``) leaves the patient without NIR;
- missing traits: names from Faker ``fr_FR`` in RNIV form, a birth date between 1940 and
  2005, a birth place among large communes (``birth_place: none``: unknown, stored
  NULL, and then no NIR can be made from the traits);
- an identity status of ``recuperee`` or ``qualifiee`` carries the INS (the NIR and the
  démonstration OID, domain reference §2.3); ``validee`` or ``qualifiee`` a checked
  identity card (RNIV EXI SI 07);
- a registry ``of:`` entry copies the traits and NIR of the patient (or of the person's
  identity document), then applies the fields written as differences;
- an insurer entry's carte Vitale holder is whoever carries the patient on a carte
  Vitale in ``people`` (a child on a parent's card), else the patient;
- a waiting-list entry without ``key`` gets ``waitlist#N`` (as ``add_to_waitlist``), one
  without ``since`` the scenario start; the entries are written oldest first (by
  ``since``, then in file order), since the waiting list is served in row order.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final

from faker import Faker
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from simsec.actions.catalogue import RegisterAccessRequest
from simsec.actions.engine import Engine as ActionEngine
from simsec.actions.references import Bindings
from simsec.db.models import Absence as AbsenceRow
from simsec.db.models import (
    AccessRequest,
    Appointment,
    AppointmentType,
    Coverage,
    InsRegistryEntry,
    InsurerRecord,
    Patient,
    Practitioner,
    RecordItem,
    Structure,
    WaitlistEntry,
)
from simsec.db.schema import create_fresh
from simsec.rules.identity import normalise_first_names, normalise_name
from simsec.rules.nir import MakeNirError, make_nir
from simsec.rules.rpps import make_rpps
from simsec.scenario.model import (
    UNKNOWN,
    AccessRequestFixture,
    AppointmentFixture,
    Document,
    InsurerEntry,
    PatientFixture,
    Person,
    PractitionerFixture,
    RegistryEntry,
    Scenario,
    WaitlistFixture,
)
from simsec.services.base import KeyAllocator, PresentedDocument, StagePerson
from simsec.services.search_keys import patient_search_columns
from simsec.world.generator import populate
from simsec.world.history import SPECIALTIES

__all__ = ["INS_DEMO_OID", "FixtureError", "build_database", "insured_nir", "load_fixtures"]

#: INS-NIR démonstration OID: simsec's identities are fake (domain reference §2.3).
INS_DEMO_OID: Final = "1.2.250.1.213.1.4.11"
#: The key of the structure row.
STRUCTURE_KEY: Final = "structure"
#: Birth places drawn for a patient fixture without one: large communes (INSEE COG).
_BIRTH_PLACES: Final = ("75056", "69123", "13055", "31555", "33063", "59350", "44109", "67482")
_DEFAULT_HOURS: Final = {
    "mon": ["08:30-12:00", "14:00-18:00"],
    "tue": ["08:30-12:00", "14:00-18:00"],
    "wed": ["08:30-12:00"],
    "thu": ["08:30-12:00", "14:00-18:00"],
    "fri": ["08:30-12:00", "14:00-18:00"],
}
_DEFAULT_MINUTES: Final = 20
_IDENTITY_DOCUMENTS: Final = ("cni", "passeport", "titre_sejour", "permis_conduire")


class FixtureError(ValueError):
    """A fixture that cannot be loaded (a reference the validator should have caught)."""


# --------------------------------------------------------------------- randomness


def _rng(seed: int, *parts: str) -> random.Random:
    """A generator for one fixture: the world seed and the fixture's key, hashed with
    SHA-256 (stable across processes, unlike ``hash``)."""
    digest = hashlib.sha256("\x1f".join((str(seed), *parts)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _faker(rng: random.Random) -> Faker:
    fake = Faker("fr_FR")
    fake.seed_instance(rng.getrandbits(32))
    return fake


def _name(raw: str) -> str:
    return normalise_name(raw).value


def _first_names(raw: Sequence[str]) -> str:
    return " ".join(normalise_first_names(list(raw)).values)


# --------------------------------------------------------------------- structure


def _structure(session: Session, scenario: Scenario) -> None:
    structure = scenario.structure
    session.add(
        Structure(
            key=STRUCTURE_KEY,
            kind=structure.kind,
            name=structure.name,
            services=[str(s) for s in structure.services],
        )
    )


# --------------------------------------------------------------------- practitioners


def _free_rpps(session: Session, rng: random.Random) -> str:
    seed = rng.randrange(10**8)
    while True:
        rpps = make_rpps(seed)
        if session.scalar(select(Practitioner.id).where(Practitioner.rpps == rpps)) is None:
            return rpps
        seed = (seed + 1) % 10**8


def _types_for(fixture: PractitionerFixture, specialty: str) -> list[tuple[str, str, int]]:
    if fixture.appointment_types:
        return [(t.code, t.label, int(t.minutes)) for t in fixture.appointment_types]
    known = next((s for s in SPECIALTIES if s.code == specialty), SPECIALTIES[0])
    return [(code, label, minutes) for code, label, minutes, _weight in known.types]


def _practitioner(session: Session, seed: int, fixture: PractitionerFixture) -> None:
    rng = _rng(seed, "practitioner", fixture.key)
    fake = _faker(rng)
    specialty = str(fixture.specialty or "medecine_generale")
    hours = (
        fixture.hours.model_dump(mode="json", exclude_defaults=True)
        if fixture.hours is not None
        else dict(_DEFAULT_HOURS)
    )
    practitioner = Practitioner(
        key=fixture.key,
        last_name=_name(fixture.last_name or fake.last_name()),
        first_name=str(fixture.first_name or fake.first_name()),
        specialty=specialty,
        rpps=_free_rpps(session, rng) if fixture.rpps == "auto" else fixture.rpps,
        hours={day: [str(r) for r in ranges] for day, ranges in hours.items()},
    )
    session.add(practitioner)
    session.flush()
    for code, label, minutes in _types_for(fixture, specialty):
        session.add(
            AppointmentType(
                practitioner_id=practitioner.id, code=code, label=label, minutes=minutes
            )
        )
    keys = KeyAllocator()
    for absence in fixture.absences:
        session.add(
            AbsenceRow(
                key=keys.next_key(session, AbsenceRow, "absence"),
                practitioner_id=practitioner.id,
                start=absence.from_,
                end=absence.to,
                reason=str(absence.reason or ""),
            )
        )
        session.flush()


# --------------------------------------------------------------------- patients


def _nir_taken(session: Session, nir: str) -> bool:
    return (
        session.scalar(select(Patient.id).where(Patient.nir == nir).limit(1)) is not None
        or session.scalar(select(InsRegistryEntry.id).where(InsRegistryEntry.nir == nir).limit(1))
        is not None
    )


def generated_nir(
    session: Session, rng: random.Random, sex: str | None, birth_date: date, birth_place: str | None
) -> str | None:
    """A valid NIR coherent with the traits, not yet held by anyone; None when the
    traits cannot carry one (sex ``I``, unknown place)."""
    if sex not in ("F", "M") or not birth_place:
        return None
    order = rng.randrange(1, 1000)
    for step in range(999):
        try:
            nir = make_nir(sex, birth_date, birth_place, (order + step - 1) % 999 + 1)
        except MakeNirError:
            return None
        if not _nir_taken(session, nir):
            return nir
    return None  # pragma: no cover - 999 people born the same month in one commune


def _patient(session: Session, seed: int, start: datetime, fixture: PatientFixture) -> Patient:
    rng = _rng(seed, "patient", fixture.key)
    fake = _faker(rng)
    sex = fixture.sex or rng.choice(("F", "M"))
    if fixture.first_names:
        first = _first_names([str(n) for n in fixture.first_names])
    else:
        first = _first_names([fake.first_name_female() if sex == "F" else fake.first_name_male()])
    birth_name = _name(str(fixture.birth_name) if fixture.birth_name else fake.last_name())
    birth_date = fixture.birth_date or date(
        rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)
    )
    if fixture.birth_place == UNKNOWN:
        birth_place: str | None = None
    else:
        birth_place = fixture.birth_place or rng.choice(_BIRTH_PLACES)
    if fixture.nir == "auto":
        nir = generated_nir(session, rng, sex, birth_date, birth_place)
    elif fixture.nir == "none":
        nir = None
    else:
        nir = fixture.nir
    status = fixture.identity_status
    retrieved = status in ("recuperee", "qualifiee") and nir is not None
    checked = status in ("validee", "qualifiee")
    used_name = _name(str(fixture.used_name)) if fixture.used_name else None
    address = fixture.address
    patient = Patient(
        key=fixture.key,
        birth_name=birth_name,
        first_names=first,
        birth_date=birth_date,
        sex=sex,
        birth_place=birth_place,
        used_name=used_name,
        used_first_name=_name(str(fixture.used_first_name)) if fixture.used_first_name else None,
        phone=fixture.phone,
        email=fixture.email,
        address_line=address.line if address else None,
        postcode=address.postcode if address else None,
        city=address.city if address else None,
        medecin_traitant=fixture.medecin_traitant,
        nir=nir,
        ins=nir if retrieved else None,
        ins_oid=INS_DEMO_OID if retrieved else None,
        identity_status=status,
        ins_retrieved=retrieved,
        ins_retrieved_on=start - timedelta(days=30) if retrieved else None,
        document_checked="cni" if checked else None,
        document_checked_on=start - timedelta(days=30) if checked else None,
        collection_method="INSi" if retrieved else "SM",
        douteuse="douteuse" in fixture.attributes,
        fictive="fictive" in fixture.attributes,
        homonyme=False,
        deceased_on=fixture.deceased_on,
        access_opposition=fixture.access_opposition,
        created_at=start - timedelta(days=30),
        **patient_search_columns(birth_name, first, used_name),
    )
    session.add(patient)
    session.flush()
    _coverage(session, patient, fixture)
    for item in fixture.record:
        session.add(
            RecordItem(
                key=item.key,
                patient_id=patient.id,
                kind=item.kind,
                date=item.date,
                author=str(item.author or ""),
                title=str(item.title or ""),
                third_party=item.third_party,
            )
        )
    return patient


def _coverage(session: Session, patient: Patient, fixture: PatientFixture) -> None:
    coverage = fixture.coverage
    if coverage is None or (coverage.amo is None and coverage.amc is None):
        return
    amo, amc = coverage.amo, coverage.amc
    session.add(
        Coverage(
            patient_id=patient.id,
            amo_regime=amo.regime if amo else None,
            amo_caisse=amo.caisse if amo else None,
            amo_rights_from=amo.rights_from if amo else None,
            amo_rights_until=amo.rights_until if amo else None,
            amo_exemption=amo.exemption if amo else "none",
            c2s=bool(amo and amo.c2s),
            ame=bool(amo and amo.ame),
            ceam=bool(amo and amo.regime == "ceam"),
            amc_organisme=amc.organisme if amc else None,
            amc_contract=amc.contract if amc else None,
            amc_valid_until=amc.valid_until if amc else None,
            amc_tiers_payant=bool(amc and amc.tiers_payant),
        )
    )


# --------------------------------------------------------------------- registry, insurer


def _person_traits(person: Person) -> dict[str, Any]:
    """The traits of a person who is not a patient, from their identity document."""
    document: Document | None = next(
        (d for d in person.documents if d.kind in _IDENTITY_DOCUMENTS), None
    )
    if document is None:
        return {}
    return {
        "birth_name": document.birth_name,
        "first_names": document.first_names,
        "birth_date": document.birth_date,
        "sex": document.sex,
        "birth_place": None,
    }


def _holder_traits(
    session: Session, scenario: Scenario, key: str
) -> tuple[dict[str, Any], str | None, str | None]:
    """(traits, patient key, NIR) of a patient or person named by ``of:``."""
    person = next((p for p in scenario.people if p.key == key), None)
    patient_key = person.patient if person is not None and person.patient else key
    patient = session.scalars(select(Patient).where(Patient.key == patient_key)).one_or_none()
    if patient is not None:
        traits = {
            "birth_name": patient.birth_name,
            "first_names": patient.first_names.split(),
            "birth_date": patient.birth_date,
            "sex": patient.sex,
            "birth_place": patient.birth_place,
        }
        return traits, patient.key, patient.nir
    if person is not None:
        return _person_traits(person), None, None
    raise FixtureError(f"registry/insurer entry of unknown patient or person {key!r}")


def _registry(session: Session, scenario: Scenario, seed: int, entry: RegistryEntry) -> None:
    if entry.of is not None:
        traits, patient_key, nir = _holder_traits(session, scenario, entry.of)
        key = f"ins#{entry.of}"
    else:
        assert entry.key is not None
        traits, patient_key, nir = {}, None, None
        key = entry.key
    for name in ("birth_name", "first_names", "birth_date", "sex", "birth_place"):
        value = getattr(entry, name)
        if value is not None:
            traits[name] = value
    birth_date = traits.get("birth_date")
    if not traits.get("birth_name") or not traits.get("first_names") or birth_date is None:
        raise FixtureError(f"registry entry {key!r} lacks traits")
    number = entry.nir or nir
    if number is None:
        rng = _rng(seed, "registry", key)
        number = generated_nir(
            session, rng, traits.get("sex"), birth_date, traits.get("birth_place")
        )
    if number is None:
        raise FixtureError(f"registry entry {key!r} has no NIR and none can be made")
    session.add(
        InsRegistryEntry(
            key=key,
            birth_name=_name(str(traits["birth_name"])),
            first_names=_first_names([str(n) for n in traits["first_names"]]),
            birth_date=birth_date,
            sex=str(traits.get("sex") or ""),
            birth_place=traits.get("birth_place"),
            nir=number,
            oid=INS_DEMO_OID,
            patient_key=patient_key,
        )
    )
    session.flush()


def card_holders(people: Sequence[Person]) -> dict[str, str]:
    """Who carries whom on a carte Vitale: beneficiary (or holder) key → holder key."""
    holders: dict[str, str] = {}
    for person in people:
        for document in person.documents:
            if document.kind != "carte_vitale":
                continue
            holder = document.holder or person.patient or person.key
            holders.setdefault(holder, holder)
            for beneficiary in document.beneficiaries:
                holders.setdefault(beneficiary, holder)
    return holders


def _document_nir(scenario: Scenario, key: str) -> str | None:
    """The NIR printed on a document that a person carries as their own (a carte Vitale,
    an attestation de droits...), for a person who is not a patient yet."""
    person = next((p for p in scenario.people if p.key == key), None)
    if person is None:
        return None
    return next(
        (d.nir for d in person.documents if d.nir and (d.holder is None or d.holder == key)),
        None,
    )


def insured_nir(
    session: Session, scenario: Scenario, of: str, patient_key: str | None, nir: str | None
) -> str | None:
    """The NIR the insurer knows ``of`` (a patient or a person) by: the patient's own, else
    the one of their registry entry (``of:`` the patient, or ``of:`` the person, whose
    entry is ``ins#<person>``), else the one printed on the person's own documents. A
    person who becomes a patient during the run is then found by that number
    (``check_rights``, ``read_vitale``, ``call_insi`` by Vitale)."""
    if nir is not None:
        return nir
    if patient_key is not None:
        condition = InsRegistryEntry.patient_key == patient_key
    else:
        condition = InsRegistryEntry.key == f"ins#{of}"
    found = session.scalar(
        select(InsRegistryEntry.nir).where(condition).order_by(InsRegistryEntry.id).limit(1)
    )
    return found if found is not None else _document_nir(scenario, of)


def _insurer(
    session: Session, scenario: Scenario, entry: InsurerEntry, holders: Mapping[str, str]
) -> None:
    _traits, patient_key, nir = _holder_traits(session, scenario, entry.of)
    nir = insured_nir(session, scenario, entry.of, patient_key, nir)
    subject = patient_key or entry.of
    amo, amc = entry.amo, entry.amc
    session.add(
        InsurerRecord(
            key=f"insurer#{entry.of}",
            patient_key=patient_key,
            nir=nir,
            card_holder_key=holders.get(subject, holders.get(entry.of, subject)),
            amo_regime=amo.regime if amo else "general",
            amo_caisse=amo.caisse if amo else None,
            rights_from=amo.rights_from if amo else None,
            rights_until=amo.rights_until if amo else None,
            exemption=amo.exemption if amo else "none",
            c2s=bool(amo and amo.c2s),
            ame=bool(amo and amo.ame),
            ceam=bool(amo and amo.regime == "ceam"),
            amc_organisme=amc.organisme if amc else None,
            amc_contract=amc.contract if amc else None,
            amc_valid_until=amc.valid_until if amc else None,
        )
    )
    session.flush()


# --------------------------------------------------------------------- agenda


def _appointment(session: Session, fixture: AppointmentFixture) -> None:
    practitioner = session.scalars(
        select(Practitioner).where(Practitioner.key == fixture.practitioner)
    ).one_or_none()
    patient_id = session.scalar(select(Patient.id).where(Patient.key == fixture.patient))
    if practitioner is None or patient_id is None:
        raise FixtureError(f"appointment {fixture.key!r}: unknown patient or practitioner")
    minutes = session.scalar(
        select(AppointmentType.minutes).where(
            AppointmentType.practitioner_id == practitioner.id,
            AppointmentType.code == fixture.type,
        )
    )
    session.add(
        Appointment(
            key=fixture.key,
            patient_id=patient_id,
            practitioner_id=practitioner.id,
            type_code=fixture.type,
            start=fixture.start,
            end=fixture.start + timedelta(minutes=minutes or _DEFAULT_MINUTES),
            status=fixture.status,
            reason=fixture.reason,
        )
    )


def _waitlist(session: Session, start: datetime, entries: Sequence[WaitlistFixture]) -> None:
    """The waiting-list requests, oldest first (the services read the list in row
    order), each checked as ``add_to_waitlist`` checks it: the type must be offered by
    the practitioner named, or by some practitioner."""
    keys = KeyAllocator()
    ordered = sorted(entries, key=lambda e: e.since or start)  # stable: file order on ties
    for entry in ordered:
        patient_id = session.scalar(select(Patient.id).where(Patient.key == entry.patient))
        if patient_id is None:
            raise FixtureError(f"waitlist entry of unknown patient {entry.patient!r}")
        practitioner_id: int | None = None
        offered = select(AppointmentType.id).where(AppointmentType.code == entry.type)
        if entry.practitioner is not None:
            practitioner_id = session.scalar(
                select(Practitioner.id).where(Practitioner.key == entry.practitioner)
            )
            if practitioner_id is None:
                raise FixtureError(f"waitlist entry of unknown practitioner {entry.practitioner!r}")
            offered = offered.where(AppointmentType.practitioner_id == practitioner_id)
        if session.scalars(offered.limit(1)).first() is None:
            raise FixtureError(f"waitlist entry: appointment type {entry.type!r} is not offered")
        session.add(
            WaitlistEntry(
                key=entry.key or keys.next_key(session, WaitlistEntry, "waitlist"),
                patient_id=patient_id,
                type_code=entry.type,
                practitioner_id=practitioner_id,
                note=entry.note,
                status="waiting",
                created_at=entry.since or start,
            )
        )
        session.flush()


class _NoStage:
    """The stage of the fixtures: nobody is present, every teleservice answers."""

    def person(self, key: str) -> StagePerson | None:
        return None

    def present(self, key: str) -> bool:
        return False

    def document(self, key: str) -> tuple[StagePerson, PresentedDocument] | None:
        return None

    def service_state(self, service: str, at: datetime) -> str:
        return "available"


def _access_request(db: Engine, start: datetime, fixture: AccessRequestFixture) -> None:
    """Registered through the access service (deadlines and statuses computed by the
    rules, as for the action), then given the fixture's key."""
    fields = fixture.model_dump(by_alias=True, exclude={"key"}, exclude_unset=True)
    action = RegisterAccessRequest.model_validate({"do": "register_access_request", "with": fields})
    outcome = ActionEngine(db).apply(action, now=start, stage=_NoStage(), bindings=Bindings())
    created = outcome.result.get("key")
    if not outcome.ok or not isinstance(created, str):
        error = outcome.error or {}
        raise FixtureError(
            f"access request {fixture.key!r}: {error.get('message', outcome.result)}"
        )
    with Session(db) as session, session.begin():
        session.execute(
            update(AccessRequest).where(AccessRequest.key == created).values(key=fixture.key)
        )


# --------------------------------------------------------------------- entry points


def load_fixtures(db: Engine, scenario: Scenario) -> None:
    """Add the structure and the fixtures of ``scenario`` to a database holding its world."""
    seed = scenario.world.seed
    start = scenario.start
    fixtures = scenario.fixtures
    with Session(db) as session, session.begin():
        _structure(session, scenario)
        for practitioner in fixtures.practitioners:
            _practitioner(session, seed, practitioner)
        for patient in fixtures.patients:
            _patient(session, seed, start, patient)
        session.flush()
        for entry in fixtures.registry:
            _registry(session, scenario, seed, entry)
        holders = card_holders(scenario.people)
        for insurer in fixtures.insurer:
            _insurer(session, scenario, insurer, holders)
        for appointment in fixtures.appointments:
            _appointment(session, appointment)
        session.flush()
        _waitlist(session, start, fixtures.waitlist)
    for request in fixtures.access_requests:
        _access_request(db, start, request)


def build_database(db: Engine, scenario: Scenario) -> None:
    """Build the t=0 database of ``scenario`` on an empty database: schema, world,
    structure and fixtures."""
    create_fresh(db)
    world = scenario.world
    if world.population or world.practitioners or world.history_days:
        populate(db, world, start=scenario.start.date())
    load_fixtures(db, scenario)
