"""The commented template written by ``simsec scenario new NAME``.

PRODUCT.md §4: "writes a commented template that validates". The template is French
(the trainers' language); its first line is the YAML language server modeline that
points at the JSON Schema, so that an editor completes and checks the file as it is
typed. A test loads the rendered template and requires it to validate.
"""

from __future__ import annotations

from typing import Final

from simsec.scenario.schema import SCHEMA_FILE_NAME

__all__ = ["render_template"]

_TEMPLATE: Final = """\
# yaml-language-server: $schema=@SCHEMA@
# Scénario simsec (format simsec/scenario@1). Vérifiez-le avec :
#   simsec scenario validate @FILE@
# Les clés inconnues sont des erreurs. Heures : décalage depuis le début (30s, 5m,
# 1h30m) ou date et heure locales (2026-03-02T09:15) ; dates : 2026-03-02 ;
# montants en euros : 26.50. Les clés (key, id, as) sont en snake_case et uniques.
format: simsec/scenario@1
id: @ID@
title: "Titre du scénario"
summary: "Ce que vit le stagiaire, en deux phrases."
locale: fr-FR                 # fr-FR ou en-GB
competencies: [SAMA.1.1, SAMA.1.3]   # codes du référentiel (COMPETENCIES.md)
difficulty: 1                 # de 1 à 5
guidance: guided              # guided (avertissements affichés) ou realistic
start: 2026-03-02T08:45       # heure du scénario au début
duration: 20m                 # fin à start + duration
debrief: true                 # score et retours montrés au stagiaire à la fin

# Le lieu de travail.
structure:
  kind: cabinet_medical       # cabinet_medical, centre_de_sante, service_hospitalier,
                              # clinique, ehpad, service_social
  name: "Cabinet médical des Tilleuls"
  services: [accueil]

# La population de fond, générée (même graine = même monde).
world:
  seed: 1
  population: 200
  practitioners: 1
  history_days: 30

# Ce qui existe au début, en plus du monde généré. Les champs omis sont générés.
fixtures:
  practitioners:
    - key: dr_martin
      last_name: MARTIN
      first_name: Claire
      specialty: medecine_generale
      rpps: auto
      hours: {mon: ["08:30-12:00", "14:00-18:00"]}
      appointment_types:
        - {code: C, label: "Consultation", minutes: 20}
  patients:
    - key: p_dupont
      birth_name: DUPONT
      first_names: [MARIE, CLAIRE]
      birth_date: 1985-04-12
      sex: F
      birth_place: "75056"    # code INSEE de la commune (99xxx : né à l'étranger)
      nir: auto
  registry:                   # ce que répond INSi
    - of: p_dupont
  insurer: []                 # ce que répondent la carte Vitale et ADRi
  appointments:
    - {key: rdv1, patient: p_dupont, practitioner: dr_martin, type: C, start: 2026-03-02T09:00}
  access_requests: []

# Les visiteurs et appelants, ce qu'ils répondent et les documents qu'ils portent.
people:
  - key: v_dupont
    patient: p_dupont
    role: patient
    lang: fr
    answers:
      birth_name: DUPONT
      first_names: "Marie, Claire"
      birth_date: "12 avril 1985"
      reason: "J'ai rendez-vous avec le docteur Martin."
    documents:
      - key: cni_dupont
        kind: cni
        shown: on_request     # on_arrival, on_request ou never
        birth_name: DUPONT
        first_names: [MARIE, CLAIRE]
        birth_date: 1985-04-12
        sex: F
        birth_place: PARIS
        expires: 2031-04-30
        mrz: valid            # ou bad_check_digit

# La chronologie : à une heure (at) ou quand une action a lieu (when).
events:
  - id: arrivee_dupont
    at: 0s
    kind: visitor             # visitor, call, message, fault, note
    person: v_dupont
    says: "Bonjour, j'ai rendez-vous à 9 h avec le docteur Martin."
    task: "Accueillir Mme Dupont"

# Le barème : un critère par ligne de la grille, avec sa compétence.
rubric:
  - id: dossier_retrouve
    label: "Le dossier existant est retrouvé, sans création de doublon"
    competency: SAMA.1.3
    criterion: "Les procédures sont respectées"
    points: 2
    check:                    # all: toutes les conditions ; any: l'une d'elles ; not: le contraire
      all:
        - action: {do: search_patients}
        - no_action: {do: create_patient}
    feedback:
      pass: "Vous avez recherché le patient et retrouvé son dossier."
      fail: "Recherchez toujours l'identité avant de créer un dossier : risque de doublon."
  - id: arrivee_enregistree
    label: "L'arrivée de la patiente est enregistrée"
    competency: SAMA.1.1
    criterion: "La mise à jour des informations est fiable"
    points: 1
    check:
      state: {entity: appointment, where: {key: rdv1}, has: {status: arrived}}
    feedback:
      pass: "L'arrivée est enregistrée dans l'agenda."
      fail: "Pensez à marquer l'arrivée du patient dans l'agenda."
  - id: posture
    label: "Posture adaptée à l'interlocuteur"
    competency: TR.3
    points: 1
    manual: true              # noté par l'évaluateur pendant le rejeu

# Au moins une solution de référence : simsec scenario test la rejoue.
solutions:
  - id: reference
    expect: {score: 100}
    actions:
      - {at: 10s, do: attend, with: {person: v_dupont}}
      - {do: ask, with: {person: v_dupont, question: birth_name}}
      - {do: search_patients, with: {birth_name: DUPONT, birth_date: 1985-04-12}, as: recherche1}
      - {do: mark_arrived, with: {appointment: rdv1}}
      - {do: end_interaction, with: {person: v_dupont, outcome: done}}
  # Une erreur typique, et les critères qu'elle doit faire échouer.
  - id: creation_en_doublon
    expect: {score: 0, failed: [dossier_retrouve, arrivee_enregistree]}
    actions:
      - {at: 10s, do: attend, with: {person: v_dupont}}
      - {do: create_patient, with: {birth_name: DUPONT, first_names: [MARIE], birth_date: 1985-04-12, sex: F, birth_place: "75056"}, as: nouveau}
      - {do: book_appointment, with: {patient: nouveau, practitioner: dr_martin, type: C, start: 2026-03-02T09:00}, expect_error: true}  # rdv1 occupe ce créneau
"""


def render_template(scenario_id: str, file_name: str, schema_url: str = SCHEMA_FILE_NAME) -> str:
    """The template for scenario ``scenario_id`` saved as ``file_name``."""
    return (
        _TEMPLATE.replace("@SCHEMA@", schema_url)
        .replace("@FILE@", file_name)
        .replace("@ID@", scenario_id)
    )
