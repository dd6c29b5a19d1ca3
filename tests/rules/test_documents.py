"""Documents: trust level for identity validation, validity, MRZ kinds, assessment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simsec.rules.documents import (
    DocumentFindingCode,
    DocumentKind,
    Holder,
    PresentedDocument,
    TrustLevel,
    ValidityStatus,
    assess_identity_documents,
    carries_mrz,
    effective_expiry,
    kind_info,
    mrz_format_for,
    trust_level,
    validity,
)
from simsec.rules.identity import Severity, load_conventions
from simsec.rules.mrz import MrzFormat
from simsec.texts.documents import (
    FINDING_TEMPLATES,
    KIND_LABELS,
    finding_message,
    kind_label,
    trust_label,
    validity_message,
)

ON = date(2026, 3, 2)
K = DocumentKind


# --------------------------------------------------------------------------- trust


@pytest.mark.parametrize(
    ("kind", "level"),
    [
        (K.CNI, TrustLevel.HIGH),
        (K.PASSEPORT, TrustLevel.HIGH),
        (K.TITRE_SEJOUR, TrustLevel.HIGH),
        (K.LIVRET_FAMILLE, TrustLevel.CONDITIONAL),
        (K.ACTE_NAISSANCE, TrustLevel.CONDITIONAL),
        (K.CARTE_VITALE, TrustLevel.INSUFFICIENT),
        (K.PERMIS_CONDUIRE, TrustLevel.INSUFFICIENT),
        (K.CARTE_MUTUELLE, TrustLevel.INSUFFICIENT),
        (K.ORDONNANCE, TrustLevel.INSUFFICIENT),
    ],
)
def test_trust_levels(kind: DocumentKind, level: TrustLevel) -> None:
    assert trust_level(kind) is level


def test_every_kind_of_the_scenario_format_is_in_the_table() -> None:
    for kind in DocumentKind:
        assert kind_info(kind).kind is kind
    assert {k for k in DocumentKind if trust_level(k) is TrustLevel.HIGH} == {
        K.CNI,
        K.PASSEPORT,
        K.TITRE_SEJOUR,
    }


@pytest.mark.parametrize(
    ("kind", "state", "level"),
    [
        (K.CNI, "DEU", TrustLevel.HIGH),
        (K.CNI, "che", TrustLevel.HIGH),
        (K.CNI, "MCO", TrustLevel.HIGH),
        (K.CNI, "USA", TrustLevel.INSUFFICIENT),
        (K.CNI, "GBR", TrustLevel.INSUFFICIENT),
        (K.PASSEPORT, "USA", TrustLevel.HIGH),
        (K.TITRE_SEJOUR, "FRA", TrustLevel.HIGH),
        (K.TITRE_SEJOUR, "ITA", TrustLevel.INSUFFICIENT),
    ],
)
def test_trust_depends_on_the_issuing_state(
    kind: DocumentKind, state: str, level: TrustLevel
) -> None:
    assert trust_level(kind, state) is level


def test_validation_modes_are_fr_core_codes() -> None:
    modes = {k: kind_info(k).validation_mode for k in DocumentKind}
    assert (modes[K.CNI], modes[K.PASSEPORT], modes[K.TITRE_SEJOUR]) == ("CN", "PA", "CS")
    assert (modes[K.LIVRET_FAMILLE], modes[K.ACTE_NAISSANCE]) == ("LE", "AN")
    assert modes[K.PERMIS_CONDUIRE] is None


def test_kinds_with_an_mrz() -> None:
    assert {k for k in DocumentKind if carries_mrz(k)} == {K.CNI, K.PASSEPORT, K.TITRE_SEJOUR}


@pytest.mark.parametrize(
    ("kind", "issued", "mrz_format"),
    [
        (K.CNI, date(2019, 6, 1), MrzFormat.FR_CNI_1988),
        (K.CNI, date(2021, 8, 1), MrzFormat.FR_CNI_1988),
        (K.CNI, date(2021, 8, 2), MrzFormat.TD1),
        (K.CNI, None, MrzFormat.TD1),
        (K.PASSEPORT, date(2019, 6, 1), MrzFormat.TD3),
        (K.TITRE_SEJOUR, date(2023, 1, 1), MrzFormat.TD1),
        (K.CARTE_VITALE, date(2023, 1, 1), None),
    ],
)
def test_mrz_format_for(
    kind: DocumentKind, issued: date | None, mrz_format: MrzFormat | None
) -> None:
    assert mrz_format_for(kind, issued) is mrz_format


# --------------------------------------------------------------------------- validity


@pytest.mark.parametrize(
    ("expires", "status"),
    [
        (date(2031, 4, 30), ValidityStatus.VALID),
        (ON, ValidityStatus.VALID),
        (ON - timedelta(days=1), ValidityStatus.EXPIRED_TOLERATED),
        (date(2021, 3, 2), ValidityStatus.EXPIRED_TOLERATED),
        (date(2021, 3, 1), ValidityStatus.EXPIRED_TOO_LONG),
        (None, ValidityStatus.NO_EXPIRY),
    ],
)
def test_validity_with_the_default_tolerance(expires: date | None, status: ValidityStatus) -> None:
    assert load_conventions(ON).expired_document_tolerance_years == 5
    assert validity(K.CNI, on=ON, expires=expires).status is status


def test_the_tolerance_is_a_parameter() -> None:
    expired = ON - timedelta(days=1)
    assert validity(K.PASSEPORT, on=ON, expires=expired, tolerance_years=0).status is (
        ValidityStatus.EXPIRED_TOO_LONG
    )
    two_years = date(2024, 3, 1)
    assert validity(K.PASSEPORT, on=ON, expires=two_years, tolerance_years=1).status is (
        ValidityStatus.EXPIRED_TOO_LONG
    )
    assert validity(K.PASSEPORT, on=ON, expires=two_years, tolerance_years=3).status is (
        ValidityStatus.EXPIRED_TOLERATED
    )


def test_kinds_not_accepted_once_expired() -> None:
    result = validity(K.CARTE_VITALE, on=ON, expires=date(2025, 1, 1))
    assert result.status is ValidityStatus.EXPIRED
    assert not result.acceptable


def test_issued_after_the_check_is_inconsistent() -> None:
    result = validity(K.CNI, on=ON, expires=date(2036, 1, 1), issued=date(2026, 3, 3))
    assert result.status is ValidityStatus.NOT_YET_ISSUED


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=0, max_value=10),
)
def test_acceptable_until_the_tolerance_ends(expires: date, years: int) -> None:
    result = validity(K.PASSEPORT, on=ON, expires=expires, tolerance_years=years)
    try:
        limit = expires.replace(year=expires.year + years)
    except ValueError:
        limit = expires.replace(year=expires.year + years, day=28)
    assert result.acceptable is (limit >= ON)
    assert (result.status is ValidityStatus.VALID) is (expires >= ON)


@pytest.mark.parametrize(
    ("issued", "birth", "expiry"),
    [
        (date(2010, 5, 1), date(1970, 1, 1), date(2025, 4, 30)),  # adult, 2004-2013: +5 years
        (date(2004, 1, 2), date(1970, 1, 1), date(2019, 1, 1)),
        (date(2010, 5, 1), date(2000, 1, 1), date(2020, 4, 30)),  # minor at issue
        (date(2014, 5, 1), date(1970, 1, 1), date(2024, 4, 30)),  # after 2013
        (date(2010, 5, 1), None, date(2020, 4, 30)),  # birth date unknown
    ],
)
def test_cni_issued_2004_2013_to_adults_is_valid_15_years(
    issued: date, birth: date | None, expiry: date
) -> None:
    printed = issued.replace(year=issued.year + 10) - timedelta(days=1)
    assert effective_expiry(K.CNI, printed, issued=issued, holder_birth_date=birth) == expiry
    assert effective_expiry(K.PASSEPORT, printed, issued=issued, holder_birth_date=birth) == printed


# --------------------------------------------------------------------------- assessment

CNI = PresentedDocument(K.CNI, expires=date(2031, 4, 30), issued=date(2021, 5, 1))
PARENT_CNI = PresentedDocument(K.CNI, holder=Holder.PARENT, expires=date(2030, 1, 1))
TUTOR_PASSPORT = PresentedDocument(K.PASSEPORT, holder=Holder.TUTEUR, expires=date(2030, 1, 1))
LIVRET = PresentedDocument(K.LIVRET_FAMILLE)
ACTE = PresentedDocument(K.ACTE_NAISSANCE)
JUGEMENT = PresentedDocument(K.JUGEMENT_TUTELLE)
VITALE = PresentedDocument(K.CARTE_VITALE)


@pytest.mark.parametrize(
    ("documents", "options", "mode", "first_code"),
    [
        ([CNI], {}, "CN", DocumentFindingCode.ACCEPTED_HIGH_TRUST),
        ([VITALE, CNI], {}, "CN", DocumentFindingCode.ACCEPTED_HIGH_TRUST),
        (
            [PresentedDocument(K.PASSEPORT, expires=date(2024, 1, 1))],
            {},
            "PA",
            DocumentFindingCode.ACCEPTED_HIGH_TRUST,
        ),
        (
            [PresentedDocument(K.TITRE_SEJOUR, expires=date(2027, 1, 1))],
            {},
            "CS",
            DocumentFindingCode.ACCEPTED_HIGH_TRUST,
        ),
        (
            [PresentedDocument(K.CNI, issuing_state="DEU", expires=date(2030, 1, 1))],
            {},
            "CN",
            DocumentFindingCode.ACCEPTED_HIGH_TRUST,
        ),
        (
            [LIVRET, PARENT_CNI],
            {"patient_minor": True},
            "LE",
            DocumentFindingCode.ACCEPTED_MINOR_WITH_PARENT,
        ),
        (
            [ACTE, TUTOR_PASSPORT, JUGEMENT],
            {"patient_minor": True},
            "AN",
            DocumentFindingCode.ACCEPTED_MINOR_WITH_GUARDIAN,
        ),
        (
            [LIVRET, VITALE],
            {"ehpad_direct_admission": True},
            "LECV",
            DocumentFindingCode.ACCEPTED_EHPAD_WITH_VITALE,
        ),
        (
            [ACTE, VITALE],
            {"ehpad_direct_admission": True},
            "ANCV",
            DocumentFindingCode.ACCEPTED_EHPAD_WITH_VITALE,
        ),
    ],
)
def test_accepted_document_sets(
    documents: list[PresentedDocument],
    options: dict[str, bool],
    mode: str,
    first_code: DocumentFindingCode,
) -> None:
    result = assess_identity_documents(documents, on=ON, **options)
    assert result.accepted
    assert result.validation_mode == mode
    assert result.findings[0].code is first_code
    assert result.findings[0].severity is Severity.INFO


def test_expired_but_tolerated_is_accepted_with_a_warning() -> None:
    passport = PresentedDocument(K.PASSEPORT, expires=date(2024, 1, 1))
    result = assess_identity_documents([passport], on=ON)
    assert result.accepted
    assert [(f.code, f.severity) for f in result.findings[1:]] == [
        (DocumentFindingCode.EXPIRED_TOLERATED, Severity.WARNING)
    ]


@pytest.mark.parametrize(
    ("documents", "options", "expected"),
    [
        ([], {}, [DocumentFindingCode.NO_DOCUMENT]),
        ([VITALE], {}, [DocumentFindingCode.INSUFFICIENT_TRUST]),
        ([PresentedDocument(K.PERMIS_CONDUIRE)], {}, [DocumentFindingCode.INSUFFICIENT_TRUST]),
        (
            [PresentedDocument(K.CNI, expires=date(2020, 1, 1))],
            {},
            [DocumentFindingCode.EXPIRED_TOO_LONG],
        ),
        (
            [PresentedDocument(K.CNI, expires=date(2030, 1, 1), mrz_ok=False)],
            {},
            [DocumentFindingCode.MRZ_INVALID],
        ),
        (
            [PresentedDocument(K.CNI, issuing_state="USA", expires=date(2030, 1, 1))],
            {},
            [DocumentFindingCode.STATE_NOT_ACCEPTED],
        ),
        ([LIVRET], {}, [DocumentFindingCode.CONDITIONAL_NOT_APPLICABLE]),
        ([PARENT_CNI], {}, [DocumentFindingCode.NOT_THE_PATIENTS_DOCUMENT]),
        ([LIVRET], {"patient_minor": True}, [DocumentFindingCode.NEEDS_PARENT_DOCUMENT]),
        ([PARENT_CNI], {"patient_minor": True}, [DocumentFindingCode.NEEDS_BIRTH_RECORD]),
        (
            [ACTE, TUTOR_PASSPORT],
            {"patient_minor": True},
            [DocumentFindingCode.NEEDS_COURT_DECISION],
        ),
        (
            [LIVRET, PresentedDocument(K.CARTE_VITALE, has_photo=False)],
            {"ehpad_direct_admission": True},
            [DocumentFindingCode.NEEDS_VITALE_WITH_PHOTO, DocumentFindingCode.INSUFFICIENT_TRUST],
        ),
        (
            [LIVRET, PresentedDocument(K.CNI, holder=Holder.PARENT, expires=date(2010, 1, 1))],
            {"patient_minor": True},
            [DocumentFindingCode.EXPIRED_TOO_LONG, DocumentFindingCode.NEEDS_PARENT_DOCUMENT],
        ),
    ],
)
def test_refused_document_sets(
    documents: list[PresentedDocument],
    options: dict[str, bool],
    expected: list[DocumentFindingCode],
) -> None:
    result = assess_identity_documents(documents, on=ON, **options)
    assert not result.accepted
    assert result.validation_mode is None
    assert [f.code for f in result.findings] == expected
    assert all(f.severity is Severity.ERROR for f in result.findings)


def test_kind_and_holder_accept_strings() -> None:
    document = PresentedDocument("passeport", holder="parent")  # type: ignore[arg-type]
    assert (document.kind, document.holder) == (K.PASSEPORT, Holder.PARENT)


# --------------------------------------------------------------------------- texts


def test_every_code_has_a_french_text() -> None:
    assert set(FINDING_TEMPLATES) == set(DocumentFindingCode)
    assert set(KIND_LABELS) == set(DocumentKind)
    assert trust_label(TrustLevel.HIGH) == "haut niveau de confiance"


def test_texts_render_their_parameters() -> None:
    passport = PresentedDocument(K.PASSEPORT, expires=date(2024, 1, 1))
    result = assess_identity_documents([passport], on=ON)
    assert [finding_message(f) for f in result.findings] == [
        "Passeport : dispositif d'identification à haut niveau de confiance, l'identité peut "
        "être validée.",
        "Passeport expiré depuis le 1 janvier 2024 : accepté, la tolérance de la structure "
        "est de 5 ans après l'expiration.",
    ]
    refused = assess_identity_documents([LIVRET], on=ON, patient_minor=True)
    assert finding_message(refused.findings[0]).startswith("Patient mineur : le livret de famille")
    assert kind_label("cni") == "carte nationale d'identité"
    assert validity_message(validity(K.CNI, on=ON, expires=date(2031, 4, 30))) == (
        "Valide jusqu'au 30 avril 2031."
    )
