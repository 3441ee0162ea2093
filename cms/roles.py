"""The five roles people hold on the platform.

Each role is a Django group, created by a data migration; data migrations in
each app grant the groups their permissions (the README's roles table lists
them). What a person may do is always asked of their permissions, through
each app's ``permissions.py``, never of their groups: the names here are for
putting people in groups (sign-up, fixtures) and for showing a person's
roles.
"""

from django.utils.translation import gettext_lazy as _

TRAINEE = "Trainees"
TRAINER = "Trainers"
EXAMINER = "Examiners"
SUPERVISOR = "Supervisors"
ADMINISTRATOR = "Administrators"

ROLES = (TRAINEE, TRAINER, EXAMINER, SUPERVISOR, ADMINISTRATOR)

ROLE_LABELS = {
    TRAINEE: _("Trainee"),
    TRAINER: _("Trainer"),
    EXAMINER: _("Examiner"),
    SUPERVISOR: _("Supervisor"),
    ADMINISTRATOR: _("Administrator"),
}


def user_role_names(user) -> set[str]:
    """The role groups a user belongs to, to show them (a superuser is shown
    as an administrator); cached on the user for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(ADMINISTRATOR)
        user._role_names = cached
    return cached


def user_has_role(user, role: str) -> bool:
    """Membership of a role group: for checking who fixtures put in which
    group, never for deciding what someone may do."""
    return role in user_role_names(user)
