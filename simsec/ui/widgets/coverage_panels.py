"""What the desk sees of the coverage: the record's, the carte Vitale's and ADRi's.

couverture.md: the carte Vitale carries the insured person and the beneficiaries (a
child is attached to a parent's card); ADRi returns the rights in force at the date of
care, so the desk does not rely on an out-of-date card. Neither changes the record: the
fields that differ from what the record holds are shown in red, to be recorded with the
coverage form. A CEAM holder (European card) is covered as a French insured person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from simsec.i18n import N_, _
from simsec.rules import coverage as rules
from simsec.services.insurance import amo_rights
from simsec.services.readmodels import CoverageView
from simsec.texts.coverage import rights_text
from simsec.ui.widgets.coverage_form import exemption_text, regime_text

__all__ = [
    "AMO_LABELS",
    "adri_renderable",
    "beneficiary_label",
    "recorded_renderable",
    "vitale_renderable",
]

#: The AMO fields, in the order they are shown (and compared).
AMO_LABELS: Final[tuple[tuple[str, str], ...]] = (
    ("regime", N_("Régime")),
    ("caisse", N_("Caisse")),
    ("rights_from", N_("Droits du")),
    ("rights_until", N_("Droits jusqu'au")),
    ("exemption", N_("Exonération")),
    ("c2s", N_("C2S")),
    ("ame", N_("AME")),
    ("ceam", N_("CEAM")),
)


def _day(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return "—"


def _amo_value(name: str, value: Any) -> str:
    if name == "regime":
        return regime_text(str(value)) if value else "—"
    if name == "exemption":
        return exemption_text(str(value or "none"))
    if name in ("c2s", "ame", "ceam"):
        return _("oui") if value else _("non")
    if name in ("rights_from", "rights_until"):
        return _day(value)
    return str(value) if value else "—"


def _rights_status(status: object) -> Text:
    try:
        kind = rules.RightsStatus(str(status))
    except ValueError:
        return Text("")
    return Text(
        rights_text(kind), style="bold green" if kind is rules.RightsStatus.OPEN else "bold red"
    )


def _amo_table(amo: Mapping[str, Any], differences: Sequence[str]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    for name, label in AMO_LABELS:
        if name not in amo:
            continue
        differs = name in differences
        value = Text(_amo_value(name, amo.get(name)), style="bold red" if differs else "")
        table.add_row(_(label), value)
    return table


def _differs() -> Text:
    return Text(
        _("En rouge : ce qui diffère du dossier. Reprenez ces droits (Ctrl+G) et enregistrez-les."),
        style="yellow",
    )


def _refused(title: Text, result: Mapping[str, Any], degraded: str) -> RenderableType:
    error: Mapping[str, Any] = result.get("error") or {}
    return Group(
        title,
        Text(str(error.get("message") or _("Refusé.")), style="bold red"),
        Text(degraded, style="yellow"),
    )


def beneficiary_label(beneficiary: Mapping[str, Any], patient: str | None) -> Text:
    """A beneficiary of the card: name, birth date, the record's key (this patient marked)."""
    names = " ".join(
        part
        for part in (
            str(beneficiary.get("birth_name") or ""),
            " ".join(beneficiary.get("first_names") or []),
        )
        if part
    )
    text = Text(names or _("bénéficiaire inconnu du dossier"), style="bold")
    text.append(f" {_day(beneficiary.get('birth_date'))}")
    key = beneficiary.get("key")
    if key:
        text.append(f" {key}", style="dim")
    if key and key == patient:
        text.append(" ← " + _("ce patient"), style="bold green")
    return text


def _holder_name(result: Mapping[str, Any]) -> str:
    holder = str(result.get("holder") or "")
    for beneficiary in result.get("beneficiaries") or []:
        if isinstance(beneficiary, Mapping) and beneficiary.get("key") == holder:
            names = " ".join(
                [str(beneficiary.get("birth_name") or ""), *(beneficiary.get("first_names") or [])]
            ).strip()
            return f"{names} ({holder})" if names else holder
    return holder or "—"


