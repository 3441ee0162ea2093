from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import CoursePage, ModulePage
from courses.selectors import curriculum_audits
from tests.factories import AD_MODULE_SLUGS, alcohol_drug_course, kps_course
from tests.shared import module_transaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("curricula")]


@pytest.fixture(scope="module")
def curricula(request, django_db_setup, django_db_blocker):
    """Both courses, modules without lessons, built once for the module.

    The alcohol and drug course offers exactly its credential's minimum in
    each required topic (ethics 16, domestic violence 3, HIV 2, advocacy,
    mentoring and education and recovery support 10 each, suicide prevention
    6) and 60 hours in all, 3 of them in confidentiality, which the
    credential does not list; the credential also asks for 500 hours of
    experience and 25 of supervision. The KPS course offers five class days of 6
    hours of core training against its credential's 30-hour total."""
    with module_transaction(request, django_db_blocker):
        alcohol_drug_course(modules=AD_MODULE_SLUGS, with_lessons=False)
        kps_course(days=5, lessons_per_day=0)
        yield


def audit_for(slug):
    (audit,) = curriculum_audits(courses=CoursePage.objects.filter(slug=slug))
    return audit


def figures(audit):
    return {line.label: (line.offered, line.minimum) for line in audit.lines}


def test_alcohol_drug_audit_meets_every_minimum():
    audit = audit_for("alcohol-drug-peer-support")
    assert figures(audit) == {
        "Ethics": (16, 16),
        "Domestic violence": (3, 3),
        "HIV": (2, 2),
        "Advocacy": (10, 10),
        "Mentoring and education": (10, 10),
        "Recovery support": (10, 10),
        "Suicide assessment, treatment and management": (6, 6),
        "Total": (60, 60),
    }
    assert audit.is_complete
    assert audit.short_lines == []
    # The supervision and experience rules are not training a curriculum
    # offers, so they are not in the audit.
    others = {category.slug: hours for category, hours in audit.other_categories}
    assert others == {"confidentiality": 3}


def test_kps_audit_counts_thirty_hours_of_core_training():
    audit = audit_for("kps")
    assert figures(audit) == {"Total": (30, 30)}
    assert audit.is_complete
    assert [(c.slug, h) for c, h in audit.other_categories] == [("kps-core", 30)]


def test_unpublishing_a_module_flags_its_category_and_the_total_short():
    course = CoursePage.objects.get(slug="alcohol-drug-peer-support")
    ModulePage.objects.child_of(course).get(slug="domestic-violence").unpublish()

    audit = audit_for("alcohol-drug-peer-support")
    short = {line.label: line.shortfall for line in audit.short_lines}
    assert short == {"Domestic violence": Decimal(3), "Total": Decimal(3)}
    assert not audit.is_complete


def test_deleting_a_module_shows_short_in_the_admin_audit(client_as):
    course = CoursePage.objects.get(slug="alcohol-drug-peer-support")
    ModulePage.objects.child_of(course).get(slug="hiv").delete()
    client = client_as("administrator")

    response = client.get(reverse("courses_curriculum_audit"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Short by 2" in html
    assert "2 requirements are short." in html


def test_admin_audit_page_lists_both_courses_with_their_figures(client_as):
    client = client_as("administrator")
    response = client.get(reverse("courses_curriculum_audit"))
    html = response.content.decode()
    assert "Kentucky Peer Specialist Training" in html
    assert "Alcohol and Drug Peer Support Specialist Training" in html
    assert "Every minimum is met." in html
    assert "Short by" not in html


def test_single_course_audit(client_as):
    course = CoursePage.objects.get(slug="kps")
    response = client_as("administrator").get(
        reverse("courses_curriculum_audit_course", args=[course.pk])
    )
    html = response.content.decode()
    assert "Kentucky Peer Specialist Training" in html
    assert "Alcohol and Drug" not in html


def test_audit_of_unknown_course_is_404(client_as):
    response = client_as("administrator").get(
        reverse("courses_curriculum_audit_course", args=[999999])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("administrator", 200),
        ("trainer", 200),
        ("trainee", 302),
        ("examiner", 302),
        ("supervisor", 302),
        (None, 302),
    ],
)
def test_audit_access_by_role(client_as, role, status):
    response = client_as(role).get(reverse("courses_curriculum_audit"))
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]


def test_audit_query_count_does_not_grow_with_courses(
    client_as, django_assert_max_num_queries
):
    client = client_as("administrator")
    with django_assert_max_num_queries(25):
        client.get(reverse("courses_curriculum_audit"))
