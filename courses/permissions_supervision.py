"""Who may do what with supervision, references and the application
checklist; re-exported by ``courses.permissions``, the one place views and
templates ask.

The object rule: a supervisor acts on the agreements that name them as
supervisor, and the logs made under those; a trainee on their own. Everyone
else gets a 404 for such records, so their existence is not disclosed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

SUPERVISE = "courses.sign_hourentry"
LOG_SUPERVISION = "courses.add_hourentry"
APPROVE_AGREEMENTS = "courses.approve_supervisoryagreement"
VIEW_ANY_LEDGER = "courses.view_any_ledger"


def user_can_supervise(user) -> bool:
    """Reach the "Supervision" page; which supervisees is the agreements'."""
    return user.has_perm(SUPERVISE)


def user_can_log_supervision(user) -> bool:
    """A trainee's side: agreements, sessions and experience hours."""
    return user.has_perm(LOG_SUPERVISION)


def user_can_approve_agreements(user) -> bool:
    return user.has_perm(APPROVE_AGREEMENTS)


def agreements_of(user, agreements: QuerySet) -> QuerySet:
    """The agreements of ``agreements`` the user is a party to, in the role
    their permissions allow; with neither permission, none."""
    rule = Q()
    if user.has_perm(SUPERVISE):
        rule |= Q(supervisor=user)
    if user.has_perm(LOG_SUPERVISION):
        rule |= Q(trainee=user)
    if not rule:
        return agreements.none()
    return agreements.filter(rule)


def user_is_supervising(user, trainee_id: int) -> bool:
    """The object rule alone: an agreement names the user as this trainee's
    supervisor."""
    from .models.supervision import SupervisoryAgreement

    if not user.is_authenticated or not user.has_perm(SUPERVISE):
        return False
    return SupervisoryAgreement.objects.filter(
        supervisor=user, trainee_id=trainee_id
    ).exists()


VIEW_FEEDBACK = "courses.view_supervision_feedback"


def user_can_view_supervision_feedback(user) -> bool:
    """Supervisees' feedback, in aggregate per supervisor."""
    return user.has_perm(VIEW_FEEDBACK)


VERIFY_DOCUMENTS = "courses.verify_traineedocument"
VIEW_SENSITIVE_DOCUMENTS = "courses.view_sensitive_document"


def user_can_upload_documents(user) -> bool:
    """A trainee's checklist documents: upload and list their own."""
    return user.has_perm(LOG_SUPERVISION)


def user_can_verify_documents(user) -> bool:
    """ "Documents to verify": every trainee's documents that are not
    sensitive; sensitive ones too with ``VIEW_SENSITIVE_DOCUMENTS``."""
    return user.has_perm(VERIFY_DOCUMENTS)


def user_can_view_sensitive_documents(user) -> bool:
    return user.has_perm(VIEW_SENSITIVE_DOCUMENTS)


def user_can_view_document(user, document) -> bool:
    """The trainee who uploaded it; administrators who verify documents,
    and for a sensitive document only those also allowed to view sensitive
    documents. Nobody else, supervisors and trainers included."""
    if not user.is_authenticated:
        return False
    if document.trainee_id == user.pk and user_can_upload_documents(user):
        return True
    if not user_can_verify_documents(user):
        return False
    return not document.is_sensitive or user_can_view_sensitive_documents(user)


RECORD_FEES = "courses.add_feepayment"


def user_can_record_fees(user) -> bool:
    """ "Application fees": record a fee a trainee has paid."""
    return user.has_perm(RECORD_FEES)


def user_can_request_references(user) -> bool:
    """ "My references": name referees, resend and withdraw one's own
    requests; never read the letters."""
    return user.has_perm(LOG_SUPERVISION)


def user_can_manage_reference(user, reference) -> bool:
    """The trainee who asked, and nobody else."""
    return (
        user.is_authenticated
        and reference.trainee_id == user.pk
        and user_can_request_references(user)
    )


def user_can_view_reference_letters(user) -> bool:
    """Letters of reference are sensitive: administrators who verify
    documents and may view sensitive ones; the trainee never."""
    return user_can_verify_documents(user) and user_can_view_sensitive_documents(user)


GENERATE_PACKETS = "courses.generate_applicationpacket"


def user_can_generate_packets(user) -> bool:
    """ "Application packets": trainees' readiness for a credential, and
    generating, downloading and marking sent their packets."""
    return user.has_perm(GENERATE_PACKETS)


def user_can_view_packet(user, packet) -> bool:
    """The object rule for one packet: whoever may generate packets; a packet
    that includes sensitive documents only for those also allowed to view
    sensitive documents. Trainees, supervisors and trainers never."""
    if not user.is_authenticated or not user_can_generate_packets(user):
        return False
    return not packet.includes_sensitive or user_can_view_sensitive_documents(user)


def user_can_include_sensitive_in_packet(user) -> bool:
    """Tick "include sensitive documents" when generating a packet."""
    return user_can_generate_packets(user) and user_can_view_sensitive_documents(user)
