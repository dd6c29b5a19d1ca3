"""The coverage, billing and payment inputs, and the fee split drawn, without a terminal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from simsec.services.readmodels import InvoiceView, PaymentView, SplitLine
from simsec.ui.widgets.coverage_form import (
    CoverageTexts,
    amount_text,
    coverage_payload,
    parse_acts,
    parse_amount,
)
from simsec.ui.widgets.fee_split import fee_split_renderable, percent


def _text(renderable: object) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_the_amo_is_sent_when_a_regime_is_chosen_with_its_exemption() -> None:
    payload = coverage_payload(
        CoverageTexts(
            regime="general", rights_from="01/02/2026", rights_until="31/01/2027", c2s=True
        )
    )
    assert payload.errors == []
    assert payload.fields == {
        "amo": {
            "regime": "general",
            "rights_from": date(2026, 2, 1),
            "rights_until": date(2027, 1, 31),
            "exemption": "none",
            "c2s": True,
        }
    }


def test_the_amc_is_sent_when_an_organisme_is_typed_with_its_tiers_payant() -> None:
    payload = coverage_payload(
        CoverageTexts(organisme="Mutuelle des Tilleuls", valid_until="31/12/2026")
    )
    assert payload.fields == {
        "amc": {
            "organisme": "Mutuelle des Tilleuls",
            "valid_until": date(2026, 12, 31),
            "tiers_payant": False,
        }
    }


def test_nothing_or_a_bad_date_sends_nothing() -> None:
    assert coverage_payload(CoverageTexts()).errors
    payload = coverage_payload(CoverageTexts(regime="msa", rights_until="31/02/2026"))
    assert payload.errors and "Droits jusqu'au" in payload.errors[0]


def test_acts_and_amounts_as_typed_at_the_desk() -> None:
    assert parse_acts("g + gs") == ["G", "GS"]
    assert parse_acts(" ") == []
    assert parse_amount("9") == Decimal("9")
    assert parse_amount("9,00 €") == Decimal("9.00")
    assert parse_amount("1 234,50") == Decimal("1234.50")
    assert parse_amount("neuf") is None
    assert parse_amount("") is None


@given(st.decimals(min_value=0, max_value=10_000, places=2))
def test_an_amount_shown_reads_back_the_same(amount: Decimal) -> None:
    assert parse_amount(amount_text(amount)) == amount


def test_the_fee_split_is_drawn_line_by_line() -> None:
    invoice = InvoiceView(
        key="invoice#1",
        target="rdv_dupont",
        on=date(2026, 3, 2),
        acts=("G",),
        tiers_payant="amo",
        total=Decimal("30.00"),
        amo_part=Decimal("19.00"),
        amc_part=Decimal("9.00"),
        participation=Decimal("2.00"),
        patient_part=Decimal("2.00"),
        due_at_desk=Decimal("9.00"),
        paid=Decimal("4.00"),
        base=Decimal("30.00"),
        amo_rate=Decimal("0.70"),
        parcours="in",
        exemptions=(),
        lines=(
            SplitLine("amo", "amo", Decimal("19.00")),
            SplitLine("amc", "amc", Decimal("9.00")),
            SplitLine("participation", "patient", Decimal("2.00")),
            SplitLine("majoration", "patient", Decimal("0.00")),
        ),
        notes=(),
        payments=(PaymentView("payment#1", Decimal("4.00"), "especes", None),),
    )
    text = _text(fee_split_renderable(invoice))
    assert "Part obligatoire (AMO)" in text and "19,00" in text
    assert "Part complémentaire (AMC)" in text
    assert "Participation forfaitaire" in text
    assert "Majoration" not in text  # a line of 0 € is left out
    assert "taux AMO 70 %" in text and "Dans le parcours de soins" in text
    assert "À régler au comptoir : 9,00" in text and "Reste dû : 5,00" in text
    assert "Espèces" in text
    assert invoice.remaining == Decimal("5.00")
    assert percent(Decimal("0.3")) == "30 %"
    assert "Aucune facture" in _text(fee_split_renderable(None))
