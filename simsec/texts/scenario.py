"""Messages of the scenario loader and validator, by stable code (French source, gettext).

Codes come from :class:`simsec.scenario.errors.ErrorCode` and, for the shape errors,
``schema.<pydantic error type>``. Each template is marked with ``N_`` for extraction
and translated with ``_`` when an error is built; ``{placeholders}`` are the error's
parameters. A parameter ``suggestion`` adds "Vouliez-vous dire « … » ?".
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Any, Final

from simsec.i18n import N_, _

__all__ = ["YAML_PROBLEMS", "kinds_label", "render", "yaml_problem"]

TEMPLATES: Final[Mapping[str, str]] = {
    # reading and YAML
    "io.unreadable": N_("Impossible de lire le fichier : {reason}."),
    "yaml.too_large": N_("Fichier trop volumineux : {size} octets (au plus {limit})."),
    "yaml.encoding": N_("Le fichier n'est pas en UTF-8 valide (octet {byte})."),
    "yaml.syntax": N_("Erreur de syntaxe YAML : {problem}."),
    "yaml.empty": N_(
        "Le fichier est vide : un scénario commence par « format: simsec/scenario@1 »."
    ),
    "yaml.multiple_documents": N_("Un seul document YAML par fichier (« --- » en trop)."),
    "yaml.tag": N_("Les étiquettes YAML (« {tag} ») ne sont pas acceptées."),
    "yaml.anchor": N_(
        "Les ancres YAML (« &{anchor} ») ne sont pas acceptées : recopiez la valeur."
    ),
    "yaml.alias": N_("Les alias YAML (« *{alias} ») ne sont pas acceptés : recopiez la valeur."),
    "yaml.duplicate_key": N_("Clé « {key} » en double (déjà ligne {first_line})."),
    "yaml.complex_key": N_("Une clé doit être un simple texte."),
    "yaml.too_deep": N_("Imbrication trop profonde (plus de {limit} niveaux)."),
    "yaml.too_many_nodes": N_("Trop d'éléments dans le fichier (plus de {limit})."),
    # shape (pydantic error types)
    "schema.missing": N_("Clé obligatoire « {key} » manquante."),
    "schema.extra_forbidden": N_("Clé inconnue « {key} »."),
    "schema.string_type": N_("Texte attendu."),
    "schema.int_type": N_("Nombre entier attendu (sans guillemets)."),
    "schema.int_parsing": N_("Nombre entier attendu (sans guillemets)."),
    "schema.int_from_float": N_("Nombre entier attendu (sans guillemets)."),
    "schema.bool_type": N_("true ou false attendu."),
    "schema.bool_parsing": N_("true ou false attendu."),
    "schema.decimal_type": N_("Nombre attendu (sans guillemets)."),
    "schema.decimal_parsing": N_("Nombre attendu (sans guillemets)."),
    "schema.list_type": N_("Liste attendue."),
    "schema.tuple_type": N_("Liste attendue."),
    "schema.dict_type": N_("Dictionnaire attendu (des lignes « clé: valeur »)."),
    "schema.model_type": N_("Dictionnaire attendu (des lignes « clé: valeur »)."),
    "schema.model_attributes_type": N_("Dictionnaire attendu (des lignes « clé: valeur »)."),
    "schema.too_short": N_("Au moins {min_length} élément(s) attendu(s)."),
    "schema.too_long": N_("Au plus {max_length} élément(s) attendu(s)."),
    "schema.string_too_short": N_("Texte trop court : au moins {min_length} caractère(s)."),
    "schema.string_too_long": N_("Texte trop long : au plus {max_length} caractères."),
    "schema.greater_than_equal": N_("Valeur supérieure ou égale à {ge} attendue."),
    "schema.greater_than": N_("Valeur strictement supérieure à {gt} attendue."),
    "schema.less_than_equal": N_("Valeur inférieure ou égale à {le} attendue."),
    "schema.less_than": N_("Valeur strictement inférieure à {lt} attendue."),
    "schema.literal_error": N_("Valeur « {input} » non permise ; valeurs possibles : {expected}."),
    "schema.enum": N_("Valeur « {input} » non permise ; valeurs possibles : {expected}."),
    "schema.union_tag_invalid": N_(
        "Valeur de « {discriminator} » inconnue : « {tag} » ; valeurs possibles : {expected_tags}."
    ),
    "schema.union_tag_invalid_long": N_(
        "Valeur de « {discriminator} » inconnue : « {tag} » (la liste complète est dans le "
        "schéma : simsec scenario schema)."
    ),
    "schema.union_tag_not_found": N_("Clé obligatoire « {discriminator} » manquante."),
    "schema.simsec_check_kind": N_("Une vérification et une seule parmi : {kinds}."),
    "schema.simsec_amount": N_("Montant en euros attendu, par exemple 26.50."),
    "schema.simsec_key": N_(
        "Clé en snake_case attendue (minuscules sans accents, chiffres et _, commençant par "
        "une lettre) : « {value} »."
    ),
    "schema.simsec_key_type": N_("Clé en snake_case attendue."),
    "schema.simsec_ref": N_("Clé d'une entité attendue."),
    "schema.simsec_competency_format": N_("Code de compétence attendu, par exemple SAMA.1.3."),
    "schema.simsec_date": N_("Date attendue au format AAAA-MM-JJ, par exemple 2026-03-02."),
    "schema.simsec_date_invalid": N_("Date inexistante : {value}."),
    "schema.simsec_datetime": N_(
        "Date et heure locales attendues au format AAAA-MM-JJTHH:MM, par exemple 2026-03-02T09:15."
    ),
    "schema.simsec_datetime_invalid": N_("Date et heure inexistantes : {value}."),
    "schema.simsec_datetime_zone": N_("Date et heure locales attendues, sans fuseau horaire."),
    "schema.simsec_date_or_datetime": N_(
        "Date (2026-03-02) ou date et heure locales (2026-03-02T09:15) attendues."
    ),
    "schema.simsec_duration": N_("Durée attendue, par exemple 30s, 5m ou 1h30m."),
    "schema.simsec_time": N_(
        "Heure attendue : un décalage depuis le début (30s, 5m, 1h30m) ou une date et heure "
        "locales (2026-03-02T09:15)."
    ),
    "schema.simsec_tristate": N_("true, false ou any attendu."),
    "schema.simsec_empty_set": N_("Au moins un champ à modifier."),
    "schema.simsec_no_criterion": N_("Au moins un critère de recherche."),
    "schema.simsec_bill_target": N_("Soit appointment, soit admission (l'un des deux)."),
    "schema.simsec_wait": N_("Soit until, soit for (l'un des deux)."),
    "schema.simsec_hours": N_("Plage horaire attendue, par exemple 08:30-12:00."),
    "schema.simsec_hours_range": N_(
        "Plage horaire impossible : {value} (heures 00 à 24, minutes 00 à 59, fin après le début)."
    ),
    "schema.simsec_rpps_format": N_("auto ou un numéro RPPS de 11 chiffres attendu."),
    "schema.simsec_insee": N_(
        "Code INSEE de 5 caractères attendu (75056, 2A004 ; 99 + pays pour l'étranger, 99350)."
    ),
    "schema.simsec_nir_format": N_("auto, none ou un NIR de 15 caractères attendu."),
    "schema.simsec_nir_value": N_("NIR de 15 caractères attendu."),
    "schema.simsec_registry_of_or_key": N_(
        "Une entrée du référentiel a soit « of: » (copie d'un patient ou d'une personne), "
        "soit « key: » (entrée complète), l'un des deux."
    ),
    "schema.simsec_registry_incomplete": N_(
        "Entrée complète du référentiel : il manque {missing}."
    ),
    "schema.simsec_scalar": N_("Valeur simple attendue (texte, nombre, true ou false)."),
    "schema.simsec_action_name": N_("Action inconnue « {value} »."),
    "schema.simsec_count_empty": N_("min, max ou les deux attendus."),
    "schema.simsec_count_order": N_("min ne peut pas dépasser max."),
    "schema.simsec_check_or_manual": N_(
        "Un critère a soit « check: », soit « manual: true » (l'un des deux)."
    ),
    "schema.simsec_at_or_when": N_(
        "Un événement a soit « at: » (une heure), soit « when: » (une condition), l'un des deux."
    ),
    "schema.simsec_delay_without_when": N_("« delay: » ne s'emploie qu'avec « when: »."),
    "schema.value_error": N_("Valeur invalide : {detail}."),
    "schema": N_("Valeur invalide ({detail})."),
    # meaning
    "ref.unknown": N_("Clé inconnue « {key} » (on attend {expected})."),
    "ref.found_outside_solution": N_(
        "« found: » ne s'emploie que dans les actions d'une solution."
    ),
    "key.duplicate": N_("Clé « {key} » déjà définie ({first})."),
    "key.as_shadows": N_("« as: {key} » reprend une clé déjà définie ({first})."),
    "key.as_nothing_created": N_("L'action {action} ne crée rien : « as: » n'a pas de sens."),
    "time.outside": N_("Heure {time} hors du scénario (de {start} à {end})."),
    "time.backwards": N_("Heure {time} antérieure à celle de l'action précédente ({previous})."),
    "hours.overlap": N_(
        "Plages horaires qui se chevauchent ou en désordre : {first} puis {second}."
    ),
    "period.order": N_("La fin ({end}) précède le début ({start})."),
    "nir.invalid": N_("NIR invalide : {detail}"),
    "nir.incoherent": N_("NIR incohérent avec les traits : {detail}"),
    "rpps.invalid": N_("Numéro RPPS invalide : {detail}"),
    "competency.unknown": N_("Code de compétence inconnu « {competency} »."),
    "document.field": N_("Le champ « {field} » ne s'emploie pas pour un document « {kind} »."),
    "document.dates": N_("L'expiration ({expires}) précède la délivrance ({issued})."),
    "appointment.type": N_(
        "Type de rendez-vous « {type} » inconnu pour {practitioner} (types : {types})."
    ),
    "check.field_unknown": N_(
        "L'action {action} n'a pas de champ « {field} » (champs : {fields})."
    ),
    "check.value_invalid": N_(
        "Valeur impossible pour le champ « {field} » de l'action {action} : {detail}"
    ),
    "check.operator": N_("L'opérateur « {operator} » ne s'applique pas au champ « {field} »."),
    "check.state_field_unknown": N_(
        "Champ « {field} » inconnu pour l'entité {entity} (champs : {fields})."
    ),
    "check.event_kind": N_("« {key} » doit être un événement de type {kind}."),
    "solution.none": N_("Au moins une solution de référence est nécessaire (« solutions: »)."),
    "solution.expect_both": N_("Le critère « {key} » est à la fois dans passed et dans failed."),
    "action.wait_outside_solution": N_("« wait » ne s'emploie que dans les solutions."),
    "patient.dates": N_("Le décès ({deceased_on}) précède la naissance ({birth_date})."),
    "waitlist.type": N_(
        "Aucun praticien ne propose le type de rendez-vous « {type} » (types : {types})."
    ),
    "waitlist.since": N_(
        "La demande ({since}) ne peut pas être postérieure au début du scénario ({start})."
    ),
}

SUGGESTION: Final = N_("Vouliez-vous dire « {suggestion} » ?")

KIND_LABELS: Final[Mapping[str, str]] = {
    "patient": N_("un patient"),
    "practitioner": N_("un praticien"),
    "person": N_("une personne (people)"),
    "document": N_("un document présenté (people[].documents)"),
    "record": N_("un document du dossier médical (record)"),
    "appointment": N_("un rendez-vous"),
    "admission": N_("une admission"),
    "request": N_("une demande d'accès au dossier"),
    "invoice": N_("une facture"),
    "letter": N_("un courrier"),
    "service": N_("un service de la structure"),
    "event": N_("un événement"),
    "question": N_("un événement question"),
    "task": N_("un événement dictation"),
    "search": N_("une recherche (as: d'un search_patients)"),
    "criterion": N_("un critère du barème (rubric)"),
}

#: French renderings of the most frequent YAML parser problems (PyYAML and libyaml).
YAML_PROBLEMS: Final[tuple[tuple[str, str], ...]] = (
    (
        "mapping values are not allowed",
        N_("« : » inattendu ici (mettez entre guillemets un texte qui contient « : »)"),
    ),
    ("could not find expected ':'", N_("« : » attendu après une clé")),
    ("did not find expected key", N_("clé attendue (indentation incorrecte ?)")),
    ("did not find expected '-' indicator", N_("« - » attendu (indentation incorrecte ?)")),
    ("did not find expected node content", N_("valeur attendue")),
    ("expected <block end>", N_("indentation incorrecte")),
    ("block sequence entries are not allowed", N_("« - » inattendu ici (indentation ?)")),
    ("found character '\\t'", N_("tabulation interdite : indentez avec des espaces")),
    ("found a tab character", N_("tabulation interdite : indentez avec des espaces")),
    ("that cannot start any token", N_("caractère qui ne peut pas commencer une valeur")),
    ("found unexpected end of stream", N_("fin de fichier inattendue (guillemet non fermé ?)")),
    ("did not find expected ',' or ']'", N_("« , » ou « ] » attendu")),
    ("did not find expected ',' or '}'", N_("« , » ou « } » attendu")),
    ("expected ',' or ']'", N_("« , » ou « ] » attendu")),
    ("expected ',' or '}'", N_("« , » ou « } » attendu")),
    ("found unknown escape character", N_("séquence d'échappement inconnue après « \\ »")),
    ("unacceptable character", N_("caractère de contrôle interdit")),
    ("control characters are not allowed", N_("caractère de contrôle interdit")),
    ("found undefined tag handle", N_("étiquette YAML non définie")),
    ("found unexpected ':'", N_("« : » inattendu")),
    ("found unexpected document separator", N_("séparateur de document inattendu")),
    ("while scanning an anchor", N_("ancre mal formée")),
    ("while scanning an alias", N_("alias mal formé")),
    ("while scanning a quoted scalar", N_("texte entre guillemets non fermé")),
    ("while scanning a simple key", N_("clé sur plusieurs lignes ou « : » manquant")),
    ("found incompatible YAML document", N_("version de YAML non prise en charge")),
    ("found duplicate YAML directive", N_("directive YAML en double")),
)


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(template: str, params: Mapping[str, Any]) -> str:
    try:
        return string.Formatter().vformat(template, (), _SafeDict(params))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


def render(code: str, params: Mapping[str, Any]) -> str:
    """The message for ``code`` in the current language, filled with ``params``."""
    template = TEMPLATES.get(code)
    if template is None:
        template = TEMPLATES["schema"] if code.startswith("schema.") else "{code}"
    text = _format(_(template), {"code": code, **params})
    suggestion = params.get("suggestion")
    if suggestion:
        text += " " + _format(_(SUGGESTION), {"suggestion": suggestion})
    return text


def kinds_label(kinds: Iterable[str]) -> str:
    """``("patient", "person")`` → "un patient ou une personne (people)"."""
    labels = [_(KIND_LABELS[kind]) if kind in KIND_LABELS else kind for kind in kinds]
    return _(" ou ").join(labels) if labels else ""


def yaml_problem(problem: str) -> str:
    """A French rendering of a YAML parser's problem (the original when unknown)."""
    for needle, text in YAML_PROBLEMS:
        if needle in problem:
            return _(text)
    return problem
