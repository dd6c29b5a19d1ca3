"""The action catalogue: everything a trainee can do, as pydantic models.

Source: ``SCENARIO_FORMAT.md`` § Actions (the public contract) and ``ARCHITECTURE.md``
("Everything the trainee does is an Action"). Each action has ``do`` (its name, the
discriminator of the :data:`Action` union) and ``with`` (its fields); ``as`` binds what
it creates (or, for searches, the result list) to a key. In a scenario's solutions an
action may also carry ``at`` (its scenario time) and ``expect_error`` (``false``, the
default: the rules must accept it; ``true``: they must refuse it; ``any``); the engine
ignores those two.

The TUI builds these models, the engine applies them, the run log records them
(``RUNLOG_FORMAT.md``, ``action`` records) and the scenario's solutions list them. Keep
every name: the format may gain actions and fields, never lose or rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import Discriminator, Field, Tag, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError

from simsec.actions.fields import (
    AdmissionRef,
    Amount,
    AppointmentRef,
    Bool,
    Date,
    DocumentRef,
    Duration,
    FormatModel,
    InvoiceRef,
    Key,
    LetterRef,
    LocalDateTime,
    PatientKey,
    PersonRef,
    PosInt,
    PractitionerRef,
    QuestionRef,
    RecipientRef,
    RecordRef,
    RefTo,
    RequestRef,
    ScenarioTime,
    SearchRef,
    TaskRef,
    TriBool,
)

# ----------------------------------------------------------------------- vocabulary

Sex = Literal["F", "M", "I"]
"""Sexe: F, M, or I (indéterminé). INS traits carry only M or F (ANS MOS)."""

IdentityStatus = Literal["provisoire", "recuperee", "validee", "qualifiee"]
"""The four RNIV confidence statuses (RNIV EXI SI 07; FR Core identity status)."""

IdentityAttribute = Literal["douteuse", "fictive"]
"""RNIV attributes the desk may set (DOUT, FICT; allowed only with PROV)."""

Question = Literal[
    "birth_name",
    "first_names",
    "used_name",
    "used_first_name",
    "birth_date",
    "birth_place",
    "sex",
    "address",
    "phone",
    "email",
    "reason",
    "medecin_traitant",
    "relationship",
    "patient_name",
    "availability",
    "insurance",
    "mutuelle",
    "contact_person",
    "free",
]
"""The question catalogue of the ``ask`` action (SCENARIO_FORMAT.md § people)."""

DocumentKind = Literal[
    "cni",
    "passeport",
    "titre_sejour",
    "permis_conduire",
    "carte_vitale",
    "attestation_droits",
    "carte_mutuelle",
    "attestation_c2s",
    "attestation_ame",
    "ceam",
    "livret_famille",
    "acte_naissance",
    "acte_deces",
    "acte_notoriete",
    "jugement_tutelle",
    "feuille_at",
    "ordonnance",
    "lettre_medecin",
    "justificatif_domicile",
    "autorisation_operer",
    "demande_ecrite",
    # proofs of a request for access to the medical record (simsec/data/access.yaml)
    "jugement_curatelle",
    "jugement_habilitation_familiale",
    "consentement_ecrit",
    "certificat_heredite",
    "certificat_concubinage",
    "attestation_vie_commune",
    "attestation_pacs",
    "designation_medecin",
    "carte_cps",
    "attestation_rpps",
]
"""Documents a person may carry or send (SCENARIO_FORMAT.md § people). The last ten are
simsec additions: the proofs that ``simsec/data/access.yaml`` names for a curateur, an
heir, a concubin, a partenaire de PACS and a designated doctor."""

Outcome = Literal[
    "oriented", "transferred", "message_taken", "appointment_given", "refused", "done"
]
InsiMode = Literal["traits", "vitale"]
IdentityIssueKind = Literal["doublon", "collision"]
TiersPayant = Literal["none", "amo", "amo_amc"]
PaymentMethod = Literal["cb", "especes", "cheque"]
CancelledBy = Literal["patient", "practitioner", "structure"]
AdmissionKind = Literal["consultation", "hospitalisation", "ambulatoire", "urgence"]
ContactRole = Literal["confiance", "prevenir"]
RequesterKind = Literal[
    "patient",
    "parent",
    "tuteur",
    "ayant_droit",
    "medecin",
    "curateur",
    "concubin",
    "partenaire_pacs",
    "tiers",
]
"""Who asks for a medical record (CSP R1111-1, L1110-4). The first five are the format's;
simsec adds ``curateur`` (protection avec assistance), ``concubin`` and
``partenaire_pacs`` (of a deceased patient), and ``tiers``: anyone else, who has no right
of access (the request is registered, then refused in writing with its motive)."""
HeirMotive = Literal["causes_deces", "defendre_memoire", "faire_valoir_droits"]
"""An heir's motive (CSP L1110-4 al. 7): causes of death, memory, rights."""
RequestChannel = Literal["courrier", "email", "guichet"]
Delivery = Literal["envoi_postal", "remise_sur_place", "consultation_sur_place", "medecin"]
LetterTemplate = Literal[
    "convocation", "accuse_reception", "demande_pieces_manquantes", "courrier_confrere"
]
Regime = Literal[
    "general",
    "msa",
    "alsace_moselle",
    "cnmss",
    "enim",
    "sncf",
    "ratp",
    "camieg",
    "banque_de_france",
    "autre",
    "ceam",
]
"""AMO régimes (domain reference §4.1): général (CPAM), MSA, special régimes, Alsace-Moselle;
``ceam``: a European health insurance card holder on a temporary stay, covered like a
locally insured person for the care needed during the stay (couverture.md; Regulation (EC)
883/2004 art. 19), the rights dates being the card's validity."""
Exemption = Literal["none", "ald", "maternite", "at_mp"]
"""Exonérations of the ticket modérateur carried by the AMO rights (domain reference §4.3)."""


