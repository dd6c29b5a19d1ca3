"""A presented document checked against the record, the differences highlighted.

RNIV volet 1 §3.3 (identification primaire): the operator compares every strict trait of
the record with the identity document, checks its trust level (a high-trust device
validates an identity; a carte Vitale or a driving licence never does) and its
validity; an MRZ whose check digits are wrong (ICAO 9303, weights 7-3-1) is a sign of
forgery or of a typing error. A consistent, valid, high-trust document validates the
identity (validée, or qualifiée when the INS was retrieved).

The panel draws the result of a ``check_identity_document`` action, as logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from simsec.i18n import N_, _, format_date
from simsec.rules.mrz import CheckField
from simsec.services.identity import DOCUMENT_TOLERATED
from simsec.texts.documents import CHECK_FIELD_LABELS, kind_label, trust_label
from simsec.ui.widgets.insi_panel import STRICT_ORDER, comparison_table, status_change, trait_text

__all__ = ["DocumentCheckPanel", "document_check_renderable"]

_VALIDITY: Final[Mapping[str, str]] = {
    "valid": N_("Valide jusqu'au {expires}."),
    "no_expiry": N_("Document sans date d'expiration."),
    "not_yet_issued": N_("Date de délivrance postérieure à la date du contrôle."),
    "expired_tolerated": N_("Expiré depuis le {expires}, dans la tolérance de la structure."),
    "expired_too_long": N_("Expiré depuis le {expires}, au-delà de la tolérance de la structure."),
    "expired": N_("Expiré depuis le {expires}."),
}
_FINDING_STYLES: Final = {"error": "bold red", "warning": "yellow", "info": "green"}


def _validity(view: Mapping[str, Any]) -> Text:
    status = str(view.get("status") or "")
    expires = view.get("expires")
    when = format_date(date.fromisoformat(expires), "long") if isinstance(expires, str) else "?"
    template = _VALIDITY.get(status)
    if template is None:
        return Text("")
    style = (
        "green"
        if status in ("valid", "no_expiry")
        else "bold red"
        if status != "expired_tolerated"
        else "yellow"
    )
    return Text(_(template).format(expires=when), style=style)


def _mrz(view: Mapping[str, Any] | None) -> RenderableType:
    if not view:
        return Text("")
    lines = [str(line) for line in view.get("lines") or []]
    shown = (
        Text("\n".join(lines), style="bold", no_wrap=True, overflow="ignore") if lines else Text("")
    )
    if view.get("ok"):
        verdict = Text(
            _("Bande MRZ ({format}) : clés de contrôle correctes.").format(
                format=view.get("format") or "?"
            ),
            style="green",
        )
    else:
        fields = []
        for value in view.get("bad_checks") or []:
            try:
                fields.append(_(CHECK_FIELD_LABELS[CheckField(value)]))
            except ValueError:
                fields.append(str(value))
        verdict = Text(
            _(
                "Bande MRZ : clé de contrôle fausse ({fields}) : document falsifié ou mal saisi ?"
            ).format(fields=", ".join(fields) or "?"),
            style="bold red",
        )
    return Group(shown, verdict)


def _kind(kind: str) -> str:
    try:
        return kind_label(kind)
    except ValueError:
        return kind


def document_check_renderable(
    result: Mapping[str, Any] | None, *, at: datetime | None = None
) -> RenderableType:
    """The panel's content for the result of a ``check_identity_document`` (None: no
    document checked yet)."""
    if result is None:
        return Text(_("Aucune pièce contrôlée pour ce dossier (Ctrl+O)."), style="dim")
    when = f" · {at:%H:%M}" if at is not None else ""
    if not result.get("ok", True):
        error: Mapping[str, Any] = result.get("error") or {}
        return Group(
            Text(_("Contrôle de pièce") + when, style="bold"),
            Text(str(error.get("message") or _("Contrôle refusé.")), style="bold red"),
        )
    kind = str(result.get("kind") or "")
    trust = str(result.get("trust") or "")
    try:
        trust_text = trust_label(trust)
    except ValueError:
        trust_text = trust
    title = Text.assemble(
        (_("Contrôle : {kind}").format(kind=_kind(kind)) + when, "bold"),
        (f"  ({trust_text})", "green" if trust == "high" else "yellow"),
    )
    differences = {
        str(d.get("trait")): d for d in result.get("differences") or [] if isinstance(d, Mapping)
    }
    rows: list[tuple[str, str, str, str]] = []
    for trait in STRICT_ORDER:
        found = differences.get(trait.value)
        if found is not None:
            rows.append(
                (
                    trait.value,
                    trait_text(found.get("record")),
                    trait_text(found.get("other")),
                    str(found.get("kind")),
                )
            )
    used = differences.get("used_name")
    if used is not None:
        rows.append(
            (
                "used_name",
                trait_text(used.get("record")),
                trait_text(used.get("other")),
                str(used.get("kind")),
            )
        )
    table = comparison_table(
        rows, left=_("Dossier"), right=_("Pièce"), tolerated=DOCUMENT_TOLERATED
    )
    parts: list[RenderableType] = [
        title,
        table,
        _validity(result.get("validity") or {}),
        _mrz(result.get("mrz")),
    ]
    for finding in result.get("findings") or []:
        if isinstance(finding, Mapping):
            style = _FINDING_STYLES.get(str(finding.get("severity")), "")
            parts.append(Text(f"• {finding.get('message', '')}", style=style))
    if not result.get("consistent", True):
        parts.append(
            Text(_("La pièce ne correspond pas au dossier : rien n'est validé."), style="bold red")
        )
    elif result.get("validated"):
        parts.append(Text(_("Identité validée sur cette pièce."), style="bold green"))
    else:
        parts.append(Text(_("Cette pièce ne permet pas de valider l'identité."), style="yellow"))
    parts.append(status_change(result))
    return Group(*parts)


class DocumentCheckPanel(Static):
    """The last document check of the record shown."""

    def show(self, result: Mapping[str, Any] | None, *, at: datetime | None = None) -> None:
        self.update(document_check_renderable(result, at=at))
