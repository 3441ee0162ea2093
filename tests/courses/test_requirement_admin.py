"""The new requirement types in the admin: who may add, edit and read them,
and bad input that names its field and saves nothing."""

import pytest
from django.urls import reverse

from courses.models import (
    AgeRequirement,
    HoursRequirement,
    ModuleCompletionRequirement,
)
from tests.factories import (
    ONLINE,
    adpss_credential,
    course_with_modules,
    hour_category,
    kps_course,
    kps_credential_rules,
)
from tests.shared import fresh, module_transaction

pytestmark = pytest.mark.django_db


def age_post(credential, **changes) -> dict:
    return {
        "credential": credential.pk,
        "minimum_age": "18",
        "source_citation": "908 KAR 2:220",
        "effective_date": "2026-01-01",
        "sort_order": "10",
        **changes,
    }


def modules_post(credential, course, modules=(), **changes) -> dict:
    return {
        "credential": credential.pk,
        "course": course.pk,
        "modules": [module.pk for module in modules],
        "source_citation": "908 KAR 2:220",
        "effective_date": "2026-01-01",
        "sort_order": "20",
        **changes,
    }


@pytest.fixture(scope="module")
def kps_record(request, django_db_setup, django_db_blocker):
    """The KPS course, two class days, and its credential with one age rule
    and one rule for every module of the course, built once for the module
    (see tests/shared.py): each test's changes roll back."""
    with module_transaction(request, django_db_blocker):
        course = kps_course(days=2, lessons_per_day=0)
        kps_credential_rules(course=course)
        yield course


@pytest.fixture
def kps(kps_record, db):
    return fresh(kps_record)


@pytest.fixture
def credential(kps):
    return kps.credential


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [
        ("administrator", True, True),
        ("trainer", True, False),
        ("trainee", False, False),
        ("examiner", False, False),
        ("supervisor", False, False),
        (None, False, False),
    ],
)
@pytest.mark.parametrize("name", ["agerequirement", "modulecompletionrequirement"])
def test_requirement_admin_by_role(
    client_as, credential, kps, role, reads, writes, name
):
    client = client_as(role)
    model = {
        "agerequirement": AgeRequirement,
        "modulecompletionrequirement": ModuleCompletionRequirement,
    }[name]
    existing = model.objects.filter(credential=credential).get()
    before = model.objects.count()

    index = client.get(reverse(f"{name}:index"))
    assert (index.status_code == 200) is reads
    if reads:
        assert existing.source_citation in index.content.decode()
    else:
        assert index.status_code == 302

    for url in (reverse(f"{name}:add"), reverse(f"{name}:edit", args=[existing.pk])):
        assert (client.get(url).status_code == 200) is writes, url

    data = (
        age_post(credential, minimum_age="21")
        if model is AgeRequirement
        else modules_post(credential, kps, source_citation="Changed citation")
    )
    client.post(reverse(f"{name}:add"), data)
    client.post(reverse(f"{name}:edit", args=[existing.pk]), data)

    existing.refresh_from_db()
    assert (model.objects.count() == before + 1) is writes
    changed = (
        existing.minimum_age == 21
        if model is AgeRequirement
        else existing.source_citation == "Changed citation"
    )
    assert changed is writes


