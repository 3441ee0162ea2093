"""Who may do what with courses. Views, templates and admin menus use these.

Every check is a Django model permission (``user.has_perm``), granted to the
role groups by data migrations and held by every superuser, narrowed by an
object rule where the verb concerns particular people:

- a trainee's own records;
- a cohort the user teaches (``Cohort.trainers``), and the trainees with a
  seat in it;
- a course an administrator assigned the user to (``CourseTrainer``): only
  those courses get new cohorts from a trainer, and only their assigned
  trainers are named to them.

A program-wide permission lifts the object rule for the people who act for
the whole program (administrators): ``manage_any_cohort``,
``verify_any_hourentry``, ``view_any_ledger``. The program-wide permission
widens a verb; it never grants one: the verb's own permission is still
required.

Nothing here asks which groups a person is in; the README's roles table
lists what each group is granted.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from .models import Cohort, CohortSeat, CoursePage, HourEntry

STUDY = "courses.add_enrollment"
SUBMIT_HOURS = "courses.add_hourentry"
AUDIT_CURRICULUM = "courses.audit_curriculum"
ADD_COHORT = "courses.add_cohort"
RUN_COHORT = "courses.change_cohort"
RUN_ANY_COHORT = "courses.manage_any_cohort"
VIEW_HOURS = "courses.view_hourentry"
VIEW_ANY_LEDGER = "courses.view_any_ledger"
VERIFY_HOURS = "courses.verify_hourentry"
VERIFY_ANY_HOURS = "courses.verify_any_hourentry"


def user_can_study(user) -> bool:
    """Enroll, ask for a seat, mark lessons complete, follow one's progress."""
    return user.has_perm(STUDY)


def user_can_submit_hours(user) -> bool:
    """Submit hours earned elsewhere, with a certificate, for verification."""
    return user.has_perm(SUBMIT_HOURS)


def user_can_audit_curriculum(user) -> bool:
    return user.has_perm(AUDIT_CURRICULUM)


def user_can_teach(user) -> bool:
    """Reach the teaching pages; which cohorts is ``user_can_manage_cohort``."""
    return user.has_perm(RUN_COHORT)


def user_can_add_cohort(user) -> bool:
    """Reach "New cohort"; of which courses is ``courses_open_for_cohorts``."""
    return user.has_perm(ADD_COHORT)


def courses_open_for_cohorts(user, courses: QuerySet[CoursePage]) -> QuerySet:
    """The courses of ``courses`` this user may create cohorts of: those an
    administrator assigned them to, or all of them for whoever may run any
    cohort."""
    if not user.has_perm(ADD_COHORT):
        return courses.none()
    if user.has_perm(RUN_ANY_COHORT):
        return courses
    return courses.filter(trainer_assignments__trainer=user.pk)


def user_can_add_cohort_of(user, course: CoursePage) -> bool:
    return courses_open_for_cohorts(
        user, CoursePage.objects.filter(pk=course.pk)
    ).exists()


def user_can_seat_directly(user, cohort: Cohort) -> bool:
    """Give a trainee a confirmed seat without asking them: whoever may run
    any cohort. Trainers invite; the trainee accepts."""
    return user_can_manage_cohort(user, cohort) and user.has_perm(RUN_ANY_COHORT)


def user_can_manage_cohort(user, cohort: Cohort) -> bool:
    """Run a cohort: its seats, class days, attendance and progress grid."""
    if not user.has_perm(RUN_COHORT):
        return False
    if user.has_perm(RUN_ANY_COHORT):
        return True
    return cohort.trainers.filter(pk=user.pk).exists()


