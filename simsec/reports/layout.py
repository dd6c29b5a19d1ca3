"""The layout of the assessor's report: one sequence of blocks, rendered as Markdown or HTML.

The issue "Assessor and trainer tools": the layout follows the certification grid (CCP,
then competence, then criterion) so that a jury member recognises their own document;
it shows the assessor's grades and comments and a summary of the timeline (response
times to visitors and calls, errors refused by the rules), then the whole journal.
Both renderers (:mod:`simsec.reports.markdown`, :mod:`simsec.reports.html`) lay out
the same blocks, so that the two documents always say the same thing; the HTML one adds
the wall-clock time of each record as a secondary column (``wall=True``).

Every text here is plain (never markup): each renderer escapes it for its format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from simsec.i18n import _, format_date, ngettext
from simsec.reports.labels import (
    GUIDANCE_LABELS,
    OUTCOME_LABELS,
    clock,
    delay,
    label,
    percent,
    points,
    result_label,
    result_mark,
    score_fraction,
    wall_clock,
)
from simsec.reports.model import (
    CcpGroup,
    CheckStatus,
    CompetenceGroup,
    CriterionRow,
    RunReport,
)

__all__ = [
    "Banner",
    "Block",
    "Bullets",
    "Heading",
    "KeyValues",
    "Paragraph",
    "Row",
    "Table",
    "report_blocks",
]

Align = Literal["left", "right"]

_STATUS_MARKS = {CheckStatus.OK: "✔", CheckStatus.WARNING: "⚠", CheckStatus.ERROR: "✘"}


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    code: str = ""
    """An identifier shown next to the text (a CCP or competence code)."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    note: bool = False
    """A secondary remark (smaller, in italics)."""


