"""From people to rows: patient records, the national INS registry and the insurer truth.

For each real person the generator writes:

- one ``patient`` row (two for a doublon: the same person recorded twice, the second
  time with a typical error), with an identity status in a realistic mix (RNIV EXI SI 07:
  provisoire, récupérée, validée, qualifiée, from the two facts "INS retrieved through
  INSi" and "checked on a high-trust document");
- one ``ins_registry`` row when the person has a NIR or a NIA (INSi answers from it), with
  the traits of reference; a provisoire or validée record sometimes differs from it the
  way real records do (a compound first name without its hyphen, only the first first
  name typed, the commune instead of the arrondissement, the commune nouvelle instead
  of the former commune of birth, a particle glued to the name);
- one ``insurer_record`` row, the truth that the carte Vitale and ADRi give (régime,
  caisse, rights, ALD / maternité / AT exemption, C2S, AME, CEAM, complementary);
- a ``coverage`` row, what the desk recorded, sometimes out of date.

The NIR is built as INSEE does (décret 82-103 art. 4; domain reference §2): sex digit,
year, month, place (``nir_place_for``: Corsica ``20`` before 1976), order number, key
``97 − (N mod 97)`` with ``2A``/``2B`` read as 19/18. Numbers are unique in a world.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Final

from simsec.rules.identity import normalise_name
from simsec.rules.nir import check_coherence, nir_place_for
from simsec.services.search_keys import patient_search_columns
from simsec.world.families import Drawer, Person, Shares
from simsec.world.reference import ReferenceData

__all__ = [
    "INS_NIA_OID",
    "INS_NIR_DEMO_OID",
    "Batch",
    "DoublonError",
    "RecordBuilder",
    "make_nir_number",
]

#: OIDs of the INS authority (ANS, FR Core ``fr-core-patient-ins``; domain reference
#: §2.3). simsec's identities are fake: the NIR-based ones carry the INS-NIR
#: *démonstration* OID; NIA-based ones the INS-NIA OID (there is no NIA demonstration OID).
INS_NIR_DEMO_OID: Final = "1.2.250.1.213.1.4.11"
INS_NIA_OID: Final = "1.2.250.1.213.1.4.9"

PROVISOIRE: Final = "provisoire"
RECUPEREE: Final = "recuperee"
VALIDEE: Final = "validee"
QUALIFIEE: Final = "qualifiee"

#: Identity status shares of people with a NIR/NIA (INSi can answer) and without.
_STATUS_WITH_NIR: Final = ((QUALIFIEE, 42), (RECUPEREE, 15), (VALIDEE, 10), (PROVISOIRE, 33))
_STATUS_WITHOUT_NIR: Final = ((VALIDEE, 25), (PROVISOIRE, 75))

#: Special régimes (domain reference §4.1) with their national caisse, and their share.
_SPECIAL_REGIMES: Final = (
    ("cnmss", "Caisse nationale militaire de sécurité sociale", 0.010),
    ("enim", "ENIM (Établissement national des invalides de la marine)", 0.003),
    ("sncf", "CPRP SNCF", 0.005),
    ("ratp", "CCAS RATP", 0.003),
    ("camieg", "CAMIEG", 0.005),
)
_MSA_SHARE: Final = 0.05
_ALSACE_MOSELLE: Final = frozenset({"57", "67", "68"})


class DoublonError:
    """Kinds of error of a doublon record (the same person entered twice)."""

    TYPO = "typo"
    USED_AS_BIRTH_NAME = "used_name_as_birth_name"
    SWAPPED_DAY_MONTH = "swapped_day_month"
    MISSING_BIRTH_PLACE = "missing_birth_place"
    HYPHEN = "first_name_hyphen"


def make_nir_number(sex: str, birth_date: date, birth_place: str, order: int) -> str:
    """A NIR for a man (``M``) or a woman (``F``) born on ``birth_date`` in
    ``birth_place`` (INSEE code), with ``order`` 1–999. Same number as
    :func:`simsec.rules.nir.make_nir`, without its checks (tested against it): the
    generator calls this a million times."""
    place = nir_place_for(birth_place, birth_date)
    body = f"{'1' if sex == 'M' else '2'}{birth_date.year % 100:02d}{birth_date.month:02d}"
    body += f"{place}{order:03d}"
    number = int(body.replace("2A", "19").replace("2B", "18"))
    return f"{body}{97 - number % 97:02d}"


@dataclass(slots=True)
class Batch:
    """Rows waiting to be inserted, by table name."""

    patient: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    ins_registry: list[dict[str, Any]] = field(default_factory=list)
    insurer_record: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.patient)

    def tables(self) -> tuple[tuple[str, list[dict[str, Any]]], ...]:
        return (
            ("patient", self.patient),
            ("coverage", self.coverage),
            ("ins_registry", self.ins_registry),
            ("insurer_record", self.insurer_record),
        )


@dataclass(slots=True)
class _Insurance:
    """The insurer's truth about one person, kept to write the local coverage."""

    regime: str
    caisse: str | None
    rights_from: date | None
    rights_until: date | None
    exemption: str
    c2s: bool
    ame: bool
    ceam: bool
    amc_organisme: str | None
    amc_contract: str | None
    amc_valid_until: date | None


