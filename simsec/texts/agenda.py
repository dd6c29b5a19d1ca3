"""French messages for the codes of ``simsec.rules.agenda``.

Each template is marked with ``N_`` for extraction and translated with ``_`` when shown;
its ``{placeholders}`` are the issue's parameters (date-times are formatted first).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from simsec.i18n import N_, _, format_date, format_datetime
from simsec.rules.agenda import AgendaCode, AgendaIssue, Conflict, ConflictScope, Weekday

__all__ = [
    "AGENDA_TEMPLATES",
    "agenda_issue_message",
    "conflict_message",
    "weekday_label",
]

AGENDA_TEMPLATES: Final[Mapping[AgendaCode, str]] = {
    AgendaCode.UNKNOWN_DAY: N_(
        "Jour « {value} » inconnu : mon, tue, wed, thu, fri, sat ou sun attendu."
    ),
    AgendaCode.NOT_A_LIST: N_(
        "Les horaires d'un jour s'écrivent en liste, par exemple [\"08:30-12:00\"]."
    ),
    AgendaCode.MALFORMED_RANGE: N_(
        "Plage horaire « {value} » mal écrite : format HH:MM-HH:MM attendu "
        "(par exemple 08:30-12:00)."
    ),
    AgendaCode.INVALID_TIME: N_("Plage horaire « {value} » : heure impossible (de 00:00 à 23:59)."),
    AgendaCode.END_NOT_AFTER_START: N_(
        "Plage horaire « {value} » : la fin doit être après le début."
    ),
    AgendaCode.OVERLAPPING_RANGES: N_("Les plages horaires {first} et {second} se chevauchent."),
    AgendaCode.UNKNOWN_TYPE: N_("Le praticien ne propose pas de rendez-vous de type « {type} »."),
    AgendaCode.INVALID_DURATION: N_("Durée invalide : {minutes} minutes."),
    AgendaCode.OUTSIDE_HOURS: N_(
        "Le rendez-vous du {start} sort des horaires d'ouverture du praticien."
    ),
    AgendaCode.DURING_ABSENCE: N_("Le praticien est absent du {start} au {end}."),
    AgendaCode.PRACTITIONER_BUSY: N_(
        "Le praticien a déjà un rendez-vous ou une réunion de {start} à {end}."
    ),
    AgendaCode.PATIENT_BUSY: N_("Le patient a déjà un rendez-vous de {start} à {end}."),
    AgendaCode.PARTICIPANT_BUSY: N_("{participant} n'est pas disponible de {start} à {end}."),
}

_WEEKDAY_LABELS: Final[Mapping[Weekday, str]] = {
    Weekday.MON: N_("lundi"),
    Weekday.TUE: N_("mardi"),
    Weekday.WED: N_("mercredi"),
    Weekday.THU: N_("jeudi"),
    Weekday.FRI: N_("vendredi"),
    Weekday.SAT: N_("samedi"),
    Weekday.SUN: N_("dimanche"),
}


def weekday_label(day: Weekday) -> str:
    """``mon`` → « lundi »."""
    return _(_WEEKDAY_LABELS[day])


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    if isinstance(value, date):
        return format_date(value, "long")
    return str(value)


def agenda_issue_message(issue: AgendaIssue) -> str:
    """The French (or translated) sentence for an agenda issue."""
    params = {key: _shown(value) for key, value in issue.params.items()}
    return _(AGENDA_TEMPLATES[issue.code]).format(**params)


def conflict_message(conflict: Conflict) -> str:
    """« rdv1 et rdv2 se chevauchent pour le praticien dr_martin (début – fin). »"""
    if conflict.scope is ConflictScope.PATIENT:
        template = _(
            "{first} et {second} se chevauchent pour le patient {owner} ({start} – {end})."
        )
    elif conflict.scope is ConflictScope.PRACTITIONER:
        template = _(
            "{first} et {second} se chevauchent pour le praticien {owner} ({start} – {end})."
        )
    else:
        template = _("{first} et {second} se chevauchent ({start} – {end}).")
    return template.format(
        first=conflict.first,
        second=conflict.second,
        owner=conflict.owner or "",
        start=_shown(conflict.overlap.start),
        end=_shown(conflict.overlap.end),
    )
