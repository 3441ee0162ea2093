"""The courses app's links in the signed-in user's menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.menus import MenuLink

from .permissions import (
    user_can_export_ledgers,
    user_can_generate_packets,
    user_can_log_supervision,
    user_can_record_fees,
    user_can_request_references,
    user_can_study,
    user_can_supervise,
    user_can_teach,
    user_can_upload_documents,
    user_can_verify_documents,
    user_can_view_certificates,
    user_can_view_reference_letters,
    user_can_view_supervision_feedback,
)


def account_links(request) -> list[MenuLink]:
    user = request.user
    links = []
    if user_can_study(user):
        links.append(MenuLink(_("My learning"), reverse("courses:dashboard"), 10))
        links.append(MenuLink(_("My hours"), reverse("courses:my_hours"), 20))
        if user_can_view_certificates(user):
            links.append(
                MenuLink(_("My certificates"), reverse("courses:my_certificates"), 25)
            )
        links.append(
            MenuLink(_("Ready to apply"), reverse("courses:ready_to_apply_index"), 27)
        )
    if user_can_log_supervision(user):
        links.append(
            MenuLink(_("My supervision"), reverse("courses:my_supervision"), 25)
        )
    if user_can_upload_documents(user):
        links.append(MenuLink(_("My documents"), reverse("courses:my_documents"), 26))
    if user_can_request_references(user):
        links.append(MenuLink(_("My references"), reverse("courses:my_references"), 27))
    if user_can_verify_documents(user):
        links.append(
            MenuLink(
                _("Documents to verify"), reverse("courses:documents_to_verify"), 46
            )
        )
    if user_can_view_reference_letters(user):
        links.append(
            MenuLink(
                _("Letters of reference"), reverse("courses:reference_letters"), 46
            )
        )
    if user_can_record_fees(user):
        links.append(MenuLink(_("Application fees"), reverse("courses:fees"), 47))
    if user_can_generate_packets(user):
        links.append(MenuLink(_("Application packets"), reverse("courses:packets"), 48))
    if user_can_supervise(user):
        links.append(MenuLink(_("Supervision"), reverse("courses:supervision"), 35))
    if user_can_view_supervision_feedback(user):
        links.append(
            MenuLink(
                _("Feedback on supervision"), reverse("courses:feedback_report"), 45
            )
        )
    if user_can_teach(user):
        links.append(MenuLink(_("Teaching"), reverse("courses:teaching"), 30))
    if user_can_export_ledgers(user):
        links.append(MenuLink(_("Trainees"), reverse("courses:trainee_list"), 40))
    return links