def test_an_administrator_adds_a_rule_for_chosen_modules(client_as, credential, kps):
    client = client_as("administrator")
    days = list(kps.get_children().live().specific().order_by("path")[:2])

    response = client.post(
        reverse("modulecompletionrequirement:add"),
        modules_post(credential, kps, days),
    )

    assert response.status_code == 302
    rule = ModuleCompletionRequirement.objects.exclude(modules=None).get(
        credential=credential
    )
    assert set(rule.modules.all()) == set(days)
    assert rule.describe().startswith(f"Complete {days[0].title}, {days[1].title}")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"minimum_age": "0"}, "minimum_age", "at least 1 year"),
        ({"minimum_age": "eighteen"}, "minimum_age", "Enter a whole number"),
        ({"minimum_age": "500"}, "minimum_age", "less than or equal to 120"),
        ({"credential": ""}, "credential", "Choose the credential this rule"),
        ({"source_citation": ""}, "source_citation", "This field is required"),
        ({"effective_date": "someday"}, "effective_date", "Enter a valid date"),
    ],
)
def test_a_bad_age_rule_names_its_field_and_saves_nothing(
    client_as, credential, changes, field, message
):
    client = client_as("administrator")
    before = AgeRequirement.objects.count()
    response = client.post(
        reverse("agerequirement:add"), {**age_post(credential), **changes}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert AgeRequirement.objects.count() == before


def test_modules_of_another_course_are_refused_by_name(client_as, credential, kps):
    client = client_as("administrator")
    other = course_with_modules((ONLINE, 1), title="Another course")
    day_one = kps.get_children().get(slug="day-1").specific
    before = ModuleCompletionRequirement.objects.count()

    response = client.post(
        reverse("modulecompletionrequirement:add"),
        modules_post(credential, kps, [day_one, other.modules[0]]),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["modules"]
    (message,) = errors["modules"]
    assert "are not modules of Kentucky Peer Specialist Training" in message
    assert other.modules[0].title in message
    assert day_one.title not in message
    assert ModuleCompletionRequirement.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"course": ""}, "course"), ({"modules": ["999999"]}, "modules")],
)
def test_a_bad_module_rule_names_its_field_and_saves_nothing(
    client_as, credential, kps, changes, field
):
    client = client_as("administrator")
    before = ModuleCompletionRequirement.objects.count()
    response = client.post(
        reverse("modulecompletionrequirement:add"),
        {**modules_post(credential, kps), **changes},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert ModuleCompletionRequirement.objects.count() == before


def test_the_credentials_menu_lists_every_requirement_type(client_as):
    html = client_as("administrator").get(reverse("wagtailadmin_home")).content
    for label in (
        "Hours per category",
        "Total hours",
        "Modules completed",
        "Minimum age",
        "Written exam passed",
    ):
        assert label.encode() in html, label


def hours_post(credential, category, **changes) -> dict:
    return {
        "credential": credential.pk,
        "kind": "supervision",
        "category": category.pk,
        "minimum_hours": "25",
        "source_citation": "201 KAR 35:070",
        "effective_date": "2026-01-01",
        "sort_order": "120",
        **changes,
    }


def test_an_administrator_writes_a_supervision_minimum_and_filters_by_kind(
    client_as,
):
    client = client_as("administrator")
    adpss = adpss_credential()
    ethics = hour_category("ethics")

    response = client.post(reverse("hoursrequirement:add"), hours_post(adpss, ethics))

    assert response.status_code == 302
    rule = HoursRequirement.objects.get(credential=adpss, kind="supervision")
    assert rule.describe() == "25 hours of supervision in Ethics"
    # The training minimum in the same category is a separate rule.
    assert (
        HoursRequirement.objects.filter(credential=adpss, category=ethics).count() == 2
    )
    listing = client.get(reverse("hoursrequirement:index"), {"kind": "supervision"})
    assert listing.status_code == 200
    assert "201 KAR 35:070" in listing.content.decode()
    assert "201 KAR 35:050 Section 1(1)" not in listing.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "volunteering"}, "kind", "Select a valid choice"),
        ({"kind": "training"}, "category", "already has a minimum"),
        ({"minimum_hours": "0"}, "minimum_hours", "greater than or equal to 0.01"),
    ],
)
def test_a_bad_hours_rule_names_its_field_and_saves_nothing(
    client_as, changes, field, message
):
    client = client_as("administrator")
    adpss = adpss_credential()
    ethics = hour_category("ethics")
    before = HoursRequirement.objects.count()

    response = client.post(
        reverse("hoursrequirement:add"), {**hours_post(adpss, ethics), **changes}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert HoursRequirement.objects.count() == before