@dataclass(frozen=True, slots=True)
class Banner:
    """A warning the jury cannot miss (a broken chain, a replay that differs)."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    strong: bool = False
    status: str = ""
    """``ok``, ``ko`` or empty: a colour hint for the HTML rendering."""


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    align: tuple[Align, ...] = ()
    wall_column: int | None = None
    """The index of a wall-clock column (HTML only: the Markdown report leaves it out)."""
    css: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    children: tuple[str, ...] = ()
    strong: str = ""
    """A bold lead-in before ``text``."""
    code: str = ""
    """An identifier after ``text`` (a criterion id)."""


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class KeyValues:
    pairs: tuple[tuple[str, str], ...] = field(default_factory=tuple)


Block = Heading | Paragraph | Banner | Table | Bullets | KeyValues


# ---------------------------------------------------------------------- sections


def _banner(report: RunReport) -> Iterator[Block]:
    verification = report.verification
    if not verification.chain_ok:
        yield Banner(
            _("JOURNAL ALTÉRÉ"),
            (
                _(
                    "La chaîne d'empreintes est rompue à l'enregistrement n° {seq} : le "
                    "journal n'est plus celui que la partie a écrit."
                ).format(seq=verification.first_bad_seq),
                _(
                    "Ce rapport montre ce que contient le fichier, mais il ne peut pas servir "
                    "de preuve pour l'évaluation."
                ),
            ),
        )
    elif report.findings:
        yield Banner(_("RAPPORT À VÉRIFIER"), tuple(report.findings))


def _party(report: RunReport) -> Iterator[Block]:
    header = report.header
    yield Heading(2, _("Partie"))
    pairs: list[tuple[str, str]] = [(_("Stagiaire"), header.trainee)]
    if header.solution:
        pairs.append((_("Solution de référence"), header.solution))
    title = header.scenario_title or header.scenario_id
    pairs.append((_("Scénario"), f"{title} ({header.scenario_id})"))
    if header.structure:
        pairs.append((_("Structure"), header.structure))
    if header.started_wall is not None:
        pairs.append(
            (
                _("Date de la partie"),
                _("{date} à {time} (UTC)").format(
                    date=format_date(header.started_wall.date(), "short"),
                    time=header.started_wall.strftime("%H:%M"),
                ),
            )
        )
    if header.start is not None:
        pairs.append(
            (
                _("Horloge du scénario"),
                _("{date}, de {start} à {end}").format(
                    date=format_date(header.start.date(), "full"),
                    start=clock(header.start),
                    end=clock(header.end, report.day),
                ),
            )
        )
    if header.guidance:
        pairs.append((_("Mode"), label(GUIDANCE_LABELS, header.guidance)))
    pairs.append(
        (
            _("Journal"),
            ngettext(
                "{name} ({n} enregistrement)", "{name} ({n} enregistrements)", header.records
            ).format(name=header.log_name, n=header.records),
        )
    )
    if header.scenario_file:
        sha = header.scenario_sha256[:12]
        pairs.append(
            (
                _("Fichier du scénario"),
                f"{header.scenario_file} (SHA-256 {sha}…)" if sha else header.scenario_file,
            )
        )
    if header.simsec_version:
        pairs.append((_("Version de simsec"), header.simsec_version))
    yield KeyValues(tuple(pairs))


def _verification(report: RunReport) -> Iterator[Block]:
    yield Heading(2, _("Vérification du journal"))
    yield Bullets(
        tuple(
            Item(f"{_STATUS_MARKS[item.status]} {item.message}")
            for item in report.verification.items
        )
    )


def _result(report: RunReport) -> Iterator[Block]:
    yield Heading(2, _("Résultat"))
    totals = report.totals
    if totals is None:
        yield Paragraph(_("La partie n'a pas pu être notée : voir la vérification du journal."))
        return
    rows = [
        Row(
            (
                _("Critères automatiques"),
                points(totals.auto_points),
                points(totals.auto_max),
                percent(totals.percent),
            )
        ),
        Row(
            (
                _("Critères notés par l'évaluateur"),
                points(totals.manual_points),
                points(totals.manual_max),
                "",
            )
        ),
        Row((_("Total"), points(totals.points), points(totals.max), ""), strong=True),
    ]
    yield Table(
        ("", _("Points"), _("Sur"), _("Score")),
        tuple(rows),
        ("left", "right", "right", "right"),
    )
    if totals.manual_open:
        yield Paragraph(
            ngettext(
                "{n} critère attend la note de l'évaluateur : le total est provisoire.",
                "{n} critères attendent la note de l'évaluateur : le total est provisoire.",
                totals.manual_open,
            ).format(n=totals.manual_open),
            note=True,
        )
    yield from _synthesis(report)


def _subtotal(earned: str, maximum: str, pct: int | None) -> str:
    return f"{earned} / {maximum} ({percent(pct)})"


def _synthesis(report: RunReport) -> Iterator[Block]:
    yield Heading(3, _("Synthèse par CCP et par compétence"))
    rows: list[Row] = []
    for ccp in report.grid:
        rows.append(_synthesis_row(ccp.code, ccp.label, ccp, strong=True))
        rows += [_synthesis_row(c.code, c.label, c) for c in ccp.competences]
    yield Table(
        (_("Code"), _("Intitulé"), _("Critères automatiques"), _("Évaluateur")),
        tuple(rows),
        ("left", "left", "right", "right"),
    )


def _synthesis_row(
    code: str, title: str, group: CcpGroup | CompetenceGroup, *, strong: bool = False
) -> Row:
    auto = (
        _subtotal(points(group.auto_points), points(group.auto_max), group.auto_percent)
        if group.auto_max
        else "—"
    )
    manual = score_fraction(group.manual_points, group.manual_max) if group.manual_max else "—"
    return Row((code, title, auto, manual), strong=strong)


def _criterion_result(row: CriterionRow) -> str:
    graded = row.grade is not None and row.grade.points is not None
    mark = result_mark(row.passed, row.manual, graded)
    return f"{mark} {result_label(row.passed, row.manual, graded)}"


def _criterion_details(row: CriterionRow, report: RunReport) -> Item:
    children: list[str] = []
    if row.detail:
        children.append(_("Constat : {detail}").format(detail=row.detail))
    for evidence in row.evidence:
        where = (
            _("n° {seq}, {time}").format(seq=evidence.seq, time=clock(evidence.t, report.day))
            if evidence.seq is not None
            else _("fin de partie")
        )
        children.append(_("Preuve ({where}) : {text}").format(where=where, text=evidence.text))
    if row.feedback:
        children.append(_("Retour au stagiaire : {text}").format(text=row.feedback))
    if row.grade is not None:
        grade = row.grade
        text = _("Évaluateur : {points}").format(points=score_fraction(grade.points, grade.max))
        if grade.comment:
            text += f" — « {grade.comment} »"
        if grade.assessor:
            text += f" ({grade.assessor})"
        children.append(text)
    return Item("", tuple(children), strong=row.label, code=row.id)


def _grid(report: RunReport) -> Iterator[Block]:
    if not report.grid:
        return
    yield Heading(2, _("Grille d'évaluation"))
    for ccp in report.grid:
        yield Heading(3, ccp.label, code=ccp.code)
        for competence in ccp.competences:
            yield Heading(4, competence.label, code=competence.code)
            yield Table(
                (
                    _("Critère"),
                    _("Critère de performance (REAC)"),
                    _("Résultat"),
                    _("Points"),
                ),
                tuple(
                    Row(
                        (
                            row.label,
                            row.reac or "—",
                            _criterion_result(row),
                            score_fraction(row.points, row.max),
                        ),
                        status="" if row.passed is None else ("ok" if row.passed else "ko"),
                    )
                    for row in competence.criteria
                ),
                ("left", "left", "left", "right"),
                css="grid",
            )
            yield Bullets(tuple(_criterion_details(row, report) for row in competence.criteria))


def _grades(report: RunReport) -> Iterator[Block]:
    yield Heading(2, _("Appréciations de l'évaluateur"))
    if not report.grades:
        yield Paragraph(_("Aucune note ni aucun commentaire de l'évaluateur."))
        return
    yield Table(
        (_("N°"), _("Critère"), _("Points"), _("Commentaire"), _("Évaluateur")),
        tuple(
            Row(
                (
                    str(grade.seq) if grade.seq is not None else "—",
                    f"{grade.criterion_label} ({grade.criterion})"
                    if grade.criterion_label
                    else grade.criterion or _("commentaire général"),
                    score_fraction(grade.points, grade.max) if grade.points is not None else "—",
                    grade.comment or "—",
                    grade.assessor or "—",
                )
            )
            for grade in report.grades
        ),
        ("right", "left", "right", "left", "left"),
    )


def _timeline(report: RunReport) -> Iterator[Block]:
    yield Heading(2, _("Déroulement de la partie"))
    counts = report.counts
    yield Paragraph(
        _(
            "{actions} action(s) dont {refused} refusée(s) par les règles, {events} "
            "événement(s) du scénario, {views} écran(s) consulté(s)."
        ).format(
            actions=counts.get("action", 0),
            refused=counts.get("refused", 0),
            events=counts.get("event", 0),
            views=counts.get("view", 0),
        )
    )
    yield Heading(3, _("Prise en charge des visiteurs et des appels"))
    if report.responses:
        yield Table(
            (
                _("N°"),
                _("Arrivée"),
                _("Type"),
                _("Personne"),
                _("Prise en charge"),
                _("Délai"),
                _("Fin de l'échange"),
            ),
            tuple(
                Row(
                    (
                        str(r.seq),
                        clock(r.arrived, report.day),
                        _("Visiteur") if r.kind == "visitor" else _("Appel"),
                        r.person_label,
                        _("n° {seq}, {time}").format(
                            seq=r.attended_seq, time=clock(r.attended, report.day)
                        )
                        if r.attended is not None
                        else _("jamais"),
                        delay(r.delay),
                        _("{time}, {outcome}").format(
                            time=clock(r.ended, report.day),
                            outcome=label(OUTCOME_LABELS, r.outcome),
                        )
                        if r.ended is not None
                        else "—",
                    ),
                    status="ko" if r.attended is None else "",
                )
                for r in report.responses
            ),
            ("right", "left", "left", "left", "left", "right", "left"),
        )
    else:
        yield Paragraph(_("Aucun visiteur ni appel dans cette partie."))
    yield Heading(3, _("Événements du scénario"))
    if report.events:
        yield Table(
            (_("N°"), _("Heure"), _("Type"), _("Ce que le stagiaire a reçu")),
            tuple(
                Row((str(e.seq), clock(e.t, report.day), e.kind_label, e.text))
                for e in report.events
            ),
            ("right", "left", "left", "left"),
        )
    else:
        yield Paragraph(_("Aucun événement."))
    yield Heading(3, _("Actions refusées par les règles"))
    if report.refusals:
        yield Table(
            (_("N°"), _("Heure"), _("Action"), _("Motif du refus"), _("Code")),
            tuple(
                Row(
                    (
                        str(r.seq),
                        clock(r.t, report.day),
                        f"{r.do_label} ({r.do})",
                        r.message or "—",
                        r.code or "—",
                    ),
                    status="ko",
                )
                for r in report.refusals
            ),
            ("right", "left", "left", "left", "left"),
        )
    else:
        yield Paragraph(_("Aucune action refusée."))


def _journal(report: RunReport, wall: bool) -> Iterator[Block]:
    yield Heading(2, _("Journal complet de la partie"))
    yield Paragraph(
        _(
            "Chaque enregistrement du journal, dans l'ordre : heure du scénario, ce qui est "
            "arrivé, ce que le stagiaire a fait et la réponse des règles."
        )
        + (
            " "
            + _(
                "L'heure réelle (UTC) n'est donnée qu'à titre indicatif : elle n'entre "
                "jamais dans la notation."
            )
            if wall
            else ""
        ),
        note=True,
    )
    headers = (_("N°"), _("Heure"), _("Heure réelle (UTC)"), _("Type"), _("Quoi"), _("Détail"))
    rows = tuple(
        Row(
            (
                str(entry.seq),
                clock(entry.t, report.day),
                wall_clock(entry.wall),
                entry.kind_label,
                entry.title,
                entry.detail,
            ),
            status="" if entry.ok is None else ("ok" if entry.ok else "ko"),
        )
        for entry in report.journal
    )
    yield Table(
        headers,
        rows,
        ("right", "left", "left", "left", "left", "left"),
        wall_column=2,
        css="journal",
    )


def report_blocks(report: RunReport, *, wall: bool = False) -> list[Block]:
    """The report as blocks, in reading order (``wall``: the journal mentions the
    wall-clock column that the HTML rendering shows)."""
    header = report.header
    blocks: list[Block] = [
        Heading(
            1,
            _("Rapport d'évaluation : {title}").format(
                title=header.scenario_title or header.scenario_id or header.log_name
            ),
        )
    ]
    for section in (
        _banner(report),
        _party(report),
        _verification(report),
        _result(report),
        _grid(report),
        _grades(report),
        _timeline(report),
        _journal(report, wall),
    ):
        blocks.extend(section)
    return blocks
