"""Supervision pages, part of the courses namespace."""

from django.urls import path

from .views import supervision

urlpatterns = [
    path("supervision/", supervision.supervision_home, name="supervision"),
    path("supervision/decide/", supervision.bulk_decide, name="supervision_decide"),
    path("learning/supervision/", supervision.my_supervision, name="my_supervision"),
    path(
        "supervision/agreements/new/",
        supervision.agreement_create,
        name="agreement_create",
    ),
    path(
        "supervision/agreements/<int:agreement_id>/",
        supervision.agreement_detail,
        name="agreement_detail",
    ),
    path(
        "supervision/agreements/<int:agreement_id>/sign/",
        supervision.agreement_sign,
        name="agreement_sign",
    ),
    path(
        "supervision/agreements/<int:agreement_id>/edit/",
        supervision.agreement_edit,
        name="agreement_edit",
    ),
    path(
        "supervision/agreements/<int:agreement_id>/approve/",
        supervision.agreement_approve,
        name="agreement_approve",
    ),
    path(
        "supervision/agreements/<int:agreement_id>/<str:kind>/new/",
        supervision.log_create,
        name="log_create",
    ),
    path(
        "supervision/logs/<str:kind>/<int:log_id>/",
        supervision.log_detail,
        name="log_detail",
    ),
    path(
        "supervision/logs/<str:kind>/<int:log_id>/sign/",
        supervision.log_sign,
        name="log_sign",
    ),
    path(
        "supervision/logs/<str:kind>/<int:log_id>/send-back/",
        supervision.log_send_back,
        name="log_send_back",
    ),
    path(
        "supervision/logs/<str:kind>/<int:log_id>/correct/",
        supervision.log_correct,
        name="log_correct",
    ),
    path(
        "supervision/agreements/<int:agreement_id>/evaluation/",
        supervision.evaluation_create,
        name="evaluation_create",
    ),
    path(
        "learning/supervision/<int:agreement_id>/feedback/",
        supervision.feedback_give,
        name="feedback_give",
    ),
    path("supervision/feedback/", supervision.feedback_report, name="feedback_report"),
]

from .views import documents, fees  # noqa: E402

urlpatterns += [
    path("learning/documents/", documents.my_documents, name="my_documents"),
    path(
        "application-documents/<int:document_id>/file/",
        documents.document_file,
        name="document_file",
    ),
    path(
        "application-documents/verify/",
        documents.documents_to_verify,
        name="documents_to_verify",
    ),
    path(
        "application-documents/<int:document_id>/decide/",
        documents.document_decide,
        name="document_decide",
    ),
    path("application-fees/", fees.fees, name="fees"),
]

from .views import references  # noqa: E402

urlpatterns += [
    path("learning/references/", references.my_references, name="my_references"),
    path(
        "learning/references/<int:reference_id>/resend/",
        references.reference_resend,
        name="reference_resend",
    ),
    path(
        "learning/references/<int:reference_id>/withdraw/",
        references.reference_withdraw,
        name="reference_withdraw",
    ),
    path(
        "reference/<str:token>/",
        references.reference_letter_link,
        name="reference_letter_link",
    ),
    path(
        "application-references/",
        references.reference_letters,
        name="reference_letters",
    ),
    path(
        "application-references/<int:reference_id>/letter/",
        references.reference_letter,
        name="reference_letter",
    ),
]

from .views import packets  # noqa: E402

urlpatterns += [
    path("learning/apply/", packets.ready_to_apply_index, name="ready_to_apply_index"),
    path(
        "learning/apply/<slug:credential_slug>/",
        packets.ready_to_apply,
        name="ready_to_apply",
    ),
    path("application-packets/", packets.packets_home, name="packets"),
    path(
        "application-packets/<slug:credential_slug>/",
        packets.packet_candidates,
        name="packet_candidates",
    ),
    path(
        "application-packets/<slug:credential_slug>/<int:trainee_id>/",
        packets.packet_trainee,
        name="packet_trainee",
    ),
    path(
        "application-packets/<slug:credential_slug>/<int:trainee_id>/generate/",
        packets.packet_generate,
        name="packet_generate",
    ),
    path(
        "application-packets/packet/<int:packet_id>/sent/",
        packets.packet_mark_sent,
        name="packet_mark_sent",
    ),
    path(
        "application-packets/packet/<int:packet_id>/<str:part>/",
        packets.packet_download,
        name="packet_download",
    ),
]
