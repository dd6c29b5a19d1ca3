"""The service of every action of the catalogue (``SCENARIO_FORMAT.md`` § Actions).

The engine calls ``SERVICES[action.do](ctx, action.with_)`` inside the action's
transaction, after resolving every reference to a plain key. ``wait`` has no service: the
engine moves the clock itself. A test keeps this mapping in step with the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from simsec.services import (
    access,
    admission,
    agenda,
    billing,
    desk,
    documents,
    identity,
    insurance,
)
from simsec.services.base import ServiceContext

__all__ = ["SERVICES", "ServiceFn"]

ServiceFn = Callable[[ServiceContext, Any], dict[str, Any]]
"""``fn(ctx, fields)``: ``fields`` is the action's ``<Action>Fields`` model; the result is
JSON-able data (dates as ISO strings, amounts as strings)."""

SERVICES: Final[dict[str, ServiceFn]] = {
    # desk
    "attend": desk.attend,
    "ask": desk.ask,
    "request_document": desk.request_document,
    "say": desk.say,
    "end_interaction": desk.end_interaction,
    "send_message": desk.send_message,
    # identity
    "search_patients": identity.search_patients,
    "create_patient": identity.create_patient,
    "update_patient": identity.update_patient,
    "check_identity_document": identity.check_identity_document,
    "call_insi": identity.call_insi,
    "flag_identity": identity.flag_identity,
    "report_identity_issue": identity.report_identity_issue,
    "attach_document": identity.attach_document,
    # insurance
    "read_vitale": insurance.read_vitale,
    "check_rights": insurance.check_rights_service,
    "set_coverage": insurance.set_coverage,
    # payment
    "bill": billing.bill,
    "record_payment": billing.record_payment,
    # agenda
    "find_slots": agenda.find_slots,
    "book_appointment": agenda.book_appointment,
    "move_appointment": agenda.move_appointment,
    "cancel_appointment": agenda.cancel_appointment,
    "mark_arrived": agenda.mark_arrived,
    "mark_no_show": agenda.mark_no_show,
    "add_to_waitlist": agenda.add_to_waitlist,
    "add_absence": agenda.add_absence,
    "schedule_meeting": agenda.schedule_meeting,
    # admission
    "open_admission": admission.open_admission,
    "record_admission_document": admission.record_admission_document,
    "set_contact_person": admission.set_contact_person,
    "close_admission": admission.close_admission,
    # access to the medical record
    "register_access_request": access.register_access_request,
    "record_request_document": access.record_request_document,
    "request_missing_documents": access.request_missing_documents,
    "mark_request_complete": access.mark_request_complete,
    "prepare_communication": access.prepare_communication,
    "send_communication": access.send_communication,
    "refuse_access_request": access.refuse_access_request,
    "close_access_request": access.close_access_request,
    # documents and statistics
    "write_letter": documents.write_letter,
    "send_letter": documents.send_letter,
    "edit_letter": documents.edit_letter,
    "discard_letter": documents.discard_letter,
    "submit_transcription": documents.submit_transcription,
    "submit_answer": documents.submit_answer,
}
