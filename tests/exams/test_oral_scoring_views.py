"""The oral-exam scoring pages: who may open each, blind scoring, what a
trainee is shown, tampered posts, and query budgets that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams.models import (
    CriterionScore,
    OralExam,
    ScoreSheet,
    ScoreSheetReopening,
    Sitting,
)
from tests.factories import (
    ScoreSheetFactory,
    SittingFactory,
    oral_exam_scored_with,
    oral_rubric,
    panel_of,
    sitting_scored,
    user_with_role,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "trainee",
    "another trainee",
    "trainer",
    "panel examiner",
    "other examiner",
    "supervisor",
    "administrator",
    "signed out",
]


@pytest.fixture
def sitting():
    return SittingFactory()


def person(role, sitting):
    """The user each role names, for this sitting (None when signed out)."""
    if role == "trainee":
        return sitting.booking.trainee
    if role == "panel examiner":
        return sitting.booking.slot.lead_examiner
    groups = {
        "another trainee": "Trainees",
        "trainer": "Trainers",
        "other examiner": "Examiners",
        "supervisor": "Supervisors",
        "administrator": "Administrators",
    }
    return None if role == "signed out" else user_with_role(groups[role])


def client_for(client, role, sitting):
    user = person(role, sitting)
    if user is not None:
        client.force_login(user)
    return client


def level_post(sitting, points, comments=None, **extra):
    data = {
        f"level_{c['key']}": str(p)
        for c, p in zip(sitting.criteria, points, strict=True)
        if p is not None
    }
    for criterion, comment in zip(sitting.criteria, comments or [], strict=False):
        data[f"comment_{criterion['key']}"] = comment
    return {**data, **extra}


def assert_outcome(response, expected):
    if expected == 302:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


# Who may open each page ---------------------------------------------------------------

SCORE_SHEET = {
    "trainee": 403,
    "another trainee": 403,
    "trainer": 403,
    "panel examiner": 200,
    "other examiner": 404,  # another panel's sitting does not exist for them
    "supervisor": 403,
    "administrator": 200,
    "signed out": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_score_sheet_page_by_role(client, sitting, role):
    response = client_for(client, role, sitting).get(
        reverse("exams:oral_score_sheet", args=[sitting.pk])
    )
    assert_outcome(response, SCORE_SHEET[role])
    if response.status_code == 200:
        html = response.content.decode()
        assert sitting.booking.trainee.legal_name in html
        assert "Ethics and boundaries in a scenario" in html
    if role == "panel examiner":
        # Each level's descriptor, beside its choice.
        assert "Responds well and explains the principle behind it." in html


@pytest.mark.parametrize("role", ROLES)
def test_only_the_panel_saves_scores(client, sitting, role):
    response = client_for(client, role, sitting).post(
        reverse("exams:oral_score_sheet", args=[sitting.pk]),
        level_post(sitting, [3, 3, 3], save="1"),
    )
    saved = CriterionScore.objects.filter(sheet__sitting=sitting).count()
    if role == "panel examiner":
        assert response.status_code == 302
        assert saved == 3
    else:
        assert response.status_code in (302, 403, 404)
        assert saved == 0
        if role == "administrator":  # may look, not score: told so
            page = client.get(response["Location"]).content.decode()
            assert "not on the panel of this sitting" in page


SUBMIT = {**SCORE_SHEET, "administrator": 403}


@pytest.mark.parametrize("role", ROLES)
def test_submit_step_by_role(client, sitting, role):
    ScoreSheetFactory(sitting=sitting, examiner=sitting.booking.slot.lead_examiner)
    url = reverse("exams:oral_score_submit", args=[sitting.pk])
    client = client_for(client, role, sitting)

    assert_outcome(client.get(url), SUBMIT[role])
    client.post(url)

    sheet = ScoreSheet.objects.get(sitting=sitting)
    submitted = sheet.state == ScoreSheet.State.SUBMITTED
    assert submitted is (role == "panel examiner")


RECONCILE = {
    **SCORE_SHEET,
    "administrator": 200,
}


@pytest.mark.parametrize("role", [*ROLES, "second panel examiner"])
def test_reconcile_page_by_role(client, sitting, role):
    sitting = sitting_scored(sitting, [1, 3, 3], [3, 3, 3])
    assert sitting.state == Sitting.State.RECONCILING
    if role == "second panel examiner":
        client.force_login(panel_of(sitting)[1])
        expected = 403
    else:
        client = client_for(client, role, sitting)
        expected = RECONCILE[role]
    response = client.get(reverse("exams:oral_reconcile", args=[sitting.pk]))
    assert_outcome(response, expected)


ADMIN_ONLY = dict.fromkeys(ROLES, 403) | {
    "administrator": 200,
    "signed out": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_reopen_page_by_role(client, sitting, role):
    sheet = ScoreSheetFactory(sitting=sitting, submitted=True)
    url = reverse("exams:oral_sheet_reopen", args=[sitting.pk, sheet.pk])
    client = client_for(client, role, sitting)
    assert_outcome(client.get(url), ADMIN_ONLY[role])
    client.post(url, {"reason": "Reopened by whoever could."})
    sheet.refresh_from_db()
    assert (sheet.state == ScoreSheet.State.DRAFT) is (role == "administrator")


@pytest.mark.parametrize("role", ROLES)
def test_results_page_and_release_by_role(client, role):
    exam = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    sitting = sitting_scored(SittingFactory(oral_exam=exam), [3, 3, 3], [3, 3, 3])
    client = client_for(client, role, sitting)

    assert_outcome(client.get(reverse("exams:oral_results")), ADMIN_ONLY[role])
    client.post(reverse("exams:oral_results"), {"sittings": [sitting.pk]})
    client.post(reverse("exams:oral_release", args=[sitting.pk]))

    sitting.refresh_from_db()
    assert (sitting.released_at is not None) is (role == "administrator")


RESULT = {
    "trainee": 200,
    "another trainee": 404,
    "trainer": 403,
    "panel examiner": 403,
    "other examiner": 403,
    "supervisor": 403,
    "administrator": 403,
    "signed out": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_result_page_by_role(client, sitting, role):
    sitting = sitting_scored(sitting, [3, 3, 3], [3, 3, 3])
    response = client_for(client, role, sitting).get(
        reverse("exams:oral_result", args=[sitting.pk])
    )
    assert_outcome(response, RESULT[role])
    if response.status_code == 200:
        assert "Passed" in response.content.decode()


def test_the_admin_reports_list_links_the_agreement_report_for_administrators(
    client, make_user
):
    exam = oral_exam_scored_with(title="Mock oral test")
    agreement = reverse("exams:oral_agreement", args=[exam.pk])
    client.force_login(make_user("administrator"))
    html = client.get(reverse("exams_reports")).content.decode()
    assert agreement in html
    assert reverse("exams:oral_results") in html
    client.force_login(make_user("trainer"))
    html = client.get(reverse("exams_reports")).content.decode()
    assert agreement not in html


# Blind scoring ------------------------------------------------------------------------


def test_an_examiner_sees_no_other_score_until_submitting_their_own(client, sitting):
    first, second = panel_of(sitting)
    url = reverse("exams:oral_score_sheet", args=[sitting.pk])
    ScoreSheetFactory(
        sitting=sitting,
        examiner=first,
        points=[2, 4, 1],
        comments=["FIRST-DRAFT-NOTE", "", ""],
    )
    client.force_login(second)

    before = client.get(url).content.decode()
    assert "FIRST-DRAFT-NOTE" not in before
    assert first.legal_name not in before.split("Your scores")[1]

    ScoreSheetFactory(
        sitting=sitting,
        examiner=first,
        points=[2, 4, 1],
        comments=["FIRST-SUBMITTED-NOTE", "", ""],
        submitted=True,
    )
    after_first = client.get(url).content.decode()
    # Submitted, but the second examiner has not submitted yet: still blind.
    assert "FIRST-SUBMITTED-NOTE" not in after_first
    assert "Exemplary (4)" not in after_first

    ScoreSheetFactory(sitting=sitting, examiner=second, submitted=True)
    after_both = client.get(url).content.decode()
    assert "FIRST-SUBMITTED-NOTE" in after_both
    assert "Exemplary (4)" in after_both


def test_once_submitted_an_examiner_sees_only_what_colleagues_submitted(
    client, make_user
):
    panel = [make_user("examiner") for _ in range(3)]
    sitting = SittingFactory(panel=panel, lead=panel[0])
    ScoreSheetFactory(
        sitting=sitting, examiner=panel[2], comments=["THIRD-DRAFT", "", ""]
    )
    ScoreSheetFactory(sitting=sitting, examiner=panel[0], submitted=True)
    client.force_login(panel[0])

    html = client.get(reverse("exams:oral_score_sheet", args=[sitting.pk])).content
    assert b"THIRD-DRAFT" not in html
    assert b"Waiting for 1 more examiner to submit" in html


def test_an_administrator_sees_every_sheet_drafts_included(client, sitting, make_user):
    ScoreSheetFactory(sitting=sitting, comments=["LEAD-DRAFT", "", ""])
    client.force_login(make_user("administrator"))
    html = client.get(reverse("exams:oral_score_sheet", args=[sitting.pk])).content
    assert b"LEAD-DRAFT" in html
    assert b"(draft)" in html


def test_a_trainee_never_sees_a_draft_or_one_examiners_scores(client, make_user):
    panel = [make_user("examiner") for _ in range(3)]
    exam = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    sitting = SittingFactory(oral_exam=exam, panel=panel, lead=panel[0])
    ScoreSheetFactory(
        sitting=sitting,
        examiner=panel[2],
        points=[1, 1, 1],
        comments=["THIRD-DRAFT", "", ""],
    )
    ScoreSheetFactory(
        sitting=sitting,
        examiner=panel[0],
        points=[3, 3, 4],
        comments=["Clear and warm.", "", ""],
        submitted=True,
    )
    client.force_login(sitting.booking.trainee)
    url = reverse("exams:oral_result", args=[sitting.pk])

    waiting = client.get(url).content.decode()
    assert "not released yet" in waiting
    assert "Clear and warm." not in waiting

    ScoreSheetFactory(sitting=sitting, examiner=panel[1], submitted=True)
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.DECIDED
    decided = client.get(url).content.decode()
    assert "not released yet" in decided
    assert "Passed" not in decided

    client.force_login(make_user("administrator"))
    client.post(reverse("exams:oral_results"), {"sittings": [sitting.pk]})
    client.force_login(sitting.booking.trainee)
    released = client.get(url).content.decode()

    assert "Passed" in released
    assert "Clear and warm." in released
    assert "THIRD-DRAFT" not in released
    # The panel's level, never each examiner's: criterion 3 was 4 and 3.
    assert "Proficient (3 of 4 points)" in released
    assert "Exemplary" not in released
    for examiner in panel:
        assert examiner.legal_name not in released

    # The oral exam's own page shows the released result too; another oral
    # exam's page does not.
    exam_page = client.get(reverse("exams:oral_exam", args=[exam.pk]))
    assert "Clear and warm." in exam_page.content.decode()
    other = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    other_page = client.get(reverse("exams:oral_exam", args=[other.pk]))
    assert other_page.status_code == 200
    assert "Clear and warm." not in other_page.content.decode()


def test_the_trainee_sees_the_reconciled_level_and_the_panels_note(client, sitting):
    sitting = sitting_scored(sitting, [1, 3, 3], [3, 3, 3])
    first = sitting.criteria[0]["key"]
    client.force_login(sitting.booking.slot.lead_examiner)
    client.post(
        reverse("exams:oral_reconcile", args=[sitting.pk]),
        {f"level_{first}": "4", f"note_{first}": "Named all four dimensions."},
    )
    client.force_login(sitting.booking.trainee)
    html = client.get(reverse("exams:oral_result", args=[sitting.pk])).content.decode()
    assert "Exemplary (4 of 4 points)" in html
    assert "Named all four dimensions." in html


# The pages doing the work -------------------------------------------------------------


def test_an_examiner_saves_a_draft_then_submits_through_the_pages(client, sitting):
    first, _second = panel_of(sitting)
    url = reverse("exams:oral_score_sheet", args=[sitting.pk])
    client.force_login(first)

    response = client.post(
        url, level_post(sitting, [3, 3, None], ["Good examples."], save="1")
    )
    assert response.status_code == 302
    assert "Draft saved" in client.get(url).content.decode()

    response = client.post(
        url, level_post(sitting, [3, 3, 4], ["Good examples."], review="1")
    )
    assert response["Location"] == reverse("exams:oral_score_submit", args=[sitting.pk])
    confirm = client.get(response["Location"]).content.decode()
    assert "Submit my scores" in confirm
    assert "Exemplary (4)" in confirm

    client.post(response["Location"])
    sheet = ScoreSheet.objects.get(sitting=sitting, examiner=first)
    assert sheet.state == ScoreSheet.State.SUBMITTED
    assert sheet.scores.get(criterion_key=sitting.criteria[0]["key"]).comment == (
        "Good examples."
    )


def test_the_submit_step_lists_the_criteria_still_without_a_level(client, sitting):
    examiner = panel_of(sitting)[0]
    ScoreSheetFactory(sitting=sitting, examiner=examiner, points=[3, None, 2])
    client.force_login(examiner)
    url = reverse("exams:oral_score_submit", args=[sitting.pk])

    page = client.get(url).content.decode()
    assert "Choose a level for 1 more criterion before submitting." in page

    response = client.post(url)
    assert response.status_code == 200
    assert "“Ethics and boundaries in a scenario”: choose a level" in (
        response.content.decode()
    )
    assert ScoreSheet.objects.get().state == ScoreSheet.State.DRAFT


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"level": "9"}, "choose one of its levels; 9 is not one of them"),
        ({"level": "three"}, "three is not one of them"),
        ({"extra": "level_c999999"}, "fields for criteria it does not have"),
        ({"comment": "x" * 2001}, "at most 2000 characters"),
    ],
    ids=["out of range", "not a number", "unknown criterion", "long comment"],
)
def test_a_tampered_score_post_names_the_problem_and_saves_nothing(
    client, sitting, post, message
):
    examiner = panel_of(sitting)[0]
    client.force_login(examiner)
    key = sitting.criteria[1]["key"]
    data = level_post(sitting, [3, 3, 3], save="1")
    if "level" in post:
        data[f"level_{key}"] = post["level"]
    if "comment" in post:
        data[f"comment_{key}"] = post["comment"]
    if "extra" in post:
        data[post["extra"]] = "3"

    response = client.post(reverse("exams:oral_score_sheet", args=[sitting.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CriterionScore.objects.exists()
    assert not ScoreSheet.objects.exists()


def test_a_sitting_that_does_not_exist_is_not_found(client, make_user):
    client.force_login(make_user("examiner"))
    for name in ("oral_score_sheet", "oral_score_submit", "oral_reconcile"):
        assert client.get(reverse(f"exams:{name}", args=[999999])).status_code == 404


def test_a_sheet_of_another_sitting_is_not_found(client, sitting, make_user):
    other = ScoreSheetFactory(submitted=True)
    client.force_login(make_user("administrator"))
    response = client.post(
        reverse("exams:oral_sheet_reopen", args=[sitting.pk, other.pk]),
        {"reason": "Wrong sitting."},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.state == ScoreSheet.State.SUBMITTED


def test_a_reopening_without_a_reason_says_so(client, sitting, make_user):
    sheet = ScoreSheetFactory(sitting=sitting, submitted=True)
    client.force_login(make_user("administrator"))
    response = client.post(
        reverse("exams:oral_sheet_reopen", args=[sitting.pk, sheet.pk]),
        {"reason": ""},
    )
    assert response.status_code == 200
    assert "Say why the sheet is reopened." in response.content.decode()
    assert not ScoreSheetReopening.objects.exists()


def test_the_lead_reconciles_through_the_page_and_a_missing_note_is_named(
    client, sitting
):
    sitting = sitting_scored(sitting, [1, 3, 3], [3, 3, 3])
    key = sitting.criteria[0]["key"]
    client.force_login(sitting.booking.slot.lead_examiner)
    url = reverse("exams:oral_reconcile", args=[sitting.pk])

    page = client.get(url).content.decode()
    assert "Two levels or more apart" in page

    response = client.post(url, {f"level_{key}": "3", f"note_{key}": ""})
    assert response.status_code == 200
    assert "say why the panel agreed on this level" in response.content.decode()
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.RECONCILING

    response = client.post(url, {f"level_{key}": "3", f"note_{key}": "Agreed."})
    assert response.status_code == 302
    sitting.refresh_from_db()
    assert (sitting.state, sitting.passed) == (Sitting.State.DECIDED, True)


def test_a_release_with_a_tampered_id_names_the_field_and_releases_nothing(
    client, make_user
):
    exam = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    sitting = sitting_scored(SittingFactory(oral_exam=exam), [3, 3, 3], [3, 3, 3])
    client.force_login(make_user("administrator"))
    for tampered in ("999999", "x"):
        response = client.post(
            reverse("exams:oral_results"), {"sittings": [sitting.pk, tampered]}
        )
        assert response.status_code == 200
        assert "Nothing was released." in response.content.decode()
    sitting.refresh_from_db()
    assert sitting.released_at is None


# Query budgets ------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # first visits fill per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


BIG_RUBRIC = [(f"Criterion {n}", "1", 2 if n % 3 == 0 else None) for n in range(8)]

# Eight for the site, the session, the user and their permissions; the
# sitting with its booking, slot and people, the panel, the sheets, their
# scores. An administrator's page adds the reopenings.
SCORE_SHEET_BUDGETS = {"panel examiner": 12, "administrator": 13}


@pytest.mark.parametrize("role", list(SCORE_SHEET_BUDGETS))
def test_the_score_sheet_page_does_not_grow_with_criteria_or_examiners(
    client, make_user, role
):
    counts = []
    for criteria, examiners in ((oral_rubric(), 2), (oral_rubric(BIG_RUBRIC), 3)):
        panel = [make_user("examiner") for _ in range(examiners)]
        exam = oral_exam_scored_with(criteria, examiners_per_sitting=examiners)
        sitting = SittingFactory(oral_exam=exam, panel=panel)
        size = len(sitting.criteria)
        # Everyone but the last has submitted; the last has a draft.
        for examiner in panel[:-1]:
            ScoreSheetFactory(
                sitting=sitting, examiner=examiner, points=[3] * size, submitted=True
            )
        ScoreSheetFactory(sitting=sitting, examiner=panel[-1], points=[2] * size)
        viewer = panel[0] if role == "panel examiner" else make_user("administrator")
        client.force_login(viewer)
        counts.append(
            _queries(client, reverse("exams:oral_score_sheet", args=[sitting.pk]))
        )
    assert counts[0] == counts[1], counts
    assert counts[1] <= SCORE_SHEET_BUDGETS[role], counts


def test_the_results_page_does_not_grow_with_the_results_waiting(client, make_user):
    exam = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    client.force_login(make_user("administrator"))
    counts = []
    for waiting in (1, 4):
        while Sitting.objects.filter(released_at__isnull=True).count() < waiting:
            sitting_scored(SittingFactory(oral_exam=exam), [3, 3, 3], [3, 3, 3])
        sitting_scored(SittingFactory(oral_exam=exam), [1, 3, 3], [3, 3, 3])
        counts.append(_queries(client, reverse("exams:oral_results")))
    assert counts[0] == counts[1], counts
    # Eight for the site and the administrator; the sittings to release,
    # those reconciling.
    assert counts[1] <= 10, counts


def test_the_result_page_does_not_grow_with_criteria(client, make_user):
    counts = []
    for criteria in (oral_rubric(), oral_rubric(BIG_RUBRIC)):
        sitting = SittingFactory(oral_exam=oral_exam_scored_with(criteria))
        size = len(sitting.criteria)
        sitting = sitting_scored(sitting, [3] * size, [4] * size)
        client.force_login(sitting.booking.trainee)
        counts.append(_queries(client, reverse("exams:oral_result", args=[sitting.pk])))
    assert counts[0] == counts[1], counts
    # The site's pages cost four (site, menu, footer), the session and user
    # two, the trainee's permissions two; the result four: the sitting, its
    # sheets, their scores and its reconciliations.
    assert counts[1] <= 12, counts