def vitale_renderable(
    result: Mapping[str, Any] | None, *, at: datetime | None = None
) -> RenderableType:
    """A carte Vitale read (``read_vitale``): holder, whether the patient is on it, the
    rights read and their differences with the record."""
    if result is None:
        return Text(_("Carte Vitale non lue pour ce patient (Ctrl+L)."), style="dim")
    when = f" · {at:%H:%M}" if at is not None else ""
    title = Text(_("Carte Vitale") + when, style="bold")
    if not result.get("ok", True):
        return _refused(title, result, _("Demandez l'attestation de droits ou interrogez ADRi."))
    parts: list[RenderableType] = [
        title,
        Text.assemble(
            (_("Assuré : "), "dim"),
            _holder_name(result),
            (
                " · "
                + _("{n} bénéficiaire(s) sur la carte").format(
                    n=len(result.get("beneficiaries") or [])
                ),
                "dim",
            ),
        ),
    ]
    if not result.get("patient_on_card"):
        parts.append(Text(_("Ce patient ne figure pas sur cette carte."), style="bold red"))
        return Group(*parts)
    amo: Mapping[str, Any] = result.get("amo") or {}
    differences = [str(d) for d in result.get("differences") or []]
    parts += [_amo_table(amo, differences), _rights_status(result.get("rights"))]
    if differences:
        parts.append(_differs())
    return Group(*parts)


def adri_renderable(
    result: Mapping[str, Any] | None, *, at: datetime | None = None
) -> RenderableType:
    """The rights ADRi returned (``check_rights``) and their differences with the record."""
    if result is None:
        return Text(_("ADRi n'a pas été interrogé pour ce patient (Ctrl+R)."), style="dim")
    when = f" · {at:%H:%M}" if at is not None else ""
    title = Text(_("Droits en ligne (ADRi)") + when, style="bold")
    if not result.get("ok", True):
        return _refused(
            title, result, _("Procédure dégradée : carte Vitale ou attestation de droits.")
        )
    if not result.get("found"):
        return Group(
            title,
            Text(_("Aucun droit connu de l'assurance maladie pour ce patient."), style="bold red"),
        )
    amo: Mapping[str, Any] = result.get("amo") or {}
    differences = [str(d) for d in result.get("differences") or []]
    parts: list[RenderableType] = [
        title,
        _amo_table(amo, differences),
        _rights_status(result.get("rights")),
    ]
    if differences:
        parts.append(_differs())
    return Group(*parts)


def recorded_renderable(coverage: CoverageView, today: date) -> RenderableType:
    """The coverage the record holds, with the state of the rights today."""
    amo = coverage.amo
    lines: list[RenderableType] = []
    if amo is None:
        lines.append(Text(_("AMO : rien d'enregistré."), style="yellow"))
    else:
        status = rules.check_rights(
            amo_rights(
                amo.regime,
                amo.caisse,
                amo.rights_from,
                amo.rights_until,
                amo.exemption,
                c2s=amo.c2s,
                ame=amo.ame,
                ceam=amo.ceam,
            ),
            today,
        )
        flags = [
            name for name, on in (("C2S", amo.c2s), ("AME", amo.ame), ("CEAM", amo.ceam)) if on
        ]
        text = Text.assemble(
            ("AMO : ", "bold"),
            regime_text(amo.regime),
            f" · {amo.caisse}" if amo.caisse else "",
            " · "
            + _("du {start} au {end}").format(
                start=_day(amo.rights_from), end=_day(amo.rights_until)
            ),
            " · " + exemption_text(amo.exemption),
        )
        for flag in flags:
            text.append(f" [{flag}]", style="bold cyan")
        lines.append(text)
        lines.append(_rights_status(status.value))
    amc = coverage.amc
    if amc is None:
        lines.append(Text(_("AMC : aucune complémentaire enregistrée."), style="dim"))
    else:
        lines.append(
            Text.assemble(
                ("AMC : ", "bold"),
                amc.organisme,
                f" · {amc.contract}" if amc.contract else "",
                " · " + _("jusqu'au {end}").format(end=_day(amc.valid_until)),
                " · " + (_("tiers payant") if amc.tiers_payant else _("sans tiers payant")),
            )
        )
    return Group(*lines)
