"""Messages of the run-log reader and verifier, by stable code (French source, gettext).

Codes come from :class:`simsec.runlog.reader.IssueCode` and
:class:`simsec.runlog.verify.ProblemCode`; ``{placeholders}`` are their parameters.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, Final

from simsec.i18n import N_, _

__all__ = ["issue_message", "problem_message"]

ISSUES: Final[Mapping[str, str]] = {
    "runlog.truncated": N_(
        "Ligne {line} : dernière ligne incomplète ({bytes} octets), ignorée (arrêt brutal "
        "pendant l'écriture)."
    ),
    "runlog.no_final_newline": N_(
        "Ligne {line} : fin de ligne manquante après le dernier enregistrement."
    ),
    "runlog.unreadable_file": N_("Journal illisible : {reason}."),
    "runlog.not_utf8": N_("Ligne {line} : texte non UTF-8 (colonne {column})."),
    "runlog.not_json": N_("Ligne {line} : JSON invalide (colonne {column})."),
    "runlog.not_object": N_("Ligne {line} : un enregistrement est un objet JSON."),
    "runlog.missing_field": N_("Ligne {line} : champ « {field} » manquant."),
    "runlog.bad_field": N_("Ligne {line} : champ « {field} » de type incorrect."),
}

PROBLEMS: Final[Mapping[str, str]] = {
    "verify.unreadable": N_("Enregistrement {seq} (ligne {line}) illisible : {detail}"),
    "verify.not_canonical": N_(
        "Enregistrement {seq} (ligne {line}) modifié : la ligne n'est plus celle qui a été écrite."
    ),
    "verify.seq": N_(
        "Enregistrement {seq} (ligne {line}) manquant ou déplacé : la ligne porte le numéro "
        "{found}."
    ),
    "verify.prev": N_(
        "Enregistrement {seq} (ligne {line}) : le chaînage avec l'enregistrement précédent "
        "est rompu."
    ),
    "verify.hash": N_("Enregistrement {seq} (ligne {line}) modifié : empreinte incorrecte."),
    "verify.no_header": N_(
        "Enregistrement {seq} (ligne {line}) : le journal commence par un « {kind} » au lieu "
        "d'un en-tête."
    ),
    "verify.format": N_("Format de journal inconnu : « {format} »."),
    "verify.empty": N_("Journal vide : aucun enregistrement."),
}


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(templates: Mapping[str, str], code: str, params: Mapping[str, Any]) -> str:
    template = templates.get(code)
    if template is None:
        return code
    return string.Formatter().vformat(_(template), (), _SafeDict(params))


def issue_message(code: str, params: Mapping[str, Any]) -> str:
    """The message of a reading issue, in the current language."""
    return _render(ISSUES, code, params)


def problem_message(code: str, params: Mapping[str, Any]) -> str:
    """The message of a verification problem, in the current language."""
    return _render(PROBLEMS, code, params)
