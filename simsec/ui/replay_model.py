"""What the replay viewer shows, as plain DTOs (no textual import).

The UI-free core (:mod:`simsec.scenario.replay_view`) holds the steps, the changes and the
rubric; this module puts them in words for the screen (:mod:`simsec.ui.screens.replay`):

- the **timeline**: every record in words (:func:`simsec.reports.timeline.journal_entry`,
  the same wording as the assessor's report), with scenario and wall-clock times, refused
  actions, replays that differ and records past an alteration marked;
- **what the trainee had on screen** at a step: the top bar (:class:`ShellState`, scenario
  clock, open tasks, queue, faults) and the desk (:class:`DeskJournal`, fed with the
  records up to that step, exactly as the live workspace is), and the module in use;
- the **rubric** rows, and the banner of the chain's status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from simsec.i18n import N_, _, ngettext
from simsec.reports.labels import (
    ACTION_LABELS,
    clock,
    label,
    points,
    result_label,
    result_mark,
    wall_clock,
)
from simsec.reports.timeline import Names, journal_entry, text_of, wall_time
from simsec.runlog.records import RecordKind
from simsec.scenario.replay_view import ChainStatus, ReplayView, Step
from simsec.scenario.scoring import CriterionResult
from simsec.ui.views import DeskJournal, ShellState, TaskView

__all__ = [
    "AREA_LABELS",
    "Banner",
    "CriterionRow",
    "DeskCursor",
    "TimelineRow",
    "TraineeScreen",
    "banner",
    "criterion_detail",
    "criterion_rows",
    "parse_seek",
    "sequence_label",
    "step_description",
    "step_title",
    "timeline_rows",
    "trainee_screen",
    "value_text",
]

#: The modules of the simulated ERP, by area of the action catalogue.
AREA_LABELS: Final[Mapping[str, str]] = {
    "desk": N_("Accueil"),
    "identity": N_("Patients et identité"),
    "insurance": N_("Droits et couverture"),
    "payment": N_("Facturation"),
    "agenda": N_("Agenda"),
    "admission": N_("Admission"),
    "access": N_("Accès au dossier"),
    "documents": N_("Courriers et transcription"),
    "statistics": N_("Tableaux de suivi"),
}


# ----------------------------------------------------------------------------- values


def value_text(value: object) -> str:
    """A database value in one line: dates in the usual French way, money and numbers
    as written, yes/no, lists joined; ``—`` for nothing."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S").removesuffix(":00")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return text_of(value)


# ----------------------------------------------------------------------------- banner


@dataclass(frozen=True, slots=True)
class Banner:
    """The status line at the top of the viewer: ``error`` (altered log), ``warning``
    (scenario changed or missing, a replay that differs) or ``ok``."""

    level: str
    text: str


def banner(chain: ChainStatus, *, trial: bool = False) -> Banner:
    """The chain's status for the assessor, the gravest first (``trial``: the run was a
    trainer's trial, ``simsec scenario play``, not an assessed run)."""
    if chain.altered:
        return Banner(
            "error",
            _(
                "JOURNAL ALTÉRÉ : {problem} Les enregistrements à partir du n° {seq} ne sont "
                "pas ceux qui ont été écrits ; ne notez pas sur cette base."
            ).format(problem=chain.problem or "", seq=chain.first_bad_seq),
        )
    warnings: list[str] = []
    if trial:
        warnings.append(
            _("PARTIE D'ESSAI (simsec scenario play) : ce n'est pas une partie évaluée.")
        )
    if chain.scenario_error is not None:
        warnings.append(chain.scenario_error)
    if chain.scenario_changed:
        warnings.append(
            _("SCÉNARIO MODIFIÉ depuis la partie : la grille affichée est la grille actuelle.")
        )
    if chain.divergences:
        warnings.append(
            ngettext(
                "{n} action rejouée donne un autre résultat que pendant la partie.",
                "{n} actions rejouées donnent un autre résultat que pendant la partie.",
                chain.divergences,
            ).format(n=chain.divergences)
        )
    if chain.rebuilt is False:
        warnings.append(_("Le rejeu ne reconstruit pas la base de la partie."))
    warnings += list(chain.warnings)
    if warnings:
        return Banner("warning", " ".join(warnings))
    state = (
        _("partie terminée")
        if chain.complete
        else _("partie interrompue (pas d'enregistrement de fin)")
    )
    return Banner(
        "ok",
        _("Journal intègre : {n} enregistrements, chaîne d'empreintes vérifiée, {state}.").format(
            n=chain.records, state=state
        ),
    )