def literal_values(literal: Any) -> tuple[str, ...]:
    """The values of a ``Literal`` type, e.g. ``literal_values(DocumentKind)``."""
    return tuple(str(value) for value in get_args(literal))


# ------------------------------------------------------------------ value models


class Address(FormatModel):
    """A postal address."""

    line: str
    postcode: str
    city: str


class AmoCoverage(FormatModel):
    """AMO rights (assurance maladie obligatoire): régime, caisse, dates, exemption."""

    regime: Regime = "general"
    caisse: str | None = None
    rights_from: Date | None = None
    rights_until: Date | None = None
    exemption: Exemption = "none"
    c2s: Bool = False
    """Complémentaire santé solidaire recorded in the rights (tiers payant intégral)."""
    ame: Bool = False
    """Aide médicale de l'État instead of AMO rights."""


class AmcCoverage(FormatModel):
    """AMC (mutuelle): organisme, contract, validity and tiers payant."""

    organisme: str
    contract: str | None = None
    valid_from: Date | None = None
    valid_until: Date | None = None
    tiers_payant: Bool = False


class FoundRef(FormatModel):
    """A patient found by an earlier search: ``{found: search_key, rank: 1}``."""

    found: SearchRef
    rank: PosInt = 1


def _ref_or_found(value: Any) -> str:
    return "=found" if isinstance(value, dict | FoundRef) else "=key"


#: A patient: a key (fixture, ``as`` binding, generated key) or ``{found: key, rank: N}``.
PatientRef = Annotated[
    Annotated[PatientKey, Tag("=key")] | Annotated[FoundRef, Tag("=found")],
    Discriminator(_ref_or_found),
    RefTo(("patient",)),
]


class Requester(FormatModel):
    """Who asks for access to a medical record (CSP R1111-1)."""

    kind: RequesterKind
    name: str
    relationship: str | None = None
    motive: HeirMotive | None = None
    on_behalf_of: RequesterKind | None = None
    """simsec addition, for ``kind: medecin`` only: the person the designated doctor acts
    for (``patient``, ``parent``, ``tuteur``, ``curateur``, ``ayant_droit``, ``concubin``
    or ``partenaire_pacs``); the doctor brings that person's proofs on top of their own.
    Omitted: the person who has the right to the record (an ayant droit after a death, a
    parent for a minor, the patient otherwise). May come with a ``relationship``."""


