"""People and households of the fake world: who they are, before any database row.

A household shares a surname and an address: a single adult, a couple, a couple with
children, a single parent. Married women may use their husband's name (nom d'usage,
Code civil art. 225-1); children take the father's name, both names (since the loi du 4
mars 2002 in force 2005) or the mother's. Children under 16 are ayants droit of a parent
(they get their own carte Vitale at 16: domain reference §4.1). Twins share a birth date
and place and differ by their first names.

Birth places are real INSEE COG codes (``fake_data/``), in rough French shares: most
people born in metropolitan France (near where they live), some in Corsica and overseas,
about one adult in seven abroad (INSEE, immigrés par pays de naissance, for the country
weights). Births in Paris, Lyon and Marseille are registered in a municipal
arrondissement; births before a merger keep the code of the former commune.

Everything is drawn from one ``random.Random`` in a fixed order, so that a seed gives
the same people on every machine.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from simsec.rules.identity import normalise_name
from simsec.world.pools import NamePools, WeightedPool
from simsec.world.reference import Commune, Country, ReferenceData

__all__ = ["Drawer", "Household", "Person", "Shares"]

#: Fictional telephone ranges reserved by the ARCEP for films and fiction
#: (01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49, 06 39 98) [à vérifier]: no
#: generated number can ring a real subscriber.
FICTION_PHONE_PREFIXES: Final = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49")
FICTION_MOBILE_PREFIX: Final = "06 39 98"
#: Reserved example domains (RFC 2606): no generated address can reach a real mailbox.
EMAIL_DOMAINS: Final = ("example.com", "example.org", "example.net")


@dataclass(frozen=True, slots=True)
class Shares:
    """Proportions used by the generator (simulation knobs, not regulation values).

    Sources for the orders of magnitude: INSEE (households, immigrants by country of
    birth, twins ≈ 1.6 % of births), Assurance maladie (about 12 million people in ALD,
    about 7 million C2S beneficiaries, about 400 000 AME beneficiaries).
    """

    household_single: float = 0.33
    household_couple: float = 0.25
    household_family: float = 0.32
    household_single_parent: float = 0.10
    born_abroad_adult: float = 0.14
    born_abroad_child: float = 0.04
    born_overseas: float = 0.025
    born_in_home_department: float = 0.55
    home_department_households: float = 0.75
    married: float = 0.6
    married_use_husband_name: float = 0.8
    same_sex_couple: float = 0.02
    double_name_child: float = 0.08
    twins: float = 0.016
    former_commune_birth: float = 0.35
    deceased_over_65: float = 0.02
    ame_household: float = 0.05
    ceam_visitor: float = 0.15
    nia: float = 0.12
    used_first_name: float = 0.03
    doublon: float = 0.008
    homonym: float = 0.003
    registry_homonym: float = 0.005
    trait_variant: float = 0.3
    douteuse: float = 0.004
    fictive: float = 0.0005


@dataclass(slots=True)
class Household:
    """Where a family lives: address and department (for the caisse and the births)."""

    number: int
    address_line: str
    postcode: str
    city: str
    department: str
    landline: str | None
    origin: Country | None
    """The country of birth of the family's first adult, when abroad."""
    ame: bool = False


@dataclass(slots=True, eq=False)
class Person:
    """One real person (a patient may be recorded twice: see the doublons)."""

    sex: str
    birth_date: date
    birth_name: str
    first_names: tuple[str, ...]
    birth_place: str
    """The INSEE code of the birth place as the national registry knows it."""
    country: Country | None
    household: Household
    name_origin: Country | None = None
    """The country whose first names the person was given (birth country or family's)."""
    used_name: str | None = None
    used_first_name: str | None = None
    phone: str | None = None
    email: str | None = None
    parent: Person | None = None
    """The insured person whose carte Vitale carries this ayant droit (under 16)."""
    deceased_on: date | None = None
    access_opposition: bool = False
    twin_of: Person | None = None
    number: int = 0
    """The patient number (``patient#<number>``), set when the record is emitted."""
    key: str = ""
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def born_abroad(self) -> bool:
        return self.birth_place.startswith("99")

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


