"""``python -m simsec.ui``: the TUI home, as ``simsec`` with no command opens it.

``simsec serve`` runs this for each browser (textual-serve starts one process per
connection). Options: ``--lang fr|en``, ``--trainee NAME``.
"""

from __future__ import annotations

import sys

from simsec.ui.runner import home_main

if __name__ == "__main__":  # pragma: no cover - a process entry point
    sys.exit(home_main(sys.argv[1:]))
