"""The competence catalogue: packaged content, API, extra files, malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from simsec.rules.competencies import (
    CatalogueCode,
    CatalogueError,
    CompetenceKind,
    load_catalogue,
)

SPEC_CODES = {
    "SAMA.1": "SAMA.1",
    "SAMA.1.1": "SAMA.1",
    "SAMA.1.2": "SAMA.1",
    "SAMA.1.3": "SAMA.1",
    "SAMA.1.4": "SAMA.1",
    "SAMA.2": "SAMA.2",
    "SAMA.2.1": "SAMA.2",
    "SAMA.2.2": "SAMA.2",
    "SAMA.2.3": "SAMA.2",
    "SAMS.1": "SAMS.1",
    "SAMS.1.1": "SAMS.1",
    "SAMS.1.2": "SAMS.1",
    "SAMS.1.3": "SAMS.1",
    "SAMS.1.4": "SAMS.1",
    "SAMS.1.5": "SAMS.1",
    "SAMS.2": "SAMS.2",
    "SAMS.2.1": "SAMS.2",
    "SAMS.2.2": "SAMS.2",
    "SAMS.2.3": "SAMS.2",
    "SAMS.3": "SAMS.3",
    "SAMS.3.1": "SAMS.3",
    "SAMS.3.2": "SAMS.3",
    "SAMS.3.3": "SAMS.3",
    "SAMS.3.4": "SAMS.3",
}


def write(tmp_path: Path, text: str, name: str = "centre.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def issues_of(error: CatalogueError) -> list[tuple[str, CatalogueCode]]:
    return [(i.location, i.code) for i in error.issues]


# --------------------------------------------------------------- packaged file


def test_packaged_catalogue_matches_the_spec() -> None:
    catalogue = load_catalogue()
    for code, ccp in SPEC_CODES.items():
        assert catalogue.is_known(code), code
        assert catalogue.ccp_of(code) == ccp
    for code in ("TR.1", "TR.2", "TR.3"):
        assert catalogue.is_known(code)
        assert catalogue.ccp_of(code) is None
        assert catalogue.referential_of(code).transversal
    assert len(catalogue) == len(SPEC_CODES) + 3
    assert set(catalogue.referentials) == {"SAMA", "SAMS", "TR"}


def test_labels_kinds_and_children() -> None:
    catalogue = load_catalogue()
    entry = catalogue["SAMA.1.2"]
    assert entry.label == "Gérer les plannings et les agendas des professionnels de santé"
    assert entry.kind is CompetenceKind.COMPETENCE
    assert catalogue["SAMS.2"].kind is CompetenceKind.CCP
    assert [c.code for c in catalogue.children("SAMA.2")] == ["SAMA.2.1", "SAMA.2.2", "SAMA.2.3"]
    assert catalogue.referential_of("SAMS.3.4").label == "Secrétaire assistant médico-social"


def test_unknown_codes() -> None:
    catalogue = load_catalogue()
    assert not catalogue.is_known("SAMA.3")
    assert not catalogue.is_known("SAMA")  # a referential is not a taggable code
    assert catalogue.get("SAMA.9.9") is None
    assert "SAMA.9.9" not in catalogue
    with pytest.raises(KeyError):
        catalogue.ccp_of("SAMA.9.9")


def test_performance_criteria() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.criteria) == 15
    posture = catalogue.criterion("La posture est adaptée aux circonstances")
    assert posture is not None and posture.manual
    procedures = catalogue.criterion("Les procédures sont respectées")
    assert procedures is not None and not procedures.manual
    assert [c.label for c in catalogue.criteria if c.manual] == [
        "La posture est adaptée aux circonstances"
    ]
    assert catalogue.criterion("Inventé") is None


def test_packaged_catalogue_is_cached() -> None:
    assert load_catalogue() is load_catalogue()


# ------------------------------------------------------------------ extra files

CENTRE = """\
format: simsec/competencies@1
referentials:
  - {code: CTR, label: "Référentiel du centre"}
ccps:
  - {code: CTR.1, label: "Accueil téléphonique"}
competencies:
  - {code: CTR.1.1, ccp: CTR.1, label: "Prendre un message complet"}
  - {code: SAMA.1.5, ccp: SAMA.1, label: "Utiliser le logiciel métier"}
criteria:
  - {label: "Le message est complet"}
"""


def test_extra_file_adds_codes(tmp_path: Path) -> None:
    catalogue = load_catalogue(extra=write(tmp_path, CENTRE))
    assert catalogue.ccp_of("CTR.1.1") == "CTR.1"
    assert catalogue.ccp_of("SAMA.1.5") == "SAMA.1"
    assert catalogue.is_known("SAMA.1.1")
    assert catalogue.criterion("Le message est complet") is not None
    assert [c.code for c in catalogue.children("SAMA.1")][-1] == "SAMA.1.5"
    # the packaged catalogue is unchanged
    assert not load_catalogue().is_known("CTR.1.1")


def test_extra_file_cannot_redefine_a_code(tmp_path: Path) -> None:
    text = """\
format: simsec/competencies@1
competencies:
  - {code: SAMA.1.1, ccp: SAMA.1, label: "Autre libellé"}
criteria:
  - {label: "Les procédures sont respectées"}