# ----------------------------------------------------------------------------- timeline


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One record of the timeline, in words."""

    index: int
    seq: int
    t: str
    wall: str
    kind: str
    kind_label: str
    title: str
    detail: str
    ok: bool | None
    verified: bool
    diverged: bool
    changes: int


def step_title(step: Step, names: Names) -> str:
    """A short title of a step (``Facturer (bill)``, ``Visiteur au guichet (arrivee)``)."""
    return journal_entry(step.record, names).title


def timeline_rows(view: ReplayView, names: Names | None = None) -> list[TimelineRow]:
    """Every step of ``view`` as a row of the timeline."""
    names = names if names is not None else Names(view.scenario)
    day = view.scenario.start.date() if view.scenario is not None else None
    rows: list[TimelineRow] = []
    for step in view.steps:
        entry = journal_entry(step.record, names)
        rows.append(
            TimelineRow(
                index=step.index,
                seq=step.seq,
                t=clock(entry.t, day),
                wall=wall_clock(wall_time(step.record.wall)),
                kind=step.kind,
                kind_label=entry.kind_label,
                title=entry.title,
                detail=entry.detail,
                ok=entry.ok,
                verified=step.verified,
                diverged=step.diverged,
                changes=len(step.changes),
            )
        )
    return rows


def parse_seek(text: str, view: ReplayView) -> int | str:
    """Where "aller à" goes: a record number (``12``), or a scenario time (``9:05``,
    ``09:05:30``: the last step at or before it). The step index, or a French error."""
    raw = text.strip()
    if not raw:
        return _("Indiquez un numéro d'enregistrement ou une heure (HH:MM).")
    if raw.isdigit():
        found = view.step_for_seq(int(raw))
        if found is None:
            return _("Aucun enregistrement n° {seq} dans ce journal.").format(seq=raw)
        return found
    parts = raw.replace("h", ":").split(":")
    try:
        numbers = [int(part) if part else 0 for part in parts]
    except ValueError:
        numbers = []
    if not 2 <= len(numbers) <= 3 or not (0 <= numbers[0] < 24 and 0 <= numbers[1] < 60):
        return _("« {text} » n'est ni un numéro d'enregistrement ni une heure (HH:MM).").format(
            text=raw
        )
    seconds = numbers[2] if len(numbers) == 3 else 0
    if not 0 <= seconds < 60:
        return _("« {text} » n'est pas une heure valide.").format(text=raw)
    base = view.scenario.start if view.scenario is not None else view.step(0).t
    if base is None:
        return _("Les heures de ce journal sont illisibles.")
    moment = base.replace(hour=numbers[0], minute=numbers[1], second=seconds, microsecond=0)
    found = view.step_at_time(moment)
    return found if found is not None else 0


# ----------------------------------------------------------------------------- screen


@dataclass(frozen=True, slots=True)
class TraineeScreen:
    """What the trainee had on screen just after a step."""

    shell: ShellState
    desk: DeskJournal
    module: str
    """The module in use (its label)."""


class DeskCursor:
    """The desk as it was after each step: a :class:`DeskJournal` fed with the records
    up to the step, forward incrementally, again from the start when going back."""

    def __init__(self, view: ReplayView) -> None:
        self.view = view
        self._names = {p.key: p.name for p in view.scenario.people} if view.scenario else {}
        self._journal = DeskJournal(self._names)
        self._fed = 0

    def at(self, index: int) -> DeskJournal:
        """The desk after step ``index`` (the same object, moved; do not keep it)."""
        target = max(0, min(index, len(self.view.steps) - 1)) + 1
        if target < self._fed:
            self._journal = DeskJournal(self._names)
            self._fed = 0
        for step in self.view.steps[self._fed : target]:
            if step.kind in (RecordKind.EVENT, RecordKind.ACTION):
                self._journal.absorb(step.record.as_dict())
        self._fed = target
        return self._journal


def trainee_screen(view: ReplayView, index: int, desk: DeskJournal) -> TraineeScreen:
    """The top bar, the desk and the module just after step ``index``."""
    step = view.step(index)
    scenario = view.scenario
    header = view.header
    start = scenario.start if scenario is not None else (view.step(0).t or datetime(2000, 1, 1))
    end = start + scenario.duration if scenario is not None else start
    now = step.t or start
    ended = any(s.kind == RecordKind.END for s in view.steps[: index + 1])
    tasks = tuple(TaskView(t.id, t.text, t.opened_at, False) for t in view.open_tasks_at(index))
    waiting = desk.waiting()
    shell = ShellState(
        structure=scenario.structure.name if scenario is not None else "",
        trainee=view.trainee,
        scenario_title=scenario.title if scenario is not None else _scenario_id(header),
        now=now,
        start=start,
        end=end,
        guided=scenario.guidance == "guided" if scenario is not None else False,
        tasks=tasks,
        waiting_visitors=sum(1 for p in waiting if p.channel == "visitor"),
        ringing_calls=sum(1 for p in waiting if p.channel == "call"),
        unread_messages=len(desk.inbox),
        faults=tuple(desk.faults_at(now)),
        attending=desk.attending,
        ended=ended,
        speed=1.0,
    )
    area = view.area_at(index) or "desk"
    return TraineeScreen(shell, desk, label(AREA_LABELS, area))


def _scenario_id(header: object) -> str:
    info = getattr(header, "body", {}).get("scenario") if header is not None else None
    return str(info.get("id") or "") if isinstance(info, Mapping) else ""


# ----------------------------------------------------------------------------- rubric


@dataclass(frozen=True, slots=True)
class CriterionRow:
    """A criterion of the rubric, as the grid shows it."""

    id: str
    mark: str
    label: str
    competency: str
    status: str
    points: str
    manual: bool
    graded: bool
    passed: bool | None


def criterion_rows(view: ReplayView) -> list[CriterionRow]:
    """The rubric of the run: pass or fail per automatic criterion, grade or "to grade"
    per manual one."""
    if view.report is None:
        return []
    rows = []
    for result in view.report.criteria:
        graded = result.grade is not None
        rows.append(
            CriterionRow(
                id=result.id,
                mark=result_mark(result.passed, result.manual, graded),
                label=result.label,
                competency=result.competency,
                status=result_label(result.passed, result.manual, graded),
                points=f"{points(result.points)} / {points(result.max)}",
                manual=result.manual,
                graded=graded,
                passed=result.passed,
            )
        )
    return rows


def criterion_detail(view: ReplayView, result: CriterionResult, names: Names) -> str:
    """The detail of a criterion: its result, why, its evidence (record number, time,
    what) and, for a manual one, its grades."""
    lines = [
        f"{result.label}",
        _("{status} · {points} · compétence {code}").format(
            status=result_label(result.passed, result.manual, result.grade is not None),
            points=f"{points(result.points)} / {points(result.max)}",
            code=result.competency,
        ),
    ]
    if result.criterion:
        lines.append(_("Critère du référentiel : {text}").format(text=result.criterion))
    if result.detail:
        lines.append(result.detail)
    steps = view.evidence_steps(result.id)
    if result.evidence or steps:
        lines.append(_("Preuves (Entrée ou J pour y aller) :"))
    for item in result.evidence:
        index = view.evidence_step(item)
        step = view.step(index) if index is not None else None
        if item.kind == "entity":
            where = (
                _("état final ; dernière modification n° {seq} à {time}").format(
                    seq=step.seq, time=clock(step.t)
                )
                if step is not None
                else _("état final")
            )
            lines.append(f"  • {item.what} : {where}")
            continue
        what = label(ACTION_LABELS, item.what) if item.kind == "action" else item.what
        where = (
            _("n° {seq} à {time}").format(seq=step.seq, time=clock(step.t))
            if step is not None
            else _("hors du journal")
        )
        lines.append(f"  • {where} : {what}" + (f" ({item.detail})" if item.detail else ""))
    if result.manual:
        grades = [
            s
            for s in view.steps
            if s.kind == RecordKind.GRADE and s.record.get("criterion") == result.id
        ]
        if not grades:
            lines.append(_("À noter par l'évaluateur (touche M)."))
        for step in grades:
            record = step.record
            comment = str(record.get("comment") or "")
            lines.append(
                _("  • n° {seq} : {points} point(s) par {assessor}").format(
                    seq=record.seq,
                    points=text_of(record.get("points")).replace(".", ","),
                    assessor=record.get("assessor") or "—",
                )
                + (f" — « {comment} »" if comment else "")
            )
    return "\n".join(lines)


def step_description(step: Step, names: Names) -> str:
    """What happened at a step, in words, with the replay's finding when it differs."""
    entry = journal_entry(step.record, names)
    parts = [
        _("N° {seq} · {time} · horloge {wall} · {kind}").format(
            seq=step.seq,
            time=clock(entry.t),
            wall=wall_clock(entry.wall),
            kind=entry.kind_label,
        ),
        entry.title,
    ]
    if entry.detail:
        parts.append(entry.detail)
    if not step.verified:
        parts.append(_("⚠ Enregistrement non vérifié (après l'altération du journal)."))
    if step.replayed is not None:
        replayed = step.replayed
        error = replayed.get("error")
        outcome = (
            _("refusée ({message})").format(message=error.get("message"))
            if isinstance(error, Mapping)
            else _("acceptée")
        )
        parts.append(
            _(
                "≠ Rejouée, l'action donne un autre résultat que dans le journal : {outcome}."
            ).format(outcome=outcome)
        )
    return "\n".join(parts)


def sequence_label(items: Sequence[int], current: int) -> str:
    """``preuve 2 / 3`` for the evidence being shown."""
    if current not in items:
        return ""
    return _("preuve {n} / {total}").format(n=items.index(current) + 1, total=len(items))
