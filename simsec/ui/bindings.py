"""Key bindings in the user's language.

Textual reads ``BINDINGS`` when a class is defined, i.e. at import time, before the
language is chosen (ARCHITECTURE.md: no locale set at import time). So bindings are
written with their French description (the gettext msgid, marked with ``N_``) and each
node translates its own copy when it is built (:func:`localise`). Every binding has an
``id`` so that a keymap can rebind it (``App.set_keymap``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from simsec.i18n import _

__all__ = ["localise", "translated"]


def translated(binding: Binding) -> Binding:
    """``binding`` with its description and tooltip in the current language."""
    return replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    )


def localise(node: DOMNode, extra: Iterable[Binding] = ()) -> None:
    """Give ``node`` its class's bindings translated, plus ``extra`` ones (built at run
    time, e.g. one per registered module). Call it in ``__init__``, after
    ``super().__init__()``; calling it again re-translates from the French msgids."""
    source = type(node)._merged_bindings  # the class's bindings, as written (msgids)
    keys: dict[str, list[Binding]] = {
        key: [translated(binding) for binding in bindings]
        for key, bindings in (source.key_to_bindings if source is not None else {}).items()
    }
    for binding in extra:
        keys.setdefault(binding.key, []).append(translated(binding))
    node._bindings = BindingsMap.from_keys(keys)
