"""Running slow work (building a world, replaying a log, scoring) off the UI thread.

A thread does not inherit the caller's context variables, among them the current
language of :mod:`simsec.i18n`: :func:`in_thread` runs the work in a copy of the
caller's context. The work reports back by posting a typed message
(:mod:`simsec.ui.messages`), which is thread-safe.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from simsec.i18n import _
from simsec.ui.messages import WorkFailed

__all__ = ["in_thread"]


def _unexpected(exc: Exception) -> str:
    return _("Erreur inattendue : {error}").format(error=exc)


_log = logging.getLogger(__name__)


def in_thread(node: Widget | Screen[object], work: Callable[[], Message], *, name: str) -> None:
    """Run ``work`` in a thread worker of ``node`` and post the message it returns to
    ``node`` (an expected failure is the work's own :class:`WorkFailed`; an unexpected
    exception becomes one too)."""
    context = contextvars.copy_context()

    def run() -> None:
        try:
            message = context.run(work)
        except Exception as exc:  # a defect: reported to the trainee, never a crash
            _log.exception("%s failed", name)
            message = WorkFailed(context.run(_unexpected, exc))
        node.post_message(message)

    node.run_worker(run, thread=True, name=name, exit_on_error=False, group=name)