def _all_or_list(value: Any) -> str:
    return "=list" if isinstance(value, list | tuple) else "=all"


#: ``all`` or a list of medical-record item keys.
RecordItems = Annotated[
    Annotated[Literal["all"], Tag("=all")] | Annotated[list[RecordRef], Tag("=list")],
    Discriminator(_all_or_list),
]


class PatientTraits(FormatModel):
    """The fields of a patient identity a trainee types (traits and contact, no status)."""

    birth_name: str
    first_names: list[str] = Field(min_length=1)
    used_name: str | None = None
    used_first_name: str | None = None
    birth_date: Date
    sex: Sex
    birth_place: str | None = None
    nir: str | None = None
    phone: str | None = None
    email: str | None = None
    address: Address | None = None
    medecin_traitant: str | None = None
    """The declared médecin traitant (a practitioner key or a name; CSS L162-5-3)."""


class PatientChanges(FormatModel):
    """``update_patient``'s ``set``: the fields to change (``null`` clears an optional one)."""

    birth_name: str | None = None
    first_names: list[str] | None = Field(default=None, min_length=1)
    used_name: str | None = None
    used_first_name: str | None = None
    birth_date: Date | None = None
    sex: Sex | None = None
    birth_place: str | None = None
    nir: str | None = None
    phone: str | None = None
    email: str | None = None
    address: Address | None = None
    medecin_traitant: str | None = None
    """The declared médecin traitant (a practitioner key or a name; ``null``: none)."""

    @model_validator(mode="after")
    def _not_empty(self) -> PatientChanges:
        if not self.model_fields_set:
            raise PydanticCustomError("simsec_empty_set", "at least one field to change")
        return self


# ------------------------------------------------------------------ action fields
# One model per action: ``<Action>Fields`` is what ``with`` holds.


class PersonFields(FormatModel):
    person: PersonRef


class AskFields(FormatModel):
    person: PersonRef
    question: Question
    keyword: str | None = None
    """For ``question: free``: the keyword looked up in the person's ``answers.free``."""


class RequestDocumentFields(FormatModel):
    person: PersonRef
    kind: DocumentKind


class SayFields(FormatModel):
    person: PersonRef
    text: str


class EndInteractionFields(FormatModel):
    person: PersonRef
    outcome: Outcome
    note: str | None = None


class SendMessageFields(FormatModel):
    to: RecipientRef
    subject: str
    body: str
    patient: PatientRef | None = None


class SearchPatientsFields(FormatModel):
    birth_name: str | None = None
    used_name: str | None = None
    first_name: str | None = None
    birth_date: Date | None = None
    ins: str | None = None
    text: str | None = None

    @model_validator(mode="after")
    def _one_criterion(self) -> SearchPatientsFields:
        if all(getattr(self, name) is None for name in type(self).model_fields):
            raise PydanticCustomError("simsec_no_criterion", "at least one search criterion")
        return self


class CreatePatientFields(PatientTraits):
    pass


class UpdatePatientFields(FormatModel):
    patient: PatientRef
    set_: PatientChanges = Field(alias="set")


class PatientDocumentFields(FormatModel):
    patient: PatientRef
    document: DocumentRef


class CallInsiFields(FormatModel):
    patient: PatientRef
    mode: InsiMode


class FlagIdentityFields(FormatModel):
    patient: PatientRef
    attribute: IdentityAttribute
    on: Bool


class ReportIdentityIssueFields(FormatModel):
    patients: list[PatientRef] = Field(min_length=2)
    kind: IdentityIssueKind
    note: str | None = None


class PatientFields(FormatModel):
    patient: PatientRef


class SetCoverageFields(FormatModel):
    patient: PatientRef
    amo: AmoCoverage | None = None
    amc: AmcCoverage | None = None


class BillFields(FormatModel):
    appointment: AppointmentRef | None = None
    admission: AdmissionRef | None = None
    acts: list[str] = Field(min_length=1)
    tiers_payant: TiersPayant

    @model_validator(mode="after")
    def _one_target(self) -> BillFields:
        if (self.appointment is None) == (self.admission is None):
            raise PydanticCustomError("simsec_bill_target", "either appointment or admission")
        return self