_NO_USED_NAME: Final[dict[str, str | None]] = {"k_used_name": None, "p_used_name": None}


@lru_cache(maxsize=65_536)
def _birth_keys(name: str) -> dict[str, str | None]:
    return patient_search_columns(name, "", None)


@lru_cache(maxsize=65_536)
def _first_keys(names: str) -> dict[str, str | None]:
    return patient_search_columns("", names, None)


@lru_cache(maxsize=65_536)
def _used_keys(name: str) -> dict[str, str | None]:
    return patient_search_columns("", "", name)


def registry_traits(person: Person) -> dict[str, Any]:
    """The strict traits of ``person`` as the national registry holds them."""
    return {
        "birth_name": person.birth_name,
        "first_names": " ".join(person.first_names),
        "birth_date": person.birth_date,
        "sex": person.sex,
        "birth_place": person.birth_place,
    }


def _coherent(nir: str, traits: dict[str, Any]) -> bool:
    """The NIR agrees with the sex, birth date and birth place typed locally."""
    return check_coherence(
        nir,
        sex=traits["sex"],
        birth_date=traits["birth_date"],
        birth_place=traits["birth_place"],
    ).coherent


def _truth(person: Person) -> _Insurance | None:
    truth = person.extras.get("insurance")
    return truth if isinstance(truth, _Insurance) else None


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    total = sum(weight for _, weight in table)
    r = rng.random() * total
    for value, weight in table:
        r -= weight
        if r < 0:
            return value
    return table[-1][0]