"""
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(extra=[write(tmp_path, text)])
    assert issues_of(caught.value) == [
        ("competencies[0].code", CatalogueCode.DUPLICATE_CODE),
        ("criteria[0].label", CatalogueCode.DUPLICATE_CRITERION),
    ]
    assert caught.value.issues[0].line == 3


def test_main_file_can_be_replaced(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
format: simsec/competencies@1
referentials: [{code: X, label: "X", transversal: true}]
competencies: [{code: X.1, referential: X, label: "Seule compétence"}]
""",
    )
    catalogue = load_catalogue(path)
    assert [c.code for c in catalogue] == ["X.1"]
    assert catalogue.criteria == ()


# -------------------------------------------------------------- malformed files


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "competencies:\n  - {code: SAMA.1.9, ccp: SAMA.7, label: L}\n",
            [("competencies[0].ccp", CatalogueCode.UNKNOWN_CCP)],
        ),
        (
            "competencies:\n  - {code: SAMS.1.9, ccp: SAMA.1, label: L}\n",
            [("competencies[0].code", CatalogueCode.CODE_PARENT_MISMATCH)],
        ),
        (
            "competencies:\n  - {code: SAMA.1.9, label: L}\n",
            [("competencies[0]", CatalogueCode.CCP_OR_REFERENTIAL)],
        ),
        (
            "competencies:\n  - {code: SAMA.1.9, referential: SAMA, label: L}\n",
            [("competencies[0].referential", CatalogueCode.CCP_REQUIRED)],
        ),
        (
            "competencies:\n  - {code: TR.9, referential: NOPE, label: L}\n",
            [("competencies[0].referential", CatalogueCode.UNKNOWN_REFERENTIAL)],
        ),
        (
            "competencies:\n  - {code: sama-1, ccp: SAMA.1, label: L}\n",
            [("competencies[0].code", CatalogueCode.BAD_CODE)],
        ),
        (
            "ccps:\n  - {code: NOPE.1, label: L}\n",
            [("ccps[0].code", CatalogueCode.UNKNOWN_REFERENTIAL)],
        ),
        (
            "ccps:\n  - {code: TR.4, label: L}\n",
            [("ccps[0].code", CatalogueCode.CCP_IN_TRANSVERSAL)],
        ),
        (
            "ccps:\n  - {code: SAMA.1, label: L}\n",
            [("ccps[0].code", CatalogueCode.DUPLICATE_CODE)],
        ),
        (
            "referentials:\n  - {code: sama, label: L}\n",
            [("referentials[0].code", CatalogueCode.BAD_CODE)],
        ),
        (
            "competencies:\n  - {code: SAMA.1.9, ccp: SAMA.1, label: L, colour: red}\n",
            [("competencies[0].colour", CatalogueCode.SCHEMA)],
        ),
        (
            "competencies:\n  - {code: 1.5, ccp: SAMA.1, label: L}\n",
            [("competencies[0].code", CatalogueCode.SCHEMA)],
        ),
        (
            "criteria:\n  - {label: X, manual: peut-être}\n",
            [("criteria[0].manual", CatalogueCode.SCHEMA)],
        ),
    ],
)
def test_malformed_extra_files(
    tmp_path: Path, body: str, expected: list[tuple[str, CatalogueCode]]
) -> None:
    path = write(tmp_path, "format: simsec/competencies@1\n" + body)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(extra=path)
    assert issues_of(caught.value) == expected
    issue = caught.value.issues[0]
    assert issue.file == str(path)
    assert issue.line == 3  # every bad value above is on the file's third line
    assert f"{path}:3:" in str(caught.value)


def test_wrong_format_and_yaml_syntax(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(extra=write(tmp_path, "format: simsec/competencies@2\n"))
    assert issues_of(caught.value) == [("format", CatalogueCode.SCHEMA)]
    assert caught.value.issues[0].line == 1

    with pytest.raises(CatalogueError) as caught:
        load_catalogue(extra=write(tmp_path, "format: [unclosed\n", "broken.yaml"))
    assert caught.value.issues[0].code is CatalogueCode.YAML_SYNTAX
    assert caught.value.issues[0].line is not None

    with pytest.raises(CatalogueError) as caught:
        load_catalogue(extra=write(tmp_path, "- just\n- a list\n", "list.yaml"))
    assert caught.value.issues[0].code is CatalogueCode.SCHEMA


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(extra=tmp_path / "absent.yaml")
    assert caught.value.issues[0].code is CatalogueCode.UNREADABLE


def test_all_problems_of_all_files_are_reported(tmp_path: Path) -> None:
    first = write(
        tmp_path,
        "format: simsec/competencies@1\nccps:\n  - {code: NOPE.1, label: L}\n",
        "a.yaml",
    )
    second = write(
        tmp_path,
        "format: simsec/competencies@1\ncompetencies:\n"
        "  - {code: SAMA.1.1, ccp: SAMA.1, label: L}\n"
        "  - {code: SAMA.2.9, ccp: SAMA.1, label: L}\n",
        "b.yaml",
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(extra=[first, second])
    assert [(Path(i.file).name, i.line, i.code) for i in caught.value.issues] == [
        ("a.yaml", 3, CatalogueCode.UNKNOWN_REFERENTIAL),
        ("b.yaml", 3, CatalogueCode.DUPLICATE_CODE),
        ("b.yaml", 4, CatalogueCode.CODE_PARENT_MISMATCH),
    ]
