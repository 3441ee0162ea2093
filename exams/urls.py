from django.urls import path

from . import views

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