def cohorts_managed_by(user, cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """The cohorts of ``cohorts`` this user may run."""
    if not user.has_perm(RUN_COHORT):
        return cohorts.none()
    if user.has_perm(RUN_ANY_COHORT):
        return cohorts
    return cohorts.filter(trainers=user)


def users_who_can_teach() -> QuerySet:
    """Active people granted to run cohorts: those who may be named a
    cohort's trainers. Superusers are not listed unless granted it."""
    return ModelBackend().with_perm(RUN_COHORT, include_superusers=False)


def users_who_can_study() -> QuerySet:
    """Everyone granted to study, deactivated accounts too (their hours
    still count): the trainees whose ledgers can be looked up."""
    return ModelBackend().with_perm(STUDY, is_active=None, include_superusers=False)


def _taught_seats(user) -> QuerySet[CohortSeat]:
    return CohortSeat.objects.filter(cohort__trainers=user).exclude(
        status=CohortSeat.Status.DECLINED
    )


def user_teaches_trainee(user, trainee_id: int) -> bool:
    """The object rule alone: the trainee has a seat in a cohort the user
    teaches. The ``user_can_`` checks add the permission it applies to."""
    if not user.is_authenticated:
        return False
    return _taught_seats(user).filter(trainee_id=trainee_id).exists()


def user_can_view_ledger(user, trainee) -> bool:
    """A trainee sees their own hours; a trainer those of the trainees they
    teach; a supervisor those of their supervisees; whoever may view any
    ledger, everyone's."""
    if not user.has_perm(VIEW_HOURS):
        return False
    return (
        user.pk == trainee.pk
        or user.has_perm(VIEW_ANY_LEDGER)
        or user_teaches_trainee(user, trainee.pk)
        or user_is_supervising(user, trainee.pk)
    )


def user_can_view_evidence(user, entry: HourEntry) -> bool:
    return bool(entry.evidence) and user_can_view_ledger(user, entry.trainee)


def user_can_export_ledgers(user) -> bool:
    """Find any trainee and view or export their verification of training."""
    return user.has_perm(VIEW_ANY_LEDGER)


def user_can_verify_hours(user) -> bool:
    """Reach the queue of hours to verify; which ones is
    ``user_can_decide_entry``."""
    return user.has_perm(VERIFY_HOURS)


def user_can_decide_entry(user, entry: HourEntry) -> bool:
    """Verify or reject a pending entry: never one's own, and only of a
    trainee one teaches unless one may verify anyone's."""
    if not user.has_perm(VERIFY_HOURS):
        return False
    if entry.trainee_id == user.pk or entry.status != HourEntry.Status.PENDING:
        return False
    return user.has_perm(VERIFY_ANY_HOURS) or user_teaches_trainee(
        user, entry.trainee_id
    )


def hour_entries_decidable_by(user, entries: QuerySet[HourEntry]) -> QuerySet:
    """The entries of ``entries`` this user may verify or reject (pending
    ones are the caller's filter): in one query, for the queue."""
    if not user.has_perm(VERIFY_HOURS):
        return entries.none()
    entries = entries.exclude(trainee=user)
    if user.has_perm(VERIFY_ANY_HOURS):
        return entries
    return entries.filter(trainee_id__in=_taught_seats(user).values("trainee_id"))


VIEW_CERTIFICATE = "courses.view_certificate"
VIEW_ANY_CERTIFICATE = "courses.view_any_certificate"
ISSUE_CERTIFICATE = "courses.add_certificate"
REVOKE_CERTIFICATE = "courses.revoke_certificate"


def user_can_view_certificates(user) -> bool:
    """Reach "My certificates"; whose certificates is
    ``user_can_view_certificate``."""
    return user.has_perm(VIEW_CERTIFICATE)


def user_can_view_certificate(user, certificate) -> bool:
    """Download a certificate's PDF and credential: the trainee it was issued
    to, the trainers who teach them, and whoever may view any certificate."""
    if not user.has_perm(VIEW_CERTIFICATE):
        return False
    return (
        user.pk == certificate.trainee_id
        or user.has_perm(VIEW_ANY_CERTIFICATE)
        or user_teaches_trainee(user, certificate.trainee_id)
    )


def user_can_issue_certificates(user) -> bool:
    """See who is due a certificate and issue one by hand, with a reason."""
    return user.has_perm(ISSUE_CERTIFICATE)


def user_can_revoke_certificates(user) -> bool:
    """Revoke and reissue certificates, and review those flagged."""
    return user.has_perm(REVOKE_CERTIFICATE)


def user_can_manage_certificates(user) -> bool:
    """Reach the certificates admin (listing and search)."""
    return user.has_perm(VIEW_ANY_CERTIFICATE)


# Supervision, references and the application checklist live in their own
# module; they are re-exported here, where views and templates ask.
from .permissions_supervision import (  # noqa: E402
    agreements_of as agreements_of,
)
from .permissions_supervision import (  # noqa: E402
    user_can_approve_agreements as user_can_approve_agreements,
)
from .permissions_supervision import (  # noqa: E402
    user_can_generate_packets as user_can_generate_packets,
)
from .permissions_supervision import (  # noqa: E402
    user_can_include_sensitive_in_packet as user_can_include_sensitive_in_packet,
)
from .permissions_supervision import (  # noqa: E402
    user_can_log_supervision as user_can_log_supervision,
)
from .permissions_supervision import (  # noqa: E402
    user_can_manage_reference as user_can_manage_reference,
)
from .permissions_supervision import (  # noqa: E402
    user_can_record_fees as user_can_record_fees,
)
from .permissions_supervision import (  # noqa: E402
    user_can_request_references as user_can_request_references,
)
from .permissions_supervision import (  # noqa: E402
    user_can_supervise as user_can_supervise,
)
from .permissions_supervision import (  # noqa: E402
    user_can_upload_documents as user_can_upload_documents,
)
from .permissions_supervision import (  # noqa: E402
    user_can_verify_documents as user_can_verify_documents,
)
from .permissions_supervision import (  # noqa: E402
    user_can_view_document as user_can_view_document,
)
from .permissions_supervision import (  # noqa: E402
    user_can_view_packet as user_can_view_packet,
)
from .permissions_supervision import (  # noqa: E402
    user_can_view_reference_letters as user_can_view_reference_letters,
)
from .permissions_supervision import (  # noqa: E402
    user_can_view_sensitive_documents as user_can_view_sensitive_documents,
)
from .permissions_supervision import (  # noqa: E402
    user_can_view_supervision_feedback as user_can_view_supervision_feedback,
)
from .permissions_supervision import (  # noqa: E402
    user_is_supervising as user_is_supervising,
)
