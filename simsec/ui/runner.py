"""Running the TUI in this process: the loop that rebuilds the app when the trainee
chooses another language, and ``python -m simsec.ui`` (the home; what ``simsec serve``
starts for each browser). Kept out of :mod:`simsec.cli`, whose package imports every
command module: the served home starts faster without them.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from simsec.i18n import activate_for_process, resolve_lang

__all__ = ["home_main", "run_tui"]


def run_tui(
    lang: str | None,
    *,
    trainee: str = "",
    scenario: Path | None = None,
    speed: float = 1.0,
    assessed: bool = True,
) -> int:
    """Run the TUI (the home, or ``scenario`` at once) until the trainee quits; 0."""
    from simsec.config import Settings
    from simsec.ui.context import RestartRequest
    from simsec.ui.factory import make_app

    settings = Settings()
    chosen = resolve_lang(lang or settings.lang, os.environ)
    while True:
        app = make_app(
            settings,
            lang=chosen,
            trainee=trainee,
            scenario=scenario,
            speed=speed,
            assessed=assessed,
        )
        result = app.run()
        if not isinstance(result, RestartRequest):
            return 0
        chosen, trainee, scenario = result.lang, result.trainee, None
        activate_for_process(chosen)


def home_main(argv: Sequence[str]) -> int:
    """``python -m simsec.ui [--lang fr|en] [--trainee NAME]``: the home."""
    parser = argparse.ArgumentParser(prog="python -m simsec.ui")
    parser.add_argument("--lang", choices=["fr", "en"], default=None)
    parser.add_argument("--trainee", default="")
    args = parser.parse_args(list(argv))
    lang = resolve_lang(args.lang, os.environ)
    activate_for_process(lang)
    return run_tui(lang, trainee=args.trainee)
