"""SQLAlchemy 2 models (``Mapped[]``) of every simsec entity."""

from simsec.db.models.access import AccessRequest, AccessRequestDocument
from simsec.db.models.admission import Admission, AdmissionDocument
from simsec.db.models.agenda import Appointment, Meeting, WaitlistEntry
from simsec.db.models.base import Base
from simsec.db.models.billing import Invoice, Payment
from simsec.db.models.desk import IdentityReport, Interaction, Letter, Message, Submission
from simsec.db.models.national import InsRegistryEntry, InsurerRecord
from simsec.db.models.patient import ContactPerson, Coverage, Patient, PatientDocument, RecordItem
from simsec.db.models.structure import Absence, AppointmentType, Practitioner, Structure

__all__ = [
    "Absence",
    "AccessRequest",
    "AccessRequestDocument",
    "Admission",
    "AdmissionDocument",
    "Appointment",
    "AppointmentType",
    "Base",
    "ContactPerson",
    "Coverage",
    "IdentityReport",
    "InsRegistryEntry",
    "InsurerRecord",
    "Interaction",
    "Invoice",
    "Letter",
    "Meeting",
    "Message",
    "Patient",
    "PatientDocument",
    "Payment",
    "Practitioner",
    "RecordItem",
    "Structure",
    "Submission",
    "WaitlistEntry",
]
