"""One of everything, with the people around it: a cohort and its class
day, a pending certificate, a written exam with a finished and an open
attempt and an essay to grade, an oral exam with a slot, a booking and a
sitting, a supervision agreement with a session and experience logged,
and one person in each position a view may treat differently.

The URL and role test and the form fuzz tests build it once per module
(``module_transaction``) and request every page against it.
"""

from __future__ import annotations

from wagtail.models import Site

from cms import roles
from cms.models import FooterSettings
from courses.models import CohortSeat, LessonPage, ModulePage, ReferenceRequest
from exams.models import Response
from tests.factories import (
    AttemptFactory,
    BookingFactory,
    ExternalHoursFactory,
    QuestionCategoryFactory,
    ScoreSheetFactory,
    SittingFactory,
    SlotFactory,
    WrittenExamFactory,
    adpss_credential,
    kps_course,
    log_experience,
    log_session,
    make_agreement,
    make_cohort,
    make_session,
    oral_exam_scored_with,
    questions_in,
    supervision_domains,
    supervisor_competencies,
    supervisor_credential_type,
    user_with_role,
)

#: The people a page is requested as, with who they are to the records.
PEOPLE = (
    "anonymous",
    "trainee",  # the records' owner: seated in the cohort, took the exams
    "other_trainee",  # a trainee with no part in any of it
    "trainer",  # teaches the cohort
    "other_trainer",  # teaches nothing here
    "examiner",  # on the oral exam's panel (and leads it)
    "supervisor",  # supervises the trainee
    "administrator",
)


def build_platform_world() -> dict:
    # The footer settings row is made the first time a page shows it; made
    # here, so that no page request writes it.
    for site in Site.objects.all():
        FooterSettings.for_site(site)
    people = {
        "trainee": user_with_role(roles.TRAINEE, legal_name="Tess Trainee"),
        "other_trainee": user_with_role(roles.TRAINEE),
        "trainer": user_with_role(roles.TRAINER),
        "other_trainer": user_with_role(roles.TRAINER),
        "examiner": user_with_role(roles.EXAMINER),
        "second_examiner": user_with_role(roles.EXAMINER),
        "supervisor": user_with_role(roles.SUPERVISOR),
        "administrator": user_with_role(roles.ADMINISTRATOR),
    }
    trainee = people["trainee"]
    course = kps_course(days=1, lessons_per_day=1)
    module = ModulePage.objects.child_of(course).get()
    lesson = LessonPage.objects.child_of(module).get()
    cohort = make_cohort(course, trainers=[people["trainer"]], trainees=[trainee])
    session = make_session(cohort, [module])
    entry = ExternalHoursFactory(trainee=trainee)

    category = QuestionCategoryFactory(name="Recovery basics")
    questions_in(category, "single_choice", "true_false", "essay")
    exam = WrittenExamFactory(
        course=course, attempts_allowed=2, blueprint=[(category, 3)]
    )
    finished = AttemptFactory(
        exam=exam, trainee=trainee, answers="right", submitted=True
    )
    essay = Response.objects.get(attempt_question__attempt=finished, score__isnull=True)
    open_attempt = AttemptFactory(exam=exam, trainee=trainee)

    oral_exam = oral_exam_scored_with(course=course)
    examiners = [people["examiner"], people["second_examiner"]]
    slot = SlotFactory(
        oral_exam=oral_exam, lead_examiner=people["examiner"], examiners=examiners
    )
    booking = BookingFactory(slot=slot, trainee=trainee)
    sitting = SittingFactory(oral_exam=oral_exam, trainee=trainee, panel=examiners)
    sheet = ScoreSheetFactory(
        sitting=sitting, examiner=people["examiner"], submitted=True
    )
    # The trainee's supervision: an agreement both signed, a session the
    # trainee logged that waits for the supervisor, and a week of experience.
    supervision_domains()
    supervisor_competencies()
    agreement = make_agreement(trainee, people["supervisor"])
    supervision_log = log_session(agreement)
    experience_log = log_experience(agreement)
    # A letter of reference asked for and not answered yet (no email sent:
    # the referee's form gets its link from ``reference_token_issue``).
    reference_request = ReferenceRequest.objects.create(
        trainee=trainee,
        credential=adpss_credential(),
        referee_name="Rae Referee",
        referee_email="rae@example.org",
        referee_credential_type=supervisor_credential_type("cadc"),
        referee_credential_number="CADC-77",
    )
    return {
        **people,
        "reference_request": reference_request,
        "course": course,
        "module": module,
        "lesson": lesson,
        "cohort": cohort,
        "seat": CohortSeat.objects.get(cohort=cohort, trainee=trainee),
        "session": session,
        "entry": entry,
        "category": category,
        "exam": exam,
        "attempt": finished,
        "open_attempt": open_attempt,
        "response": essay,
        "oral_exam": oral_exam,
        "slot": slot,
        "booking": booking,
        "sitting": sitting,
        "sheet": sheet,
        "agreement": agreement,
        "supervision_log": supervision_log,
        "experience_log": experience_log,
    }
