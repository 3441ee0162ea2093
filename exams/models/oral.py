"""Oral exams. Their records (slots, bookings, rubric scores) are still to
come; the permissions examiners need are declared here already, so that the
role groups hold them and the oral-exam pages only have to check them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OralExamPermissions(models.Model):
    """Holds the oral-exam permissions until the oral-exam records exist.

    Unmanaged and without default permissions: there is no table and nothing
    to add, change or delete, only the two custom permissions. A check names
    a permission by app and codename (``exams.score_oral_exam``), never by
    model, so when the slot and score models arrive they can take over these
    permissions (a migration moving the rows' content type) without any
    check or group changing.
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("oral-exam permissions")
        verbose_name_plural = _("oral-exam permissions")
        permissions = [
            ("publish_oral_slot", _("Can publish oral-exam slots and see bookings")),
            (
                "score_oral_exam",
                _("Can score oral exams on the panels they sit on"),
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)