class RecordPaymentFields(FormatModel):
    invoice: InvoiceRef
    amount: Amount
    method: PaymentMethod


class FindSlotsFields(FormatModel):
    type: str
    practitioner: PractitionerRef | None = None
    after: ScenarioTime | None = None
    before: ScenarioTime | None = None
    count: PosInt | None = None


class BookAppointmentFields(FormatModel):
    patient: PatientRef
    practitioner: PractitionerRef
    type: str
    start: LocalDateTime
    reason: str | None = None
    urgent: bool = False


class MoveAppointmentFields(FormatModel):
    appointment: AppointmentRef
    start: LocalDateTime
    practitioner: PractitionerRef | None = None


class CancelAppointmentFields(FormatModel):
    appointment: AppointmentRef
    by: CancelledBy
    reason: str


class AppointmentFields(FormatModel):
    appointment: AppointmentRef


class AddToWaitlistFields(FormatModel):
    patient: PatientRef
    type: str
    practitioner: PractitionerRef | None = None
    note: str | None = None


class AddAbsenceFields(FormatModel):
    practitioner: PractitionerRef
    from_: LocalDateTime = Field(alias="from")
    to: LocalDateTime
    reason: str


class ScheduleMeetingFields(FormatModel):
    title: str
    participants: list[str] = Field(min_length=1)
    """Practitioner keys or names."""
    start: LocalDateTime
    minutes: PosInt
    room: str | None = None


class OpenAdmissionFields(FormatModel):
    patient: PatientRef
    kind: AdmissionKind
    practitioner: PractitionerRef | None = None
    service: str | None = None
    date: Date


AdmissionHolder = Literal["patient", "accompagnant"]
"""Whose an admission document is: the patient's own, or the accompanying person's (a
minor's parent, a guardian). RNIV volet 1 §3.3.3: a minor's identity is the child's
document (livret de famille, acte de naissance, own card) plus a parent's identity
document: two checks, two holders."""


class RecordAdmissionDocumentFields(FormatModel):
    admission: AdmissionRef
    kind: DocumentKind
    holder: AdmissionHolder = "patient"
    """Whose document it is (default ``patient``); always written in the run log."""

    @model_validator(mode="before")
    @classmethod
    def _holder_logged(cls, data: Any) -> Any:
        """The default holder is set explicitly, so that the run log and the checks
        (``with: {holder: patient}``) always see whose document it was."""
        if isinstance(data, dict) and "holder" not in data:
            return {**data, "holder": "patient"}
        return data


class SetContactPersonFields(FormatModel):
    patient: PatientRef
    role: ContactRole
    name: str
    phone: str
    relationship: str


class AdmissionFields(FormatModel):
    admission: AdmissionRef


class RegisterAccessRequestFields(FormatModel):
    """A request for access to a medical record (CSP L1111-7, R1111-1 to R1111-8)."""

    patient: PatientRef
    requester: Requester
    received_on: Date
    channel: RequestChannel
    items: RecordItems
    delivery: Delivery


class RequestDocumentKindFields(FormatModel):
    request: RequestRef
    kind: DocumentKind


class RequestMissingDocumentsFields(FormatModel):
    request: RequestRef
    kinds: list[DocumentKind] = Field(min_length=1)


class RequestOnFields(FormatModel):
    request: RequestRef
    on: Date


class PrepareCommunicationFields(FormatModel):
    request: RequestRef
    items: RecordItems


class SendCommunicationFields(FormatModel):
    request: RequestRef
    on: Date
    mode: Delivery


class RefuseAccessRequestFields(FormatModel):
    request: RequestRef
    motive: str


class RequestFields(FormatModel):
    request: RequestRef


class WriteLetterFields(FormatModel):
    template: LetterTemplate
    to: str
    patient: PatientRef | None = None
    fields: dict[str, str] = Field(default_factory=dict)


class SendLetterFields(FormatModel):
    letter: LetterRef


class EditLetterFields(FormatModel):
    """A draft's new text: ``fields`` maps ``subject``, ``body`` or a placeholder of its
    template to the new text; ``to`` changes the recipient. A sent letter is refused."""

    letter: LetterRef
    fields: dict[str, str] = Field(default_factory=dict)
    to: str | None = None