def _cum(weights: Sequence[float]) -> tuple[float, ...]:
    return tuple(itertools.accumulate(weights))


#: Age bands of a lone adult (years, inclusive) and their weights (INSEE, ménages d'une
#: personne: many young adults and many elderly people).
_SINGLE_AGES: Final = ((18, 29, 22), (30, 44, 18), (45, 59, 20), (60, 74, 20), (75, 98, 20))
_COUPLE_AGES: Final = ((24, 34, 15), (35, 49, 20), (50, 64, 30), (65, 79, 25), (80, 95, 10))
_FIRST_NAME_COUNTS: Final = ((1, 30), (2, 45), (3, 22), (4, 3))
_CHILD_COUNTS: Final = ((1, 40), (2, 40), (3, 15), (4, 5))
_KEYBOARD_NEIGHBOURS: Final = {
    "A": "ZQ",
    "B": "VN",
    "C": "XV",
    "D": "SF",
    "E": "ZR",
    "F": "DG",
    "G": "FH",
    "H": "GJ",
    "I": "UO",
    "J": "HK",
    "K": "JL",
    "L": "KM",
    "M": "LN",
    "N": "BM",
    "O": "IP",
    "P": "OM",
    "Q": "AS",
    "R": "ET",
    "S": "QD",
    "T": "RY",
    "U": "YI",
    "V": "CB",
    "W": "XQ",
    "X": "WC",
    "Y": "TU",
    "Z": "AE",
}


