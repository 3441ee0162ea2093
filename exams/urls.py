from django.urls import path

from . import views
from .views import oral_booking, oral_examiner

app_name = "exams"

urlpatterns = [
    path("exams/", views.exam_list, name="exam_list"),
    path("exams/<int:exam_id>/", views.exam_detail, name="exam_detail"),
    path("exams/<int:exam_id>/start/", views.attempt_start, name="attempt_start"),
    path("exams/<int:exam_id>/analysis/", views.item_analysis, name="item_analysis"),
    path("exams/attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path(
        "exams/attempts/<int:attempt_id>/save/", views.attempt_save, name="attempt_save"
    ),
    path(
        "exams/attempts/<int:attempt_id>/submit/",
        views.attempt_submit,
        name="attempt_submit",
    ),
    path(
        "exams/attempts/<int:attempt_id>/result/",
        views.attempt_result,
        name="attempt_result",
    ),
    path("exams/grading/", views.grading_queue, name="grading_queue"),
    path(
        "exams/grading/<int:response_id>/", views.grade_response, name="grade_response"
    ),
]

# Oral exams: slots and bookings.
urlpatterns += [
    path("exams/oral/<int:oral_exam_id>/", oral_booking.oral_exam, name="oral_exam"),
    path(
        "exams/oral/<int:oral_exam_id>/slots/",
        oral_booking.oral_slots,
        name="oral_slots",
    ),
    path(
        "exams/oral/bookings/<int:booking_id>/cancel/",
        oral_booking.oral_booking_cancel,
        name="oral_booking_cancel",
    ),
    path(
        "exams/oral/bookings/<int:booking_id>/calendar.ics",
        oral_booking.oral_booking_calendar,
        name="oral_booking_calendar",
    ),
    path("exams/oral/examiner/", oral_examiner.oral_examiner, name="oral_examiner"),
    path(
        "exams/oral/examiner/slots/new/",
        oral_examiner.oral_slot_new,
        name="oral_slot_new",
    ),
    path(
        "exams/oral/examiner/slots/series/",
        oral_examiner.oral_slot_series,
        name="oral_slot_series",
    ),
    path("exams/oral/examiner/day/", oral_examiner.oral_day, name="oral_day"),
    path(
        "exams/oral/examiner/slots/<int:slot_id>/",
        oral_examiner.oral_slot,
        name="oral_slot",
    ),
    path(
        "exams/oral/examiner/slots/<int:slot_id>/withdraw/",
        oral_examiner.oral_slot_withdraw,
        name="oral_slot_withdraw",
    ),
    path(
        "exams/oral/examiner/bookings/<int:booking_id>/attendance/",
        oral_examiner.oral_booking_mark,
        name="oral_booking_mark",
    ),
    path(
        "exams/oral/examiner/bookings/<int:booking_id>/manage/",
        oral_examiner.oral_booking_manage,
        name="oral_booking_manage",
    ),
    path(
        "exams/oral/examiner/roster.xlsx",
        oral_examiner.oral_roster_export,
        name="oral_roster_export",
    ),
]

# Oral exams: scoring, reconciliation, results, agreement.
urlpatterns += [
    path(
        "exams/oral/sittings/<int:sitting_id>/",
        views.oral_score_sheet,
        name="oral_score_sheet",
    ),
    path(
        "exams/oral/sittings/<int:sitting_id>/submit/",
        views.oral_score_submit,
        name="oral_score_submit",
    ),
    path(
        "exams/oral/sittings/<int:sitting_id>/reconcile/",
        views.oral_reconcile,
        name="oral_reconcile",
    ),
    path(
        "exams/oral/sittings/<int:sitting_id>/sheets/<int:sheet_id>/reopen/",
        views.oral_sheet_reopen,
        name="oral_sheet_reopen",
    ),
    path(
        "exams/oral/sittings/<int:sitting_id>/release/",
        views.oral_release,
        name="oral_release",
    ),
    path(
        "exams/oral/sittings/<int:sitting_id>/result/",
        views.oral_result,
        name="oral_result",
    ),
    path("exams/oral/sittings/results/", views.oral_results, name="oral_results"),
    path(
        "exams/oral/<int:oral_exam_id>/agreement/",
        views.oral_agreement,
        name="oral_agreement",
    ),
]