class DiscardLetterFields(FormatModel):
    letter: LetterRef


class SubmitTranscriptionFields(FormatModel):
    task: TaskRef
    text: str


class SubmitAnswerFields(FormatModel):
    question: QuestionRef
    value: str

    @model_validator(mode="before")
    @classmethod
    def _text_value(cls, data: Any) -> Any:
        """The submitted answer as typed: numbers are kept as their text."""
        if isinstance(data, dict) and isinstance(data.get("value"), int | Decimal):
            return {**data, "value": str(data["value"])}
        return data


class WaitFields(FormatModel):
    until: ScenarioTime | None = None
    for_: Duration | None = Field(default=None, alias="for")

    @model_validator(mode="after")
    def _one_of(self) -> WaitFields:
        if (self.until is None) == (self.for_ is None):
            raise PydanticCustomError("simsec_wait", "either until or for")
        return self


# ------------------------------------------------------------------------- actions


class ActionBase(FormatModel):
    """What every action has: ``do``, ``with``, ``as``; ``at``/``expect_error`` in solutions."""

    do: str
    with_: FormatModel = Field(alias="with")
    as_: Key | None = Field(default=None, alias="as")
    at: ScenarioTime | None = None
    """Solutions only: the scenario time of the action (else it follows the previous one)."""
    expect_error: TriBool = False
    """Solutions only: ``false`` the rules must accept it, ``true`` refuse it, ``any``."""


# desk
class Attend(ActionBase):
    do: Literal["attend"]
    with_: PersonFields = Field(alias="with")


class Ask(ActionBase):
    do: Literal["ask"]
    with_: AskFields = Field(alias="with")


class RequestDocument(ActionBase):
    do: Literal["request_document"]
    with_: RequestDocumentFields = Field(alias="with")


class Say(ActionBase):
    do: Literal["say"]
    with_: SayFields = Field(alias="with")


class EndInteraction(ActionBase):
    do: Literal["end_interaction"]
    with_: EndInteractionFields = Field(alias="with")


class SendMessage(ActionBase):
    do: Literal["send_message"]
    with_: SendMessageFields = Field(alias="with")


# identity
class SearchPatients(ActionBase):
    do: Literal["search_patients"]
    with_: SearchPatientsFields = Field(alias="with")


class CreatePatient(ActionBase):
    do: Literal["create_patient"]
    with_: CreatePatientFields = Field(alias="with")


class UpdatePatient(ActionBase):
    do: Literal["update_patient"]
    with_: UpdatePatientFields = Field(alias="with")


class CheckIdentityDocument(ActionBase):
    do: Literal["check_identity_document"]
    with_: PatientDocumentFields = Field(alias="with")


class CallInsi(ActionBase):
    do: Literal["call_insi"]
    with_: CallInsiFields = Field(alias="with")


class FlagIdentity(ActionBase):
    do: Literal["flag_identity"]
    with_: FlagIdentityFields = Field(alias="with")


class ReportIdentityIssue(ActionBase):
    do: Literal["report_identity_issue"]
    with_: ReportIdentityIssueFields = Field(alias="with")


class AttachDocument(ActionBase):
    do: Literal["attach_document"]
    with_: PatientDocumentFields = Field(alias="with")


# insurance
class ReadVitale(ActionBase):
    do: Literal["read_vitale"]
    with_: PatientDocumentFields = Field(alias="with")


class CheckRights(ActionBase):
    do: Literal["check_rights"]
    with_: PatientFields = Field(alias="with")


class SetCoverage(ActionBase):
    do: Literal["set_coverage"]
    with_: SetCoverageFields = Field(alias="with")


# payment
class Bill(ActionBase):
    do: Literal["bill"]
    with_: BillFields = Field(alias="with")


class RecordPayment(ActionBase):
    do: Literal["record_payment"]
    with_: RecordPaymentFields = Field(alias="with")


# agenda
class FindSlots(ActionBase):
    do: Literal["find_slots"]
    with_: FindSlotsFields = Field(alias="with")


class BookAppointment(ActionBase):
    do: Literal["book_appointment"]
    with_: BookAppointmentFields = Field(alias="with")