class Drawer:
    """Draws people and households from the reference data, with one ``Random``."""

    def __init__(
        self,
        rng: random.Random,
        reference: ReferenceData,
        pools: NamePools,
        start: date,
        shares: Shares,
        home_department: str,
    ) -> None:
        self.rng = rng
        self.ref = reference
        self.pools = pools
        self.start = start
        self.shares = shares
        self.home_department = home_department
        metro = [c for c in reference.communes if not c.department.startswith("97")]
        overseas = [c for c in reference.communes if c.department.startswith("97")]
        self._metro = metro
        self._metro_cum = _cum([c.weight for c in metro])
        self._overseas = overseas
        self._overseas_cum = _cum([c.weight for c in overseas])
        by_department: dict[str, list[Commune]] = {}
        for commune in reference.communes:
            by_department.setdefault(commune.department, []).append(commune)
        self._by_department = {
            dept: (tuple(items), _cum([c.weight for c in items]))
            for dept, items in by_department.items()
        }
        self._arrondissements = {
            code: (items, _cum([a.weight for a in items]))
            for code, items in reference.arrondissements.items()
        }
        self._countries = reference.countries
        self._countries_cum = _cum([c.weight for c in reference.countries])
        self._household_kinds = ("single", "couple", "family", "single_parent")
        self._household_cum = _cum(
            [
                shares.household_single,
                shares.household_couple,
                shares.household_family,
                shares.household_single_parent,
            ]
        )
        self._first_names = {
            key: WeightedPool.of([normalise_name(n).value for n in names], weights)
            for key, (names, weights) in reference.first_names.items()
        }
        self._decades = reference.decades
        self._household_number = 0

    # ------------------------------------------------------------------ small draws

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _pick(self, pool: WeightedPool) -> str:
        return pool.names[bisect.bisect(pool.cum_weights, self.rng.random() * pool.cum_weights[-1])]

    def _weighted_int(self, table: Sequence[tuple[int, int]]) -> int:
        total = sum(w for _, w in table)
        r = self.rng.random() * total
        for value, weight in table:
            r -= weight
            if r < 0:
                return value
        return table[-1][0]

    def _age_in(self, bands: Sequence[tuple[int, int, int]]) -> int:
        total = sum(b[2] for b in bands)
        r = self.rng.random() * total
        for low, high, weight in bands:
            r -= weight
            if r < 0:
                return self.rng.randint(low, high)
        return bands[-1][1]

    def birth_date_for_age(self, age: int) -> date:
        """A birth date giving ``age`` full years on the start date."""
        latest = date(self.start.year - age, self.start.month, 1) - timedelta(days=1)
        latest = min(latest + timedelta(days=self.start.day), self.start - timedelta(days=1))
        return latest - timedelta(days=self.rng.randrange(365))

    def phone(self, mobile: bool = True) -> str:
        prefix = FICTION_MOBILE_PREFIX if mobile else self.rng.choice(FICTION_PHONE_PREFIXES)
        return f"{prefix} {self.rng.randrange(100):02d} {self.rng.randrange(100):02d}"

    # ------------------------------------------------------------------ places

    def commune(self, department: str | None = None) -> Commune:
        if department is not None and department in self._by_department:
            items, cum = self._by_department[department]
        else:
            items, cum = tuple(self._metro), self._metro_cum
        return items[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def country(self) -> Country:
        cum = self._countries_cum
        return self._countries[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def registry_place(self, commune: Commune, birth_date: date) -> str:
        """The code the registry holds for a birth in ``commune`` on ``birth_date``: a
        municipal arrondissement for Paris/Lyon/Marseille, the former commune for a birth
        before a merger (some of the time: the commune nouvelle kept one old code)."""
        arrondissements = self._arrondissements.get(commune.code)
        if arrondissements is not None:
            items, cum = arrondissements
            return items[bisect.bisect(cum, self.rng.random() * cum[-1])].code
        former = self.ref.former_communes.get(commune.code)
        if former and self.chance(self.shares.former_commune_birth):
            candidate = self.rng.choice(former)
            if birth_date < candidate.merged_on:
                return candidate.code
        return commune.code

    def birth_place(
        self, birth_date: date, department: str, abroad: float, country: Country | None = None
    ) -> tuple[str, Country | None]:
        """An INSEE birth place code, and the country when born abroad."""
        r = self.rng.random()
        if country is not None or r < abroad:
            chosen = country or self.country()
            return chosen.code, chosen
        if r < abroad + self.shares.born_overseas:
            cum = self._overseas_cum
            commune = self._overseas[bisect.bisect(cum, self.rng.random() * cum[-1])]
        elif self.chance(self.shares.born_in_home_department):
            commune = self.commune(department)
        else:
            commune = self.commune()
        return self.registry_place(commune, birth_date), None

    def household(self) -> Household:
        self._household_number += 1
        local = self.chance(self.shares.home_department_households)
        commune = self.commune(self.home_department if local else None)
        postcode = commune.postcode
        arrondissements = self._arrondissements.get(commune.code)
        if arrondissements is not None:
            postcode = self.rng.choice(arrondissements[0]).postcode
        number = self.rng.randint(1, 160)
        suffix = " bis" if self.chance(0.03) else ""
        street = self.rng.choice(self.pools.streets)
        return Household(
            number=self._household_number,
            address_line=f"{number}{suffix} {street}",
            postcode=postcode,
            city=commune.name,
            department=commune.department,
            landline=self.phone(mobile=False) if self.chance(0.15) else None,
            origin=None,
        )

    # ------------------------------------------------------------------ names

    def surname(self, country: Country | None) -> str:
        if country is not None and country.names in self.pools.origin_last:
            return self._pick(self.pools.origin_last[country.names])
        return self._pick(self.pools.french_last)

    def _decade_pool(self, year: int, sex: str) -> WeightedPool:
        decade = min(max(year // 10 * 10, self._decades[0]), self._decades[-1])
        return self._first_names[(decade, sex)]

    def first_names(self, sex: str, birth_date: date, country: Country | None) -> tuple[str, ...]:
        """Birth first names, in civil order: the first from the decade (or the origin),
        the next ones often from the grandparents' generation."""
        origin = None
        if country is not None and (country.names, sex) in self.pools.origin_first:
            origin = self.pools.origin_first[(country.names, sex)]
        count = self._weighted_int(_FIRST_NAME_COUNTS)
        names: list[str] = []
        for index in range(count * 3):
            if len(names) >= count:
                break
            if origin is not None:
                name = self._pick(origin)
            elif index == 0:
                name = self._pick(self._decade_pool(birth_date.year, sex))
            else:
                name = self._pick(self._decade_pool(birth_date.year - 30, sex))
            words = {word for existing in names for word in existing.split("-")}
            if not words.intersection(name.split("-")):
                names.append(name)
        return tuple(names)

    # ------------------------------------------------------------------ people

    def person(
        self,
        household: Household,
        sex: str,
        age: int,
        birth_name: str,
        *,
        abroad: float,
        country: Country | None = None,
        name_origin: Country | None = None,
    ) -> Person:
        birth_date = self.birth_date_for_age(age)
        place, born_in = self.birth_place(birth_date, household.department, abroad, country)
        origin = born_in or name_origin
        first = self.first_names(sex, birth_date, origin)
        person = Person(
            sex=sex,
            birth_date=birth_date,
            birth_name=birth_name,
            first_names=first,
            birth_place=place,
            country=born_in,
            household=household,
            name_origin=origin,
        )
        if age >= 16:
            person.phone = self.phone() if self.chance(0.9) else household.landline
            if self.chance(0.45):
                local = first[0].lower().replace(" ", "-").replace("'", "")
                last = birth_name.lower().replace(" ", "-").replace("'", "")
                person.email = f"{local}.{last}@{self.rng.choice(EMAIL_DOMAINS)}"
            if len(first) > 1 and self.chance(self.shares.used_first_name):
                person.used_first_name = first[1]
        if age >= 65 and self.chance(self.shares.deceased_over_65):
            person.deceased_on = self.start - timedelta(days=self.rng.randint(1, 3 * 365))
            person.access_opposition = self.chance(0.1)
        return person

    def family(self) -> list[Person]:
        """One household and its members (the first adult first)."""
        household = self.household()
        kind = self._household_kinds[
            bisect.bisect(self._household_cum, self.rng.random() * self._household_cum[-1])
        ]
        abroad = self.shares.born_abroad_adult
        first_country = self.country() if self.chance(abroad) else None
        household.origin = first_country
        if first_country is not None and not first_country.ceam:
            household.ame = self.chance(self.shares.ame_household)
        surname = self.surname(first_country)
        if kind == "single":
            sex = "F" if self.chance(0.53) else "M"
            age = self._age_in(_SINGLE_AGES)
            return [self.person(household, sex, age, surname, abroad=0.0, country=first_country)]
        if kind == "single_parent":
            return self._single_parent(household, surname, first_country)
        return self._couple(household, surname, first_country, with_children=kind == "family")

    def _partner_country(self, first_country: Country | None) -> Country | None:
        if first_country is not None and self.chance(0.6):
            return first_country
        return self.country() if self.chance(self.shares.born_abroad_adult / 2) else None

    def _couple(
        self,
        household: Household,
        surname: str,
        first_country: Country | None,
        *,
        with_children: bool,
    ) -> list[Person]:
        if with_children:
            mother_age = self.rng.randint(25, 52)
            man_age = max(20, mother_age + round(self.rng.gauss(2, 3)))
        else:
            man_age = self._age_in(_COUPLE_AGES)
            mother_age = max(20, man_age - round(self.rng.gauss(2, 3)))
        same_sex = not with_children and self.chance(self.shares.same_sex_couple)
        first_sex, second_sex = "M", "F"
        if same_sex:
            first_sex = second_sex = "M" if self.chance(0.5) else "F"
        man = self.person(household, first_sex, man_age, surname, abroad=0.0, country=first_country)
        partner_country = self._partner_country(first_country)
        partner = self.person(
            household,
            second_sex,
            mother_age,
            self.surname(partner_country),
            abroad=0.0,
            country=partner_country,
        )
        married = (
            not same_sex and min(man_age, mother_age) >= 20 and self.chance(self.shares.married)
        )
        if married and self.chance(self.shares.married_use_husband_name):
            partner.used_name = man.birth_name
        members = [man, partner]
        if with_children:
            members += self._children(household, man, partner, married, mother_age)
        return members

    def _single_parent(
        self, household: Household, surname: str, first_country: Country | None
    ) -> list[Person]:
        sex = "F" if self.chance(0.85) else "M"
        age = self.rng.randint(24, 55)
        parent = self.person(household, sex, age, surname, abroad=0.0, country=first_country)
        return [parent, *self._children(household, parent, None, False, age)]

    def _child_name(self, first: Person, second: Person | None, married: bool, year: int) -> str:
        if second is None:
            return first.birth_name if self.chance(0.6) else self.surname(None)
        father, mother = (first, second) if first.sex == "M" else (second, first)
        r = self.rng.random()
        if year >= 2005 and r < self.shares.double_name_child:
            return f"{father.birth_name} {mother.birth_name}"
        if not married and r > 0.9:
            return mother.birth_name
        return father.birth_name

    def _children(
        self,
        household: Household,
        first: Person,
        second: Person | None,
        married: bool,
        parent_age: int,
    ) -> list[Person]:
        count = self._weighted_int(_CHILD_COUNTS)
        age = min(24, parent_age - self.rng.randint(22, 35))
        children: list[Person] = []
        origin = household.origin
        for _ in range(count):
            if age < 0:
                break
            sex = "M" if self.chance(0.51) else "F"
            year = self.start.year - age
            child = self.person(
                household,
                sex,
                age,
                self._child_name(first, second, married, year),
                abroad=self.shares.born_abroad_child if origin is not None else 0.0,
                name_origin=origin,
            )
            if age < 16:
                child.parent = first
            children.append(child)
            if self.chance(self.shares.twins):
                twin = self._twin(child)
                if age < 16:
                    twin.parent = first
                children.append(twin)
            age -= self.rng.randint(1, 5)
        return children

    def _twin(self, child: Person) -> Person:
        sex = "M" if self.chance(0.5) else "F"
        names: tuple[str, ...] = child.first_names
        for _ in range(10):
            names = self.first_names(sex, child.birth_date, child.name_origin)
            if names[0] != child.first_names[0]:
                break
        return Person(
            sex=sex,
            birth_date=child.birth_date,
            birth_name=child.birth_name,
            first_names=names,
            birth_place=child.birth_place,
            country=child.country,
            household=child.household,
            name_origin=child.name_origin,
            phone=child.phone,
            twin_of=child,
        )

    # ------------------------------------------------------------------ look-alikes

    def homonym(self, original: Person) -> Person:
        """Another person with the same birth name, first first name, birth date and
        sex, born elsewhere, living elsewhere (RNIV: homonymie, never to be merged)."""
        household = self.household()
        place = original.birth_place
        country: Country | None = original.country
        for _ in range(10):
            place, country = self.birth_place(
                original.birth_date, household.department, self.shares.born_abroad_adult
            )
            if place != original.birth_place:
                break
        others = self.first_names(original.sex, original.birth_date, country)
        first = (original.first_names[0], *[n for n in others[1:] if n != original.first_names[0]])
        return Person(
            sex=original.sex,
            birth_date=original.birth_date,
            birth_name=original.birth_name,
            first_names=first,
            birth_place=place,
            country=country,
            household=household,
            phone=self.phone() if self.chance(0.9) else None,
        )

    def typo(self, name: str) -> str:
        """``name`` with one typing error: a neighbouring key, a dropped or doubled
        letter, or two letters swapped."""
        letters = [i for i, ch in enumerate(name) if ch.isalpha()]
        if len(letters) < 3:
            return name + "E"
        i = self.rng.choice(letters[1:])
        kind = self.rng.randrange(4)
        if kind == 0:
            neighbours = _KEYBOARD_NEIGHBOURS.get(name[i], "E")
            return name[:i] + self.rng.choice(neighbours) + name[i + 1 :]
        if kind == 1:
            return name[:i] + name[i + 1 :]
        if kind == 2:
            return name[:i] + name[i] + name[i:]
        j = i - 1
        if not name[j].isalpha() or name[j] == name[i]:
            return name[:i] + name[i] + name[i:]
        return name[:j] + name[i] + name[j] + name[i + 1 :]
