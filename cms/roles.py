"""The five roles people hold on the platform.

Each role is a Django group, created with its permissions by a data migration.
Code asks about roles through the helpers here so that a renamed group or a
superuser is handled in one place.
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
    """The role groups a user belongs to, cached on the user for the request."""
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
    return role in user_role_names(user)
