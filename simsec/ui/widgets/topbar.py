"""The workspace's top bar: the structure, the scenario clock, open tasks, who waits."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from simsec.i18n import _, ngettext
from simsec.ui.views import ShellState, format_clock

__all__ = ["ScenarioClock", "TopBar"]


def _minutes(state: ShellState) -> int:
    return int(state.remaining.total_seconds() // 60)


class ScenarioClock(Static):
    """The scenario time and what is left (red in the last five minutes)."""

    def show(self, state: ShellState) -> None:
        left = _minutes(state)
        paused = _(" (pause)") if state.speed <= 0 and not state.ended else ""
        self.update(
            _("{clock}{paused} · reste {minutes} min").format(
                clock=format_clock(state.now), paused=paused, minutes=left
            )
        )
        self.set_class(left < 5 and not state.ended, "-urgent")


class TopBar(Horizontal):
    """Structure · clock · tasks · queue · mode (and the teleservice faults)."""

    def compose(self) -> ComposeResult:
        yield Static(id="tb-structure")
        yield ScenarioClock(id="tb-clock")
        yield Static(id="tb-tasks")
        yield Static(id="tb-queue")
        yield Static(id="tb-mode")

    def show(self, state: ShellState) -> None:
        self.query_one("#tb-structure", Static).update(f"[b]{state.structure}[/b]")
        self.query_one(ScenarioClock).show(state)
        tasks = len(state.tasks)
        text = ngettext("{n} tâche", "{n} tâches", tasks).format(n=tasks)
        if state.tasks:
            # TRANSLATORS: the number of open tasks, then the first one (French: « : »)
            text = _("{tasks} : {first}").format(tasks=text, first=state.tasks[0].text)
        self.query_one("#tb-tasks", Static).update(text)
        queue = self.query_one("#tb-queue", Static)
        parts = [
            _("Guichet : {n}").format(n=state.waiting_visitors),
            _("Tél. : {n}").format(n=state.ringing_calls),
            _("Messages : {n}").format(n=state.unread_messages),
        ]
        queue.update(" · ".join(parts))
        queue.set_class(state.ringing_calls > 0, "-ringing")
        mode = f"{state.trainee or _('anonyme')} · " + (
            _("Guidé") if state.guided else _("Réaliste")
        )
        faults = " · ".join(f.text() for f in state.faults)
        self.query_one("#tb-mode", Static).update(f"{mode} · ⚠ {faults}" if faults else mode)
