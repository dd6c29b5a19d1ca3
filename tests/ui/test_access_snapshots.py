"""SVG snapshot of an access request with its deadlines (pytest-textual-snapshot).

The scenario « acces_dossier_ayant_droit »: Mme Marchand's request for her late father's
record, with its proofs in and declared complete: the requester's right, the proofs, the
legal dates (not before 19 February, at the latest 25 February) and the record's items,
the neighbour's letter withheld as third-party information. Update after a deliberate
change: ``pytest tests/ui/test_access_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from planning_support import fast_keys, idle, planning_app, start

from simsec.ui.app import SimsecApp
from simsec.ui.messages import ActionPerformed

__all__ = ["fast_keys"]

SIZE = (150, 48)


def test_access_request_with_its_deadlines_snapshot(
    build_app: Callable[..., SimsecApp], tmp_path: Path, snap_compare: Any
) -> None:
    async def play(pilot: Any) -> None:
        screen = await start(pilot)
        session = screen.session
        request = {
            "do": "register_access_request",
            "with": {
                "patient": "p_lemaire",
                "requester": {
                    "kind": "ayant_droit",
                    "name": "Isabelle MARCHAND",
                    "relationship": "fille",
                    "motive": "causes_deces",
                },
                "received_on": "2026-02-17",
                "channel": "courrier",
                "items": ["cr_urgences_2026", "bio_2026", "cr_hospit_2026"],
                "delivery": "envoi_postal",
            },
        }
        key = session.perform(request).result["key"]
        for kind in ("cni", "acte_deces", "acte_notoriete"):
            session.perform(
                {"do": "record_request_document", "with": {"request": key, "kind": kind}}
            )
        feedback = session.perform(
            {"do": "mark_request_complete", "with": {"request": key, "on": "2026-02-17"}}
        )
        screen.post_message(ActionPerformed(feedback))
        await pilot.press("f7")
        await idle(pilot)
        pilot.app.clear_notifications()
        await idle(pilot)

    app = planning_app(build_app, tmp_path, "acces_dossier_ayant_droit")
    assert snap_compare(app, terminal_size=SIZE, run_before=play)