class MoveAppointment(ActionBase):
    do: Literal["move_appointment"]
    with_: MoveAppointmentFields = Field(alias="with")


class CancelAppointment(ActionBase):
    do: Literal["cancel_appointment"]
    with_: CancelAppointmentFields = Field(alias="with")


class MarkArrived(ActionBase):
    do: Literal["mark_arrived"]
    with_: AppointmentFields = Field(alias="with")


class MarkNoShow(ActionBase):
    do: Literal["mark_no_show"]
    with_: AppointmentFields = Field(alias="with")


class AddToWaitlist(ActionBase):
    do: Literal["add_to_waitlist"]
    with_: AddToWaitlistFields = Field(alias="with")


class AddAbsence(ActionBase):
    do: Literal["add_absence"]
    with_: AddAbsenceFields = Field(alias="with")


class ScheduleMeeting(ActionBase):
    do: Literal["schedule_meeting"]
    with_: ScheduleMeetingFields = Field(alias="with")


# admission
class OpenAdmission(ActionBase):
    do: Literal["open_admission"]
    with_: OpenAdmissionFields = Field(alias="with")


class RecordAdmissionDocument(ActionBase):
    do: Literal["record_admission_document"]
    with_: RecordAdmissionDocumentFields = Field(alias="with")


class SetContactPerson(ActionBase):
    do: Literal["set_contact_person"]
    with_: SetContactPersonFields = Field(alias="with")


class CloseAdmission(ActionBase):
    do: Literal["close_admission"]
    with_: AdmissionFields = Field(alias="with")


# access to the medical record
class RegisterAccessRequest(ActionBase):
    do: Literal["register_access_request"]
    with_: RegisterAccessRequestFields = Field(alias="with")


class RecordRequestDocument(ActionBase):
    do: Literal["record_request_document"]
    with_: RequestDocumentKindFields = Field(alias="with")


class RequestMissingDocuments(ActionBase):
    do: Literal["request_missing_documents"]
    with_: RequestMissingDocumentsFields = Field(alias="with")


class MarkRequestComplete(ActionBase):
    do: Literal["mark_request_complete"]
    with_: RequestOnFields = Field(alias="with")


class PrepareCommunication(ActionBase):
    do: Literal["prepare_communication"]
    with_: PrepareCommunicationFields = Field(alias="with")


class SendCommunication(ActionBase):
    do: Literal["send_communication"]
    with_: SendCommunicationFields = Field(alias="with")


class RefuseAccessRequest(ActionBase):
    do: Literal["refuse_access_request"]
    with_: RefuseAccessRequestFields = Field(alias="with")


class CloseAccessRequest(ActionBase):
    do: Literal["close_access_request"]
    with_: RequestFields = Field(alias="with")


# documents
class WriteLetter(ActionBase):
    do: Literal["write_letter"]
    with_: WriteLetterFields = Field(alias="with")


class SendLetter(ActionBase):
    do: Literal["send_letter"]
    with_: SendLetterFields = Field(alias="with")


class EditLetter(ActionBase):
    do: Literal["edit_letter"]
    with_: EditLetterFields = Field(alias="with")


class DiscardLetter(ActionBase):
    do: Literal["discard_letter"]
    with_: DiscardLetterFields = Field(alias="with")


class SubmitTranscription(ActionBase):
    do: Literal["submit_transcription"]
    with_: SubmitTranscriptionFields = Field(alias="with")


# statistics
class SubmitAnswer(ActionBase):
    do: Literal["submit_answer"]
    with_: SubmitAnswerFields = Field(alias="with")


# clock
class Wait(ActionBase):
    do: Literal["wait"]
    with_: WaitFields = Field(alias="with")


