"""Who may do what with courses. Views, templates and admin menus use these."""


def user_can_audit_curriculum(user) -> bool:
    return user.is_active and user.has_perm("courses.audit_curriculum")
