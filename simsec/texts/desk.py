"""Labels of the desk's question catalogue (``ask``), shared by the workspace and the reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from simsec.i18n import N_

#: The question catalogue of the ``ask`` action, as the trainee asks it.
QUESTION_LABELS: Final[Mapping[str, str]] = {
    "birth_name": N_("Nom de naissance"),
    "first_names": N_("Prénoms de naissance"),
    "used_name": N_("Nom utilisé"),
    "used_first_name": N_("Prénom utilisé"),
    "birth_date": N_("Date de naissance"),
    "birth_place": N_("Lieu de naissance"),
    "sex": N_("Sexe"),
    "address": N_("Adresse"),
    "phone": N_("Téléphone"),
    "email": N_("Courriel"),
    "reason": N_("Motif de la venue ou de l'appel"),
    "medecin_traitant": N_("Médecin traitant"),
    "relationship": N_("Lien avec le patient"),
    "patient_name": N_("Patient concerné"),
    "availability": N_("Disponibilités"),
    "insurance": N_("Assurance maladie"),
    "mutuelle": N_("Mutuelle"),
    "contact_person": N_("Personne à prévenir"),
    "free": N_("Autre question (mot-clé)"),
}