Action = Annotated[
    Attend
    | Ask
    | RequestDocument
    | Say
    | EndInteraction
    | SendMessage
    | SearchPatients
    | CreatePatient
    | UpdatePatient
    | CheckIdentityDocument
    | CallInsi
    | FlagIdentity
    | ReportIdentityIssue
    | AttachDocument
    | ReadVitale
    | CheckRights
    | SetCoverage
    | Bill
    | RecordPayment
    | FindSlots
    | BookAppointment
    | MoveAppointment
    | CancelAppointment
    | MarkArrived
    | MarkNoShow
    | AddToWaitlist
    | AddAbsence
    | ScheduleMeeting
    | OpenAdmission
    | RecordAdmissionDocument
    | SetContactPerson
    | CloseAdmission
    | RegisterAccessRequest
    | RecordRequestDocument
    | RequestMissingDocuments
    | MarkRequestComplete
    | PrepareCommunication
    | SendCommunication
    | RefuseAccessRequest
    | CloseAccessRequest
    | WriteLetter
    | SendLetter
    | EditLetter
    | DiscardLetter
    | SubmitTranscription
    | SubmitAnswer
    | Wait,
    Field(discriminator="do"),
]
"""Any action: a discriminated union on ``do``."""


@dataclass(frozen=True, slots=True)
class ActionInfo:
    """What the engine and the validator need to know about an action besides its fields."""

    name: str
    area: str
    model: type[ActionBase]
    fields: type[FormatModel]
    creates: str | None
    """The kind of what ``as`` binds (``patient``, ``search``...), None if nothing."""
    solutions_only: bool = False


def _info(area: str, model: type[ActionBase], creates: str | None = None) -> ActionInfo:
    name = literal_values(model.model_fields["do"].annotation)[0]
    fields = model.model_fields["with_"].annotation
    assert isinstance(fields, type) and issubclass(fields, FormatModel)
    return ActionInfo(name, area, model, fields, creates, solutions_only=name == "wait")


#: The catalogue, by action name, in the order of SCENARIO_FORMAT.md.
CATALOGUE: Final[dict[str, ActionInfo]] = {
    info.name: info
    for info in (
        _info("desk", Attend),
        _info("desk", Ask),
        _info("desk", RequestDocument),
        _info("desk", Say),
        _info("desk", EndInteraction),
        _info("desk", SendMessage, "message"),
        _info("identity", SearchPatients, "search"),
        _info("identity", CreatePatient, "patient"),
        _info("identity", UpdatePatient),
        _info("identity", CheckIdentityDocument),
        _info("identity", CallInsi),
        _info("identity", FlagIdentity),
        _info("identity", ReportIdentityIssue, "identity_report"),
        _info("identity", AttachDocument),
        _info("insurance", ReadVitale),
        _info("insurance", CheckRights),
        _info("insurance", SetCoverage),
        _info("payment", Bill, "invoice"),
        _info("payment", RecordPayment),
        _info("agenda", FindSlots, "slots"),
        _info("agenda", BookAppointment, "appointment"),
        _info("agenda", MoveAppointment),
        _info("agenda", CancelAppointment),
        _info("agenda", MarkArrived),
        _info("agenda", MarkNoShow),
        _info("agenda", AddToWaitlist, "waitlist"),
        _info("agenda", AddAbsence, "absence"),
        _info("agenda", ScheduleMeeting, "meeting"),
        _info("admission", OpenAdmission, "admission"),
        _info("admission", RecordAdmissionDocument),
        _info("admission", SetContactPerson),
        _info("admission", CloseAdmission),
        _info("access", RegisterAccessRequest, "request"),
        _info("access", RecordRequestDocument),
        _info("access", RequestMissingDocuments),
        _info("access", MarkRequestComplete),
        _info("access", PrepareCommunication),
        _info("access", SendCommunication),
        _info("access", RefuseAccessRequest),
        _info("access", CloseAccessRequest),
        _info("documents", WriteLetter, "letter"),
        _info("documents", SendLetter),
        _info("documents", EditLetter),
        _info("documents", DiscardLetter),
        _info("documents", SubmitTranscription),
        _info("statistics", SubmitAnswer),
        _info("clock", Wait),
    )
}

ACTION_NAMES: Final[tuple[str, ...]] = tuple(CATALOGUE)

#: Validates any action from a dict (``{"do": ..., "with": {...}}``).
ACTION_ADAPTER: Final[TypeAdapter[Action]] = TypeAdapter(Action)


def parse_action(data: Any) -> ActionBase:
    """Validate one action (raises :class:`pydantic.ValidationError`)."""
    action: ActionBase = ACTION_ADAPTER.validate_python(data)
    return action