class RecordBuilder:
    """Turns people into rows, with stable numbering (``patient#1``, ``ins#1``...)."""

    def __init__(
        self,
        drawer: Drawer,
        reference: ReferenceData,
        shares: Shares,
        *,
        history_days: int,
        doctors: tuple[str, ...],
        on_patient: Callable[[int, Person, date], None] | None = None,
    ) -> None:
        self.drawer = drawer
        self.rng = drawer.rng
        self.ref = reference
        self.shares = shares
        self.start = drawer.start
        self.history_start = self.start - timedelta(days=history_days)
        self.doctors = doctors
        self.on_patient = on_patient
        self.patients = 0
        self.registry = 0
        self.insurers = 0
        self.coverages = 0
        self._nirs: set[int] = set()  # the 13 first characters, read in base 36
        self._cities: dict[str, str] = {}
        self._mutuelles = tuple(m.name for m in reference.mutuelles)
        self._mutuelle_weights = tuple(m.weight for m in reference.mutuelles)
        self.doublons: list[tuple[str, str, str]] = []
        self.homonyms: list[tuple[str, str]] = []
        self.twins: list[tuple[str, str]] = []
        self.variants: dict[str, int] = {}

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _search_columns(birth: str, first: str, used: str | None) -> dict[str, str | None]:
        """The derived search columns, through the search service (memoised per part:
        each column depends only on its own name)."""
        b = _birth_keys(birth)
        f = _first_keys(first)
        u = _used_keys(used) if used else _NO_USED_NAME
        return {
            "k_birth_name": b["k_birth_name"],
            "p_birth_name": b["p_birth_name"],
            "k_first_names": f["k_first_names"],
            "p_first_name": f["p_first_name"],
            "k_used_name": u["k_used_name"],
            "p_used_name": u["p_used_name"],
        }

    def _city(self, name: str) -> str:
        city = self._cities.get(name)
        if city is None:
            city = self._cities[name] = normalise_name(name).value
        return city

    def _moment(self, low: date, high: date) -> datetime:
        """A working-hours moment between two dates (inclusive)."""
        span = max((high - low).days, 0)
        day = low + timedelta(days=self.rng.randint(0, span))
        minutes = self.rng.randint(8 * 60, 18 * 60 - 1)
        return datetime.combine(day, time(minutes // 60, minutes % 60))

    def _claim(self, nir: str) -> bool:
        """Reserve ``nir`` (False when already given): numbers are unique in a world."""
        token = int(nir[:13], 36)
        if token in self._nirs:
            return False
        self._nirs.add(token)
        return True

    def _nir(self, person: Person) -> str:
        for _ in range(50):
            nir = make_nir_number(
                person.sex, person.birth_date, person.birth_place, self.rng.randint(1, 999)
            )
            if self._claim(nir):
                return nir
        for order in range(1, 1000):  # a crowded place and month: take the first free one
            nir = make_nir_number(person.sex, person.birth_date, person.birth_place, order)
            if self._claim(nir):
                return nir
        raise RuntimeError("no free NIR order number")  # pragma: no cover - 999 per month

    # ------------------------------------------------------------------ identity

    def _has_nir(self, person: Person) -> bool:
        """CEAM visitors and AME beneficiaries born abroad have no French NIR."""
        if not person.born_abroad:
            return True
        if person.household.ame:
            return False
        return person.extras.get("ceam") is not True

    def _variant(self, person: Person, registry: dict[str, Any]) -> dict[str, Any]:
        """Local traits that differ from the registry the way real records do."""
        options: list[str] = []
        first = registry["first_names"].split(" ")
        if any("-" in name for name in first):
            options.append("hyphen")
        if len(first) > 1:
            options.append("first_name_only")
        place = registry["birth_place"]
        parents = {"75": "75056", "69": "69123", "13": "13055"}
        if place[:2] in parents and place != parents[place[:2]] and place[2] in "123":
            options.append("arrondissement")
        merged_into = next(
            (
                commune
                for commune, former in self.ref.former_communes.items()
                if any(f.code == place for f in former)
            ),
            None,
        )
        if merged_into is not None:
            options.append("merger")
        if " " in registry["birth_name"] or "'" in registry["birth_name"]:
            options.append("particle")
        if not options:
            return {}
        kind = self.rng.choice(options)
        self.variants[kind] = self.variants.get(kind, 0) + 1
        if kind == "hyphen":
            return {"first_names": " ".join(n.replace("-", " ") for n in first)}
        if kind == "first_name_only":
            return {"first_names": first[0]}
        if kind == "arrondissement":
            return {"birth_place": parents[place[:2]]}
        if kind == "merger" and merged_into is not None:
            return {"birth_place": merged_into}
        return {"birth_name": registry["birth_name"].replace(" ", "").replace("'", "")}

    # ------------------------------------------------------------------ insurance

    def _insurance(self, person: Person) -> _Insurance:
        """The insurer's truth; an ayant droit shares the régime of the insured parent."""
        rng, start = self.rng, self.start
        age = person.age_on(start)
        department = person.household.department
        caisse_default = self.ref.departments[department].caisse
        parent = person.parent
        inherited = _truth(parent) if parent is not None else None
        ceam = person.extras.get("ceam") is True
        ame = person.household.ame and not ceam
        if inherited is not None:
            regime, caisse = inherited.regime, inherited.caisse
        elif ceam:  # a European card holder on a stay: no French caisse
            regime, caisse = "ceam", None
        else:
            regime, caisse = "general", caisse_default
            if department in _ALSACE_MOSELLE and rng.random() < 0.85:
                regime = "alsace_moselle"
            elif not ame:
                r = rng.random()
                if r < _MSA_SHARE:
                    regime = "msa"
                    caisse = f"MSA {self.ref.departments[department].name}"
                else:
                    r -= _MSA_SHARE
                    for code, name, share in _SPECIAL_REGIMES:
                        if r < share:
                            regime, caisse = code, name
                            break
                        r -= share
        rights_from = start - timedelta(days=rng.randint(1, 720))
        if ame or ceam:  # AME: one year (domain reference §4.3); CEAM: its own validity
            rights_from = start - timedelta(days=rng.randint(1, 330))
            rights_until: date = rights_from + timedelta(days=365)
        elif rng.random() < 0.04:
            rights_until = start - timedelta(days=rng.randint(1, 300))
            rights_from = min(rights_from, rights_until - timedelta(days=365))
        else:
            rights_until = start + timedelta(days=rng.randint(30, 700))
        if person.deceased_on is not None:
            rights_until = person.deceased_on
            rights_from = min(rights_from, rights_until - timedelta(days=30))
        exemption = "none"
        r = rng.random()
        ald = 0.02 if age < 18 else 0.09 if age < 60 else 0.30 if age < 75 else 0.45
        if person.sex == "F" and 20 <= age <= 42 and r < 0.025:
            exemption = "maternite"
        elif 18 <= age < 65 and r < 0.033:
            exemption = "at_mp"
        elif r < ald + 0.033:
            exemption = "ald"
        c2s = False
        if inherited is not None:
            c2s = inherited.c2s
        elif not ame and not ceam:
            c2s = rng.random() < (0.25 if person.household.number % 7 == 0 else 0.09)
        organisme = contract = None
        valid_until = None
        if inherited is not None and inherited.amc_organisme is not None:
            organisme, contract = inherited.amc_organisme, inherited.amc_contract
            valid_until = inherited.amc_valid_until
        elif not (c2s or ame or ceam) and rng.random() < 0.88:
            organisme = rng.choices(self._mutuelles, self._mutuelle_weights)[0]
            initials = "".join(word[0] for word in organisme.split() if word[0].isupper())[:3]
            contract = f"{initials}-{rng.randrange(10**6):06d}"
            year_end = date(start.year, 12, 31)
            valid_until = year_end if rng.random() > 0.05 else date(start.year - 1, 12, 31)
        return _Insurance(
            regime,
            caisse,
            rights_from,
            rights_until,
            exemption,
            c2s,
            ame,
            ceam,
            organisme,
            contract,
            valid_until,
        )

    def _coverage_row(self, patient_id: int, truth: _Insurance) -> dict[str, Any]:
        """What the desk recorded: the truth, or (15 %) an older state of it."""
        rng = self.rng
        row: dict[str, Any] = {
            "id": 0,
            "patient_id": patient_id,
            "amo_regime": truth.regime,
            "amo_caisse": truth.caisse,
            "amo_rights_from": truth.rights_from,
            "amo_rights_until": truth.rights_until,
            "amo_exemption": truth.exemption,
            "amc_organisme": truth.amc_organisme,
            "amc_contract": truth.amc_contract,
            "amc_valid_until": truth.amc_valid_until,
            "amc_tiers_payant": truth.amc_organisme is not None and rng.random() < 0.7,
            "c2s": truth.c2s,
            "ame": truth.ame,
            "ceam": truth.ceam,
        }
        if rng.random() < 0.15:
            stale = rng.randrange(5)
            year_ago = self.start - timedelta(days=rng.randint(60, 400))
            if stale == 0 and truth.rights_from is not None:  # card not updated
                row["amo_rights_until"] = min(year_ago, truth.rights_from)
            elif stale == 1 and truth.exemption != "none":  # exemption granted since
                row["amo_exemption"] = "none"
            elif stale == 2 and truth.amc_organisme is not None:  # changed mutuelle
                row["amc_organisme"] = rng.choices(self._mutuelles, self._mutuelle_weights)[0]
                row["amc_contract"] = f"ANC-{rng.randrange(10**6):06d}"
                row["amc_valid_until"] = date(self.start.year - 1, 12, 31)
            elif stale == 3 and not truth.c2s and not truth.ame:  # C2S ended since
                row["c2s"] = True
                row["amc_organisme"] = row["amc_contract"] = row["amc_valid_until"] = None
            else:  # régime or caisse changed since (moved, new job)
                row["amo_regime"] = "general" if truth.regime != "general" else "msa"
                row["amo_rights_until"] = year_ago
        return row

    # ------------------------------------------------------------------ emission

    def emit(self, person: Person, batch: Batch) -> None:
        """Rows of a real person: patient, registry, insurer truth, coverage."""
        rng = self.rng
        shares = self.shares
        if (
            person.born_abroad
            and person.country is not None
            and person.country.ceam
            and not person.household.ame
            and person.parent is None
            and rng.random() < shares.ceam_visitor
        ):
            person.extras["ceam"] = True
        has_nir = self._has_nir(person)
        nir = self._nir(person) if has_nir else None
        nia = bool(has_nir and person.born_abroad and rng.random() < shares.nia)
        oid = INS_NIA_OID if nia else INS_NIR_DEMO_OID
        status = _weighted(rng, _STATUS_WITH_NIR if has_nir else _STATUS_WITHOUT_NIR)
        registry = registry_traits(person)
        local = dict(registry)
        if has_nir and status in (PROVISOIRE, VALIDEE) and rng.random() < shares.trait_variant:
            local.update(self._variant(person, registry))
        self.patients += 1
        number = self.patients
        person.number = number
        person.key = f"patient#{number}"
        if nir is not None:
            self.registry += 1
            batch.ins_registry.append(
                {
                    "id": self.registry,
                    "key": f"ins#{self.registry}",
                    **registry,
                    "nir": nir,
                    "oid": oid,
                    "patient_key": person.key,
                }
            )
            if rng.random() < shares.registry_homonym:
                self._registry_homonym(person, batch)
        truth = self._insurance(person)
        person.extras["insurance"] = truth
        person.extras["nir"] = nir
        self.insurers += 1
        batch.insurer_record.append(
            {
                "id": self.insurers,
                "key": f"insurer#{self.insurers}",
                "patient_key": person.key,
                "nir": nir,
                "card_holder_key": person.parent.key if person.parent else person.key,
                "amo_regime": truth.regime,
                "amo_caisse": truth.caisse,
                "rights_from": truth.rights_from,
                "rights_until": truth.rights_until,
                "exemption": truth.exemption,
                "c2s": truth.c2s,
                "ame": truth.ame,
                "ceam": truth.ceam,
                "amc_organisme": truth.amc_organisme,
                "amc_contract": truth.amc_contract,
                "amc_valid_until": truth.amc_valid_until,
            }
        )
        if person.twin_of is not None:
            self.twins.append((person.twin_of.key, person.key))
        row = self._patient_row(person, local, nir, oid, status)
        batch.patient.append(row)
        if rng.random() < 0.93:
            self._add_coverage(batch, number, truth)

    def _add_coverage(self, batch: Batch, patient_id: int, truth: _Insurance) -> None:
        self.coverages += 1
        coverage = self._coverage_row(patient_id, truth)
        coverage["id"] = self.coverages
        batch.coverage.append(coverage)

    def _registry_homonym(self, person: Person, batch: Batch) -> None:
        """A registry identity that is not a patient here: same name, first name, birth
        date and sex, born elsewhere (INSi must not be trusted on the name alone)."""
        other = self.drawer.homonym(person)
        self.registry += 1
        batch.ins_registry.append(
            {
                "id": self.registry,
                "key": f"ins#{self.registry}",
                "birth_name": other.birth_name,
                "first_names": " ".join(other.first_names),
                "birth_date": other.birth_date,
                "sex": other.sex,
                "birth_place": other.birth_place,
                "nir": self._nir(other),
                "oid": INS_NIR_DEMO_OID,
                "patient_key": None,
            }
        )

    def _patient_row(
        self, person: Person, local: dict[str, Any], nir: str | None, oid: str, status: str
    ) -> dict[str, Any]:
        rng = self.rng
        shares = self.shares
        household = person.household
        age = person.age_on(self.start)
        retrieved = status in (RECUPEREE, QUALIFIEE)
        checked = status in (VALIDEE, QUALIFIEE)
        created = self._created_at()
        document = None
        if checked:
            if age < 18:
                document = "livret_famille"
            elif person.born_abroad and person.country is not None and not person.country.ceam:
                document = "titre_sejour" if rng.random() < 0.6 else "passeport"
            else:
                document = "cni" if rng.random() < 0.7 else "passeport"
        douteuse = fictive = False
        if status == PROVISOIRE:  # FR Core: DOUT and FICT only with PROV
            douteuse = rng.random() < shares.douteuse
            fictive = rng.random() < shares.fictive
        used_name = person.used_name
        first_names = local["first_names"]
        traitant = None
        r = rng.random()
        if age >= 16 and r < 0.6 and self.doctors:
            traitant = rng.choice(self.doctors)
        elif age >= 16 and r < 0.85:
            traitant = f"Dr {self.drawer.surname(None)}"
        local_nir = nir
        if nir is not None and local != registry_traits(person) and not _coherent(nir, local):
            local_nir = None  # the card's NIR disagrees with what was typed: not recorded
        row: dict[str, Any] = {
            "id": person.number,
            "key": person.key,
            "birth_name": local["birth_name"],
            "first_names": first_names,
            "birth_date": local["birth_date"],
            "sex": local["sex"],
            "birth_place": local["birth_place"],
            "used_name": used_name,
            "used_first_name": person.used_first_name,
            "phone": person.phone,
            "email": person.email,
            "address_line": household.address_line,
            "postcode": household.postcode,
            "city": self._city(household.city),
            "medecin_traitant": traitant,
            "nir": local_nir if (retrieved or checked or rng.random() < 0.85) else None,
            # a NIR read from the card is kept only when it agrees with the typed traits
            # (an incoherent one would have been refused at the desk: simsec.rules.nir)
            "ins": nir if retrieved else None,
            "ins_oid": oid if retrieved else None,
            "identity_status": status,
            "ins_retrieved": retrieved,
            "ins_retrieved_on": self._moment(created.date(), self.start - timedelta(days=1))
            if retrieved
            else None,
            "document_checked": document,
            "document_checked_on": created if checked else None,
            "collection_method": "INSi" if retrieved else ("CV" if rng.random() < 0.3 else "SM"),
            "douteuse": douteuse,
            "fictive": fictive,
            "homonyme": bool(person.extras.get("homonyme")),
            "deceased_on": person.deceased_on,
            "access_opposition": person.access_opposition,
            "insured_key": person.parent.key if person.parent is not None else None,
            "created_at": created,
            **self._search_columns(local["birth_name"], first_names, used_name),
        }
        if self.on_patient is not None:
            self.on_patient(person.number, person, created.date())
        return row

    def _created_at(self) -> datetime:
        """When the record was created: most before the history window, some during it."""
        if self.rng.random() < 0.8:
            low = self.history_start - timedelta(days=10 * 365)
            return self._moment(low, self.history_start - timedelta(days=1))
        return self._moment(self.history_start, self.start - timedelta(days=1))

    def emit_doublon(self, original: Person, batch: Batch) -> None:
        """The same person recorded a second time, with a typical error, provisoire."""
        rng = self.rng
        kinds = [DoublonError.TYPO, DoublonError.MISSING_BIRTH_PLACE]
        if original.used_name:
            kinds.append(DoublonError.USED_AS_BIRTH_NAME)
        day, month = original.birth_date.day, original.birth_date.month
        if day <= 12 and day != month:
            kinds.append(DoublonError.SWAPPED_DAY_MONTH)
        if any("-" in name for name in original.first_names):
            kinds.append(DoublonError.HYPHEN)
        kind = rng.choice(kinds)
        birth_name = original.birth_name
        used_name = original.used_name
        first_names = " ".join(original.first_names)
        birth_date = original.birth_date
        birth_place: str | None = original.birth_place
        if kind == DoublonError.TYPO:
            birth_name = self.drawer.typo(birth_name)
        elif kind == DoublonError.USED_AS_BIRTH_NAME:
            birth_name, used_name = str(original.used_name), None
        elif kind == DoublonError.SWAPPED_DAY_MONTH:
            birth_date = date(birth_date.year, day, month)
        elif kind == DoublonError.MISSING_BIRTH_PLACE:
            birth_place = None
        else:
            first_names = first_names.replace("-", " ")
        nir = original.extras.get("nir") if rng.random() < 0.25 else None
        local = {"sex": original.sex, "birth_date": birth_date, "birth_place": birth_place}
        if not isinstance(nir, str) or not _coherent(nir, local):
            nir = None
        self.patients += 1
        number = self.patients
        key = f"patient#{number}"
        self.doublons.append((original.key, key, kind))
        household = original.household
        row: dict[str, Any] = {
            "id": number,
            "key": key,
            "birth_name": birth_name,
            "first_names": first_names,
            "birth_date": birth_date,
            "sex": original.sex,
            "birth_place": birth_place,
            "used_name": used_name,
            "used_first_name": original.used_first_name,
            "phone": original.phone if rng.random() < 0.5 else None,
            "email": None,
            "address_line": household.address_line if rng.random() < 0.7 else None,
            "postcode": household.postcode,
            "city": self._city(household.city),
            "medecin_traitant": None,
            "nir": nir,
            "ins": None,
            "ins_oid": None,
            "identity_status": PROVISOIRE,
            "ins_retrieved": False,
            "ins_retrieved_on": None,
            "document_checked": None,
            "document_checked_on": None,
            "collection_method": "SM",
            "douteuse": False,
            "fictive": False,
            "homonyme": False,
            "deceased_on": original.deceased_on,
            "access_opposition": False,
            "insured_key": original.parent.key if original.parent is not None else None,
            "created_at": self._moment(self.history_start, self.start - timedelta(days=1)),
            **self._search_columns(birth_name, first_names, used_name),
        }
        batch.patient.append(row)
        if self.on_patient is not None:
            self.on_patient(number, original, row["created_at"].date())
        truth = _truth(original)
        if truth is not None and rng.random() < 0.5:
            self._add_coverage(batch, number, truth)
