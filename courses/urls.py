from django.urls import path

from .urls_supervision import urlpatterns as supervision_urlpatterns
from .views import certificates, hour_record, learning, teaching

app_name = "courses"

urlpatterns = [
    path("learning/", learning.dashboard, name="dashboard"),
    path("learning/hours/", learning.my_hours, name="my_hours"),
    path("learning/hours/submit/", learning.submit_hours, name="submit_hours"),
    path("learning/hours/record/", hour_record.my_hour_record, name="my_hour_record"),
    path(
        "teaching/trainees/<int:trainee_id>/record/",
        hour_record.trainee_hour_record,
        name="trainee_hour_record",
    ),
    path("learning/hours/<int:entry_id>/evidence/", learning.evidence, name="evidence"),
    path("learning/courses/<int:course_id>/enroll/", learning.enroll, name="enroll"),
    path("learning/invitations/", learning.invitations, name="invitations"),
    path(
        "learning/invitations/<int:invitation_id>/<str:action>/",
        learning.invitation_decide,
        name="invitation_decide",
    ),
    path(
        "learning/invitation/<str:token>/",
        learning.invitation_link,
        name="invitation_link",
    ),
    path(
        "learning/cohorts/<int:cohort_id>/request/",
        learning.request_seat,
        name="request_seat",
    ),
    path(
        "learning/lessons/<int:lesson_id>/complete/",
        learning.complete_lesson,
        name="complete_lesson",
    ),
    path(
        "learning/certificates/",
        certificates.my_certificates,
        name="my_certificates",
    ),
    path(
        "certificates/<str:code>/pdf/",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "certificates/<str:code>/badge.json",
        certificates.certificate_badge_json,
        name="certificate_badge_json",
    ),
    path(
        "certificates/<str:code>/badge.jwt",
        certificates.certificate_badge_jwt,
        name="certificate_badge_jwt",
    ),
    path(
        "certificates/<str:code>/status/",
        certificates.credential_status,
        name="credential_status",
    ),
    path(
        "badges/achievements/<int:course_id>/",
        certificates.achievement,
        name="achievement",
    ),
    path(".well-known/did.json", certificates.did_document, name="did_document"),
    path(".well-known/jwks.json", certificates.jwks, name="jwks"),
    path(
        "verify/credential/",
        certificates.verify_credential,
        name="verify_credential",
    ),
    path("verify/", certificates.verify, name="verify"),
    path("verify/<str:code>/", certificates.verify_code, name="verify_code"),
    path("teaching/", teaching.home, name="teaching"),
    path("teaching/cohorts/new/", teaching.cohort_create, name="cohort_create"),
    path(
        "teaching/cohorts/<int:cohort_id>/",
        teaching.cohort_detail,
        name="cohort_detail",
    ),
    path(
        "teaching/cohorts/<int:cohort_id>/edit/",
        teaching.cohort_edit,
        name="cohort_edit",
    ),
    path(
        "teaching/cohorts/<int:cohort_id>/seats/add/",
        teaching.seat_add,
        name="seat_add",
    ),
    path(
        "teaching/cohorts/<int:cohort_id>/seats/<int:seat_id>/<str:action>/",
        teaching.seat_decide,
        name="seat_decide",
    ),
    path(
        "teaching/cohorts/<int:cohort_id>/days/new/",
        teaching.session_create,
        name="session_create",
    ),
    path(
        "teaching/cohorts/<int:cohort_id>/progress/",
        teaching.cohort_progress,
        name="cohort_progress",
    ),
    path(
        "teaching/days/<int:session_id>/",
        teaching.session_detail,
        name="session_detail",
    ),
    path(
        "teaching/days/<int:session_id>/sign-in-sheet/",
        teaching.sign_in_sheet,
        name="sign_in_sheet",
    ),
    path(
        "teaching/days/<int:session_id>/sign-in-sheet/upload/",
        teaching.sign_in_sheet_upload,
        name="sign_in_sheet_upload",
    ),
    path("teaching/hours/", teaching.verification_queue, name="verification_queue"),
    path(
        "teaching/hours/<int:entry_id>/<str:action>/",
        teaching.entry_decide,
        name="entry_decide",
    ),
    path("teaching/trainees/", teaching.trainee_list, name="trainee_list"),
    path(
        "teaching/trainees/<int:trainee_id>/ledger/",
        teaching.trainee_ledger,
        name="trainee_ledger",
    ),
]

urlpatterns += supervision_urlpatterns
