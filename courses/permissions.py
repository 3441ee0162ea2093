"""Who may do what with courses. Views, templates and admin menus use these."""

from __future__ import annotations

from cms import roles

from .models import Cohort, CohortSeat, HourEntry


def user_is_administrator(user) -> bool:
    return user.is_authenticated and roles.user_has_role(user, roles.ADMINISTRATOR)


def user_is_trainer(user) -> bool:
    return user.is_authenticated and roles.user_has_role(user, roles.TRAINER)


def user_is_trainee(user) -> bool:
    return user.is_authenticated and roles.user_has_role(user, roles.TRAINEE)


def user_can_audit_curriculum(user) -> bool:
    return user.is_active and user.has_perm("courses.audit_curriculum")


def user_can_teach(user) -> bool:
    """Trainers and administrators run cohorts."""
    return user_is_trainer(user) or user_is_administrator(user)


def user_can_manage_cohort(user, cohort: Cohort) -> bool:
    if user_is_administrator(user):
        return True
    return user_is_trainer(user) and cohort.trainers.filter(pk=user.pk).exists()


def trainee_ids_taught_by(user) -> set[int]:
    """Trainees with a seat in any cohort this user teaches."""
    return set(
        CohortSeat.objects.filter(cohort__trainers=user)
        .exclude(status=CohortSeat.Status.DECLINED)
        .values_list("trainee_id", flat=True)
    )


def user_teaches_trainee(user, trainee_id: int) -> bool:
    return (
        user_is_trainer(user)
        and CohortSeat.objects.filter(cohort__trainers=user, trainee_id=trainee_id)
        .exclude(status=CohortSeat.Status.DECLINED)
        .exists()
    )


def user_can_view_ledger(user, trainee) -> bool:
    """A trainee sees their own hours; their trainers and administrators too."""
    if not user.is_authenticated:
        return False
    return (
        user.pk == trainee.pk
        or user_is_administrator(user)
        or user_teaches_trainee(user, trainee.pk)
    )


def user_can_view_evidence(user, entry: HourEntry) -> bool:
    return bool(entry.evidence) and user_can_view_ledger(user, entry.trainee)


def user_can_decide_entry(user, entry: HourEntry) -> bool:
    if entry.trainee_id == user.pk or entry.status != HourEntry.Status.PENDING:
        return False
    return user_is_administrator(user) or user_teaches_trainee(user, entry.trainee_id)


def user_can_export_ledgers(user) -> bool:
    return user_is_administrator(user)
