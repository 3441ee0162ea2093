"""What each role may do: the permissions its group is granted (as the
README's roles table says), and every check built on them."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse

from cms import permissions as cms_checks
from cms import roles
from courses import permissions as course_checks
from exams import permissions as exam_checks

pytestmark = pytest.mark.django_db

ROLE_KEYS = ["trainee", "trainer", "examiner", "supervisor", "administrator"]
ROLE_OF_GROUP = dict(zip(roles.ROLES, ROLE_KEYS, strict=True))
STAFF = {"trainer", "administrator"}

# Which roles hold each permission the platform checks.
MATRIX = {
    "courses.add_enrollment": {"trainee"},
    "courses.add_hourentry": {"trainee"},
    "courses.view_hourentry": {"trainee", "trainer", "supervisor", "administrator"},
    "courses.view_any_ledger": {"administrator"},
    "courses.verify_hourentry": STAFF,
    "courses.verify_any_hourentry": {"administrator"},
    "courses.sign_hourentry": {"supervisor"},
    "courses.add_cohort": STAFF,
    "courses.change_cohort": STAFF,
    "courses.manage_any_cohort": {"administrator"},
    "courses.add_coursetrainer": {"administrator"},
    "courses.audit_curriculum": STAFF,
    "courses.view_certificate": {"trainee", "trainer", "administrator"},
    "courses.view_any_certificate": {"administrator"},
    "courses.add_certificate": {"administrator"},
    "courses.revoke_certificate": {"administrator"},
    "courses.approve_supervisoryagreement": {"administrator"},
    "courses.view_supervision_feedback": {"administrator"},
    "courses.verify_traineedocument": {"administrator"},
    # Granted to named administrators, one by one; no role holds it.
    "courses.view_sensitive_document": set(),
    "courses.add_feepayment": {"administrator"},
    "courses.generate_applicationpacket": {"administrator"},
    "exams.add_attempt": {"trainee"},
    "exams.grade_response": STAFF,
    "exams.grade_any_response": {"administrator"},
    "exams.change_attempt": STAFF,
    "exams.view_question": STAFF,
    "exams.add_question": STAFF,
    "exams.change_question": STAFF,
    "exams.view_writtenexam": STAFF,
    "exams.change_writtenexam": STAFF,
    "exams.view_accommodation": STAFF,
    "exams.add_accommodation": {"administrator"},
    "exams.publish_oral_slot": {"examiner", "administrator"},
    "exams.score_oral_exam": {"examiner", "administrator"},
    "exams.change_slot": {"administrator"},
    "exams.change_booking": {"administrator"},
    "exams.view_scoresheet": {"administrator"},
    "exams.change_scoresheet": {"administrator"},
    "exams.add_reconciliation": {"administrator"},
    "exams.change_sitting": {"administrator"},
    "wagtailadmin.access_admin": STAFF,
    "cms.view_auditevent": {"administrator"},
    "cms.unlock_sign_in": {"administrator"},
    "cms.reset_mfa": {"administrator"},
}

# The checks that take no object, and who passes them.
VERBS = {
    course_checks.user_can_study: {"trainee"},
    course_checks.user_can_submit_hours: {"trainee"},
    course_checks.user_can_audit_curriculum: STAFF,
    course_checks.user_can_teach: STAFF,
    course_checks.user_can_add_cohort: STAFF,
    course_checks.user_can_verify_hours: STAFF,
    course_checks.user_can_export_ledgers: {"administrator"},
    course_checks.user_can_view_certificates: {"trainee", "trainer", "administrator"},
    course_checks.user_can_manage_certificates: {"administrator"},
    course_checks.user_can_issue_certificates: {"administrator"},
    course_checks.user_can_revoke_certificates: {"administrator"},
    course_checks.user_can_supervise: {"supervisor"},
    course_checks.user_can_log_supervision: {"trainee"},
    course_checks.user_can_approve_agreements: {"administrator"},
    course_checks.user_can_view_supervision_feedback: {"administrator"},
    course_checks.user_can_upload_documents: {"trainee"},
    course_checks.user_can_verify_documents: {"administrator"},
    course_checks.user_can_view_sensitive_documents: set(),
    course_checks.user_can_record_fees: {"administrator"},
    course_checks.user_can_request_references: {"trainee"},
    course_checks.user_can_view_reference_letters: set(),
    course_checks.user_can_generate_packets: {"administrator"},
    # Also needs courses.view_sensitive_document, which no role holds.
    course_checks.user_can_include_sensitive_in_packet: set(),
    exam_checks.user_can_take_exams: {"trainee"},
    exam_checks.user_can_grade: STAFF,
    exam_checks.user_can_regrade: STAFF,
    exam_checks.user_can_view_exam_reports: STAFF,
    exam_checks.user_can_view_bank: STAFF,
    exam_checks.user_can_add_questions: STAFF,
    exam_checks.user_can_edit_questions: STAFF,
    exam_checks.user_can_import_questions: STAFF,
    exam_checks.user_can_publish_slots: {"examiner", "administrator"},
    exam_checks.user_can_manage_any_slot: {"administrator"},
    exam_checks.user_can_sit_on_panel: {"examiner", "administrator"},
    exam_checks.user_can_book_oral: {"trainee"},
    exam_checks.user_can_manage_any_booking: {"administrator"},
    exam_checks.user_can_score_oral_exams: {"examiner", "administrator"},
    exam_checks.user_can_reach_score_sheets: {"examiner", "administrator"},
    exam_checks.user_can_see_draft_score_sheets: {"administrator"},
    exam_checks.user_can_reopen_score_sheets: {"administrator"},
    exam_checks.user_can_release_oral_results: {"administrator"},
    exam_checks.user_can_view_oral_agreement: {"administrator"},
    cms_checks.user_can_unlock_sign_ins: {"administrator"},
    cms_checks.user_can_reset_mfa: {"administrator"},
}


@pytest.mark.parametrize("role", ROLE_KEYS)
@pytest.mark.parametrize("permission", list(MATRIX))
def test_each_role_holds_exactly_its_permissions(make_user, permission, role):
    assert make_user(role).has_perm(permission) is (role in MATRIX[permission])


@pytest.mark.parametrize("role", ROLE_KEYS)
@pytest.mark.parametrize("check", list(VERBS), ids=lambda check: check.__name__)
def test_each_check_passes_exactly_its_roles(make_user, check, role):
    assert check(make_user(role)) is (role in VERBS[check])


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _readme_matrix() -> dict[str, set[str]]:
    """The README's permissions table: each permission and the roles with a
    check mark in their group's column."""
    readme = Path(__file__).resolve().parents[2] / "README.md"
    columns, rows = None, {}
    for line in readme.read_text().splitlines():
        if line.startswith("| permission | lets a person |"):
            columns = [ROLE_OF_GROUP[name] for name in _cells(line)[2:]]
            continue
        match = re.match(r"\| `([a-z_]+\.[a-z_]+)` \|", line)
        if match and columns:
            marks = _cells(line)[2:]
            rows[match.group(1)] = {
                role
                for role, mark in zip(columns, marks, strict=True)
                if mark == "\N{CHECK MARK}"
            }
    assert columns is not None, "the README has no permissions table"
    return rows


