"""The exams app's links in the signed-in user's menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.menus import MenuLink

from .permissions import user_can_grade, user_can_publish_slots, user_can_take_exams


def account_links(request) -> list[MenuLink]:
    links = []
    if user_can_take_exams(request.user):
        links.append(MenuLink(_("My exams"), reverse("exams:exam_list"), 15))
    if user_can_grade(request.user):
        links.append(MenuLink(_("Grading"), reverse("exams:grading_queue"), 35))
    if user_can_publish_slots(request.user):
        links.append(MenuLink(_("Oral exams"), reverse("exams:oral_examiner"), 36))
    return links
