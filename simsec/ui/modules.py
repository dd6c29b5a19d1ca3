"""The registry of workspace modules.

Each module of the simulated ERP (PRODUCT.md §2: desk, patients and identity, insurance
and payment, agenda, admission, access to the record, messages...) is one
:class:`~simsec.ui.screens.base.ModuleScreen` subclass in its own file under
``simsec/ui/screens/``. The workspace shows one navigation entry and one key per entry of
:data:`MODULES`, in this order, and imports a module's file only when it is first opened
(a fast start; no import-time registration side effects).

To add a module, write its screen (see :class:`simsec.ui.screens.base.ModuleScreen`) and
add one :class:`ModuleSpec` line below. Keys already taken: ``f2`` desk; planned:
``f3`` patients/identity, ``f4`` insurance/payment, ``f5`` agenda, ``f6`` admission,
``f7`` access to the record, ``f8`` messages, ``f9`` documents.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from simsec.i18n import N_, _

if TYPE_CHECKING:
    from simsec.ui.screens.base import ModuleScreen

__all__ = ["MODULES", "ModuleSpec", "module_by_id"]


@dataclass(frozen=True, slots=True)
class ModuleSpec:
    """One module of the workspace.

    ``title`` is the French label (a gettext msgid, translated when shown); ``key`` opens
    the module from anywhere in the workspace; ``target`` is ``"package.module:Class"``,
    imported on first use; ``css`` the module's style sheet, a file next to the screens
    in ``simsec/ui/screens/`` (loaded with the workspace).
    """

    id: str
    title: str
    key: str
    target: str
    css: str | None = None

    @property
    def label(self) -> str:
        """The title in the current language."""
        return _(self.title)

    def load(self) -> type[ModuleScreen]:
        """The module's screen class (imports its file)."""
        from simsec.ui.screens.base import ModuleScreen

        module_name, _sep, class_name = self.target.partition(":")
        found = getattr(importlib.import_module(module_name), class_name)
        if not (isinstance(found, type) and issubclass(found, ModuleScreen)):
            raise TypeError(f"{self.target} is not a ModuleScreen")
        return found


#: The modules of the workspace, in navigation order.
MODULES: Final[tuple[ModuleSpec, ...]] = (
    ModuleSpec("desk", N_("Accueil"), "f2", "simsec.ui.screens.desk:DeskModule", "desk.tcss"),
    ModuleSpec(
        "patients",
        N_("Patients"),
        "f3",
        "simsec.ui.screens.patients:PatientsModule",
        "patients.tcss",
    ),
    ModuleSpec(
        "insurance",
        N_("Assurance"),
        "f4",
        "simsec.ui.screens.insurance:InsuranceModule",
        "insurance.tcss",
    ),
    ModuleSpec(
        "agenda", N_("Agenda"), "f5", "simsec.ui.screens.agenda:AgendaModule", "agenda.tcss"
    ),
    ModuleSpec(
        "admission",
        N_("Admission"),
        "f6",
        "simsec.ui.screens.admission:AdmissionModule",
        "admission.tcss",
    ),
    ModuleSpec(
        "access",
        N_("Accès au dossier"),
        "f7",
        "simsec.ui.screens.access:AccessModule",
        "access.tcss",
    ),
    ModuleSpec(
        "messages",
        N_("Messages"),
        "f8",
        "simsec.ui.screens.messages:MessagesModule",
        "messages.tcss",
    ),
)


def module_by_id(modules: tuple[ModuleSpec, ...], module_id: str) -> ModuleSpec | None:
    return next((spec for spec in modules if spec.id == module_id), None)
