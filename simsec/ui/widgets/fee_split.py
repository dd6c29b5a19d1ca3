"""The split of a fee, line by line: AMO, AMC, participation forfaitaire, reste à charge.

couverture.md, "The split of a fee": for a fee at the tariff, the part AMO is the rate
times the base minus the participation forfaitaire when one is charged; the ticket
modérateur goes to the complementary when its contract covers it (never the
participation forfaitaire); the reste à charge is what neither pays; what the patient
pays at the desk depends on the tiers payant. The lines and their amounts are those the
invoice stored when it was made (:func:`simsec.rules.coverage.split_fee`, with the dated
tariffs of ``simsec/data/tariffs.yaml``): the screen never recomputes them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from simsec.i18n import _, format_date, format_money
from simsec.rules.coverage import LineCode, NoteCode, Parcours, Payer, TiersPayant
from simsec.services.readmodels import InvoiceView
from simsec.texts.coverage import (
    line_label,
    note_text,
    parcours_label,
    payer_label,
    tiers_payant_label,
)
from simsec.ui.widgets.coverage_form import payment_method_label

__all__ = ["FeeSplitView", "fee_split_renderable", "money", "percent"]


def money(amount: Decimal) -> str:
    """An amount in euros in the current language (``19,00 €``)."""
    return format_money(amount)


def percent(rate: Decimal) -> str:
    """A rate as a percentage (``0.70`` → ``70 %``)."""
    value = (rate * 100).normalize()
    return f"{value:f} %"


E = TypeVar("E", bound=StrEnum)


def _label(labeller: Callable[[E], str], enum: type[E], value: str) -> str:
    """The label of a stored code, the code itself when it is unknown."""
    try:
        return labeller(enum(value))
    except ValueError:
        return value


def fee_split_renderable(invoice: InvoiceView | None) -> RenderableType:
    """The invoice's split as a table, then the totals, what is due at the desk, the
    payments and the notes that explain the split."""
    if invoice is None:
        return Text(_("Aucune facture pour ce patient."), style="dim")
    head = Text.assemble(
        (invoice.key, "bold"),
        f" · {format_date(invoice.on, 'short')}" if invoice.on else "",
        " · " + _("actes : {acts}").format(acts=" + ".join(invoice.acts)),
        " · " + _label(tiers_payant_label, TiersPayant, invoice.tiers_payant),
    )
    terms = []
    if invoice.base is not None:
        terms.append(_("base de remboursement {amount}").format(amount=money(invoice.base)))
    if invoice.amo_rate is not None:
        terms.append(_("taux AMO {rate}").format(rate=percent(invoice.amo_rate)))
    if invoice.parcours:
        terms.append(_label(parcours_label, Parcours, invoice.parcours))
    table = Table(expand=True, box=None, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column(_("Ligne"), ratio=3)
    table.add_column(_("À la charge de"), ratio=2, style="dim")
    table.add_column(_("Montant"), justify="right", no_wrap=True)
    for line in invoice.lines:
        if line.amount == 0 and line.code != LineCode.AMO.value:
            continue  # a line that costs nothing (no majoration, no dépassement)
        style = "yellow" if line.payer == Payer.PATIENT.value else ""
        table.add_row(
            Text(_label(line_label, LineCode, line.code), style=style),
            _label(payer_label, Payer, line.payer),
            Text(money(line.amount), style=style),
        )
    table.add_row(
        Text(_("Total des honoraires"), style="bold"), "", Text(money(invoice.total), style="bold")
    )
    remaining = invoice.remaining
    totals = Text.assemble(
        (_("Reste à charge du patient : "), "dim"),
        (money(invoice.patient_part), "bold"),
        "   ",
        (_("À régler au comptoir : "), "dim"),
        (money(invoice.due_at_desk), "bold"),
        "   ",
        (_("Réglé : "), "dim"),
        money(invoice.paid),
        "   ",
        (_("Reste dû : "), "dim"),
        (money(remaining), "bold red" if remaining > 0 else "bold green"),
    )
    parts: list[RenderableType] = [head]
    if terms:
        parts.append(Text(" · ".join(terms), style="dim"))
    parts += [table, totals]
    for payment in invoice.payments:
        when = f"{payment.at:%H:%M} " if payment.at else ""
        parts.append(
            Text(
                f"  {when}{payment_method_label(payment.method)} {money(payment.amount)}",
                style="green",
            )
        )
    for note in invoice.notes:
        parts.append(Text(f"ⓘ {_label(note_text, NoteCode, note)}", style="dim"))
    return Group(*parts)


class FeeSplitView(Static):
    """The split of the invoice chosen, line by line."""

    def show(self, invoice: InvoiceView | None) -> None:
        self.update(fee_split_renderable(invoice))
