"""Who may do what with exams."""

from __future__ import annotations

from courses.permissions import user_can_teach, user_is_administrator, user_is_trainee

from .models import Attempt

__all__ = [
    "user_can_grade",
    "user_can_manage_exams",
    "user_can_take_exams",
    "user_owns_attempt",
]


def user_can_take_exams(user) -> bool:
    return user_is_trainee(user)


def user_owns_attempt(user, attempt: Attempt) -> bool:
    return user.is_authenticated and attempt.trainee_id == user.pk


def user_can_grade(user) -> bool:
    return user_can_teach(user)


def user_can_manage_exams(user) -> bool:
    return user_can_teach(user) or user_is_administrator(user)
