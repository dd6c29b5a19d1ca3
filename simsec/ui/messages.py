"""The typed messages of the trainee's TUI, kept together (ARCHITECTURE.md, habit 5).

Widgets and screens talk to each other, and workers talk to the UI, only through these
classes: a widget posts a request (``AttendRequested``), the workspace performs the action
through the session and broadcasts the new state (``SessionChanged``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from simsec.scenario.scoring import ScoreReport
    from simsec.ui.session import PlaySession
    from simsec.ui.views import ActionFeedback, FiredNotice, InterruptedRun, ScenarioCard

__all__ = [
    "ActionPerformed",
    "AttendRequested",
    "CatalogueLoaded",
    "DocumentChosen",
    "EndRunRequested",
    "LanguageChosen",
    "ModuleRequested",
    "PracticeRequested",
    "QuestionChosen",
    "ResumeRequested",
    "RunScored",
    "ScenarioRequested",
    "SessionChanged",
    "SessionReady",
    "WorkFailed",
]


class SessionChanged(Message):
    """The run moved on: an action was performed or scenario events fired.

    Sent by the workspace to itself and to every mounted module (``refresh_view``).
    """

    def __init__(
        self, fired: tuple[FiredNotice, ...] = (), feedback: ActionFeedback | None = None
    ) -> None:
        super().__init__()
        self.fired = fired
        self.feedback = feedback


class ActionPerformed(Message):
    """One action went through the engine (accepted or refused)."""

    def __init__(self, feedback: ActionFeedback) -> None:
        super().__init__()
        self.feedback = feedback


class ModuleRequested(Message):
    """Show the module ``module_id`` (``desk``, ``patients``, ``agenda``...)."""

    def __init__(self, module_id: str) -> None:
        super().__init__()
        self.module_id = module_id


class AttendRequested(Message):
    """Take charge of the waiting visitor or caller ``person`` (the ``attend`` action)."""

    def __init__(self, person: str) -> None:
        super().__init__()
        self.person = person


class EndRunRequested(Message):
    """The trainee ends the run (``completed``) or the time is up (``time_up``)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class ScenarioRequested(Message):
    """Home: play the scenario file ``path``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class PracticeRequested(Message):
    """Home: free practice in a generated world of ``population`` patients."""

    def __init__(self, seed: int, population: int) -> None:
        super().__init__()
        self.seed = seed
        self.population = population


class ResumeRequested(Message):
    """Home: resume the interrupted run whose log is ``path``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class QuestionChosen(Message):
    """Desk: ask the person being attended the catalogue question ``question``."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question


class DocumentChosen(Message):
    """Desk: ask the person being attended for a document of ``kind``."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind


class LanguageChosen(Message):
    """Home: the trainee chose another language (the app is rebuilt in it)."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang


class SessionReady(Message):
    """Worker: the run is ready to play (started, or resumed from its log)."""

    def __init__(self, session: PlaySession) -> None:
        super().__init__()
        self.session = session


class WorkFailed(Message):
    """Worker: starting, resuming or scoring failed; ``message`` is for the trainee."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class RunScored(Message):
    """Worker: the run ended and was scored."""

    def __init__(self, report: ScoreReport, reason: str) -> None:
        super().__init__()
        self.report = report
        self.reason = reason


class CatalogueLoaded(Message):
    """Worker: the home's scenario list and interrupted runs were read."""

    def __init__(
        self, scenarios: tuple[ScenarioCard, ...], interrupted: tuple[InterruptedRun, ...]
    ) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.interrupted = interrupted