def test_the_readme_roles_table_says_what_the_groups_hold():
    assert _readme_matrix() == MATRIX


def test_a_signed_in_person_in_no_group_can_do_nothing(make_user):
    nobody = make_user()
    assert not nobody.get_all_permissions()
    for check in VERBS:
        assert check(nobody) is False, check.__name__
    # Not even their own records.
    assert course_checks.user_can_view_ledger(nobody, nobody) is False


def test_signed_out_visitors_can_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    for check in VERBS:
        assert check(visitor) is False, check.__name__


def test_superusers_pass_every_check(make_user):
    superuser = make_user(is_superuser=True)
    for permission in MATRIX:
        assert superuser.has_perm(permission)
    for check in VERBS:
        assert check(superuser) is True, check.__name__


def test_a_deactivated_account_can_do_nothing(make_user):
    trainer = make_user("trainer", is_active=False)
    for check in VERBS:
        assert check(trainer) is False, check.__name__


def test_a_permission_granted_to_one_person_is_honoured_without_a_group(make_user):
    person = make_user()
    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="exams", codename="add_attempt")
    )
    assert exam_checks.user_can_take_exams(person)
    assert not course_checks.user_can_study(person)


def _keep_models_module(monkeypatch, app_label):
    # grant() marks the app's models module as it does for the historical
    # registry; here it runs against the live one, which must not keep that.
    config = apps.get_app_config(app_label)
    monkeypatch.setattr(config, "models_module", config.models_module)


