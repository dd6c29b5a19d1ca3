"""SVG snapshot of an admission and its checklist (pytest-textual-snapshot).

The scenario « admission_mineur_ambulatoire »: Lucas, 7, in day surgery; the family
book (his document), his mother's identity card (the accompanying person's) and the
convocation recorded: the checklist of a minor's surgery (✔ done, with whose document
ticked it; ✘ missing: the autorisation d'opérer, the personne à prévenir), no personne
de confiance for a minor. Update after a deliberate change:
``pytest tests/ui/test_admission_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from planning_support import fast_keys, idle, planning_app, start
from ui_support import SIZE

from simsec.ui.app import SimsecApp
from simsec.ui.messages import ActionPerformed

__all__ = ["fast_keys"]


def test_admission_checklist_snapshot(
    build_app: Callable[..., SimsecApp], tmp_path: Path, snap_compare: Any
) -> None:
    async def play(pilot: Any) -> None:
        screen = await start(pilot)
        session = screen.session
        opened = session.perform(
            {
                "do": "open_admission",
                "with": {
                    "patient": "p_lucas",
                    "kind": "ambulatoire",
                    "practitioner": "dr_lambert",
                    "service": "chirurgie_ambulatoire",
                    "date": "2026-04-14",
                },
            }
        )
        key = opened.result["key"]
        for kind, holder in (
            ("livret_famille", "patient"),
            ("cni", "accompagnant"),
            ("lettre_medecin", "patient"),
        ):
            feedback = session.perform(
                {
                    "do": "record_admission_document",
                    "with": {"admission": key, "kind": kind, "holder": holder},
                }
            )
        screen.post_message(ActionPerformed(feedback))
        await pilot.press("f6")
        await idle(pilot)
        pilot.app.clear_notifications()
        await idle(pilot)

    app = planning_app(build_app, tmp_path, "admission_mineur_ambulatoire")
    assert snap_compare(app, terminal_size=SIZE, run_before=play)