@pytest.mark.parametrize(
    ("migration", "group", "permission"),
    [
        ("cms.migrations.0007_security_permissions", "Administrators", "reset_mfa"),
        (
            "courses.migrations.0006_grant_teaching_and_ledger_permissions",
            "Trainers",
            "verify_hourentry",
        ),
        (
            "exams.migrations.0007_grant_exam_role_permissions",
            "Examiners",
            "score_oral_exam",
        ),
        (
            "exams.migrations.0010_oral_scoring_reopenings_and_oral_exam_requirement",
            "Trainers",
            "view_oralexampassedrequirement",
        ),
    ],
)
def test_permission_migrations_revoke_what_they_grant(
    monkeypatch, migration, group, permission
):
    module = importlib.import_module(migration)
    _keep_models_module(monkeypatch, migration.split(".")[0])
    holders = Group.objects.get(name=group).permissions
    assert holders.filter(codename=permission).exists()
    module.revoke(apps, None)
    assert not holders.filter(codename=permission).exists()
    module.grant(apps, None)
    assert holders.filter(codename=permission).exists()


def test_reversing_the_exam_grants_gives_administrators_back_what_they_held(
    monkeypatch,
):
    module = importlib.import_module(
        "exams.migrations.0007_grant_exam_role_permissions"
    )
    _keep_models_module(monkeypatch, "exams")
    admins = Group.objects.get(name=roles.ADMINISTRATOR).permissions
    assert not admins.filter(codename="add_attempt").exists()
    module.revoke(apps, None)
    assert admins.filter(codename="add_attempt").exists()
    assert not admins.filter(codename="grade_any_response").exists()
    module.grant(apps, None)
    assert not admins.filter(codename="add_attempt").exists()


def _render(source: str, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load cms_tags %}" + source).render(
        Context({"request": request})
    )


@pytest.mark.parametrize(("role", "shown"), [("trainer", "yes"), ("trainee", "no")])
def test_templates_ask_the_same_checks_through_user_can(make_user, role, shown):
    source = (
        '{% user_can "courses.verify_hours" as may %}{% if may %}yes{% else %}no'
        "{% endif %}"
    )
    assert _render(source, make_user(role)) == shown


def test_user_can_takes_an_object(make_user):
    from tests.factories import kps_course, make_cohort

    trainer = make_user("trainer")
    cohort = make_cohort(kps_course(), trainers=[trainer])
    source = '{% user_can "courses.manage_cohort" cohort as may %}{{ may|yesno:"y,n" }}'
    for user, expected in ((trainer, "y"), (make_user("trainer"), "n")):
        request = RequestFactory().get("/")
        request.user = user
        html = Template("{% load cms_tags %}" + source).render(
            Context({"request": request, "cohort": cohort})
        )
        assert html == expected


@pytest.mark.parametrize("name", ["courses.fly", "nosuchapp.study", "courses"])
def test_user_can_names_an_unknown_check_plainly(make_user, name):
    with pytest.raises(TemplateSyntaxError, match="no check named"):
        _render(f'{{% user_can "{name}" as may %}}', make_user("trainer"))


def test_roles_are_shown_on_the_account_page(client, make_user):
    client.force_login(make_user("supervisor"))
    html = client.get(reverse("account")).content.decode()
    assert "Supervisor" in html


def test_no_check_asks_for_a_group_name():
    """Permissions decide; group names are for sign-up, fixtures and showing
    a person's roles."""
    root = Path(__file__).resolve().parents[2]
    # Sign-up (cms.services.account_sign_up) puts new people in the trainees.
    allowed = {root / "cms" / "roles.py", root / "cms" / "services.py"}
    pattern = re.compile(
        r"user_has_role|groups__name"
        r"|roles\.(TRAINEE|TRAINER|EXAMINER|SUPERVISOR|ADMINISTRATOR)\b"
    )
    offenders = [
        str(path.relative_to(root))
        for app in ("cms", "courses", "exams")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        and path not in allowed
        and pattern.search(path.read_text())
    ]
    assert offenders == []


def test_administrators_can_grant_the_platforms_permissions_in_the_admin():
    from wagtail.users.forms import GroupForm

    from courses import wagtail_hooks as course_hooks
    from exams import wagtail_hooks as exam_hooks

    offered = {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in GroupForm().fields["permissions"].queryset
    }
    platform = {f"courses.{name}" for name in course_hooks.PLATFORM_PERMISSIONS} | {
        f"exams.{name}" for name in exam_hooks.PLATFORM_PERMISSIONS
    }
    assert platform <= set(MATRIX)
    assert platform <= offered
    # The checks the platform makes that Wagtail does not offer already.
    assert {"courses.verify_hourentry", "exams.score_oral_exam"} <= platform
