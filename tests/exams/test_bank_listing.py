"""The question bank listing: Wagtail's generic index view over every type."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.permissions import policy_registry

from exams.admin_views import BANK_PAGE_SIZE, question_url
from exams.models import (
    QUESTION_TYPES,
    Question,
    QuestionCategory,
    TrueFalseQuestion,
)
from exams.wagtail_hooks import QUESTION_VIEWSETS
from tests.factories import (
    QUESTION_FACTORIES,
    QuestionCategoryFactory,
    TrueFalseQuestionFactory,
    questions_in,
)
from tests.shared import module_transaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank")]


@pytest.fixture(scope="module")
def bank(request, django_db_setup, django_db_blocker):
    """A bank of two categories, built once for the module (see
    tests/shared.py): Advocacy holds one question of every type and a
    true/false statement about peers, Ethical responsibility an essay, a
    single choice question, another statement about peers and one that is
    not. Each test's changes roll back."""
    with module_transaction(request, django_db_blocker):
        advocacy = QuestionCategoryFactory(name="Advocacy")
        questions_in(advocacy, *QUESTION_FACTORIES)
        TrueFalseQuestionFactory(
            category=advocacy, text="A peer speaks up with a person, not for them."
        )
        ethics = QuestionCategoryFactory(name="Ethical responsibility")
        questions_in(ethics, "essay", "single_choice")
        TrueFalseQuestionFactory(
            category=ethics, text="A peer keeps what they hear confidential."
        )
        TrueFalseQuestionFactory(
            category=ethics, text="Boundaries protect the person and the worker."
        )
        yield


def _rows(response) -> list[Question]:
    return list(response.context["object_list"])


def _exported_texts(response) -> list[str]:
    sheet = load_workbook(BytesIO(response.content))["Questions"]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Question")
    return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("question_class", QUESTION_TYPES, ids=lambda c: c.type_code)
def test_each_row_links_to_its_own_types_editor_and_preview(client_as, question_class):
    client = client_as("trainer")
    question = question_class.objects.first()
    response = client.get(reverse("exams_bank"), {"type": question_class.type_code})
    html = response.content.decode()
    assert {type(row).__name__ for row in _rows(response)} == {"Question"}
    assert {row.pk for row in _rows(response)} == set(
        question_class.objects.values_list("pk", flat=True)
    )
    edit = question_url(question_class.type_code, "edit", question.pk)
    assert edit == f"/admin/question-{question_class.type_code}/edit/{question.pk}/"
    assert f'href="{edit}"' in html
    assert reverse("exams_question_preview", args=[question.pk]) in html
    assert client.get(edit).status_code == 200


def test_every_type_gets_its_viewset_filter_choice_and_add_link(client_as):
    client = client_as("trainer")
    html = client.get(reverse("exams_bank")).content.decode()
    for question_class in QUESTION_TYPES:
        code = question_class.type_code
        viewset = QUESTION_VIEWSETS[code]
        assert viewset.model is question_class
        assert viewset.get_url_name("add") == f"question-{code}:add"
        # One set of permissions, the base question's, governs every type.
        assert policy_registry.get_by_type(question_class).model is Question
        assert f'value="{code}"' in html
        assert f'href="{question_url(code, "add")}"' in html
        assert client.get(question_url(code, "add")).status_code == 200
    assert len(QUESTION_VIEWSETS) == len(QUESTION_TYPES)


def test_filters_and_search_narrow_the_listing(client_as):
    client = client_as("trainer")
    category = QuestionCategory.objects.get(name="Advocacy")
    by_category = _rows(client.get(reverse("exams_bank"), {"category": category.pk}))
    assert by_category and {q.category_id for q in by_category} == {category.pk}

    draft = Question.objects.first()
    Question.objects.filter(pk=draft.pk).update(status="draft", title="Zebra crossing")
    drafts = _rows(client.get(reverse("exams_bank"), {"status": "draft"}))
    assert draft.pk in {q.pk for q in drafts}
    assert {q.status for q in drafts} == {"draft"}

    found = _rows(client.get(reverse("exams_bank"), {"q": "zebra"}))
    assert [q.pk for q in found] == [draft.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"type": "essay_long"},
        {"category": "not-a-number"},
        {"category": "999999"},
        {"status": "maybe"},
        {"p": "many"},
        {"p": "9999"},
        {"ordering": "password"},
    ],
)
def test_a_tampered_listing_query_shows_the_bank_not_an_error(client_as, query):
    client = client_as("trainer")
    response = client.get(reverse("exams_bank"), query)
    assert response.status_code == 200
    assert _rows(response)
    export = client.get(reverse("exams_bank_export"), query)
    assert export.status_code == 200


def test_export_takes_the_listings_filters_and_search(client_as):
    client = client_as("trainer")
    listing = client.get(reverse("exams_bank"), {"type": "true_false", "q": "peer"})
    html = listing.content.decode()
    export_url = reverse("exams_bank_export") + "?type=true_false&amp;q=peer"
    assert export_url in html
    texts = _exported_texts(
        client.get(reverse("exams_bank_export"), {"type": "true_false", "q": "peer"})
    )
    expected = TrueFalseQuestion.objects.filter(text__icontains="peer")
    assert sorted(texts) == sorted(q.text for q in expected)
    assert 0 < len(texts) < TrueFalseQuestion.objects.count()


def test_the_results_fragment_refreshes_with_the_filters(client_as):
    client = client_as("trainer")
    response = client.get(reverse("exams_bank_results"), {"type": "essay"})
    assert response.status_code == 200
    assert {type(row) for row in _rows(response)} == {Question}
    assert (
        len(_rows(response))
        == Question.objects.filter(polymorphic_ctype__model="essayquestion").count()
    )
    assert "<html" not in response.content.decode()


def _add_questions(count: int) -> None:
    category = QuestionCategory.objects.get(name="Advocacy")
    for number in range(count):
        TrueFalseQuestion.objects.create(
            category=category,
            text=f"Extra statement {number}",
            correct_answer=bool(number % 2),
            status="active",
        )


@pytest.mark.parametrize("query", [{}, {"type": "true_false", "q": "statement"}])
def test_the_listing_does_a_fixed_number_of_queries_as_the_bank_grows(
    client_as, django_assert_max_num_queries, query
):
    client = client_as("trainer")
    url = reverse("exams_bank")
    client.get(url, query)  # fills per-process caches (content types, site)
    counts = []
    for extra in (1, BANK_PAGE_SIZE + 5):
        _add_questions(extra)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query)
        assert response.status_code == 200
        counts.append(len(captured))
    assert len(_rows(response)) == BANK_PAGE_SIZE  # a full page of rows
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(13):
        client.get(url, query)


@pytest.fixture
def bank_reader(make_user):
    """Someone who may look at the bank but change nothing."""
    group = Group.objects.create(name="Bank readers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(
            content_type__app_label="exams", codename="view_question"
        ),
    )
    person = make_user()
    person.groups.add(group)
    return person


def _refused(response) -> bool:
    """The admin turns a refusal into a message on its dashboard."""
    if response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return response.status_code == 403


def test_the_listing_offers_only_what_the_person_may_do(client, bank_reader):
    client.force_login(bank_reader)
    question = TrueFalseQuestion.objects.first()
    response = client.get(reverse("exams_bank"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("exams_question_preview", args=[question.pk]) in html
    assert question_url("true_false", "edit", question.pk) not in html
    assert reverse("exams_question_regrade", args=[question.pk]) not in html
    assert question_url("true_false", "add") not in html
    assert reverse("exams_bank_import") not in html
    assert reverse("exams_bank_export") in html
    preview = client.get(reverse("exams_question_preview", args=[question.pk]))
    assert preview.status_code == 200
    assert "Edit this question" not in preview.content.decode()
    assert client.get(reverse("exams_bank_export")).status_code == 200
    for url in (
        reverse("exams_bank_import"),
        reverse("exams_bank_template"),
        reverse("exams_question_regrade", args=[question.pk]),
        reverse("exams_reports"),
        question_url("true_false", "edit", question.pk),
    ):
        assert _refused(client.get(url)), url


def test_the_exams_menu_shows_each_item_to_whoever_may_use_it(
    client, client_as, bank_reader
):
    trainer_home = client_as("trainer").get(reverse("wagtailadmin_home"))
    html = trainer_home.content.decode()
    for url in ("exams_bank", "exams_bank_import", "exams_reports"):
        assert f'"url": "{reverse(url)}"' in html, url
    client.force_login(bank_reader)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'"url": "{reverse("exams_bank")}"' in html
    assert f'"url": "{reverse("exams_bank_import")}"' not in html
    assert f'"url": "{reverse("exams_reports")}"' not in html


def test_adding_by_an_unknown_type_goes_back_to_the_bank(client_as):
    client = client_as("trainer")
    response = client.get(reverse("exams_bank_add"), {"type": "essay_long"})
    assert response.status_code == 302
    assert response["Location"] == reverse("exams_bank")
    response = client.get(reverse("exams_bank_add"), {"type": "essay"})
    assert response["Location"] == question_url("essay", "add")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("trainer", True),
        ("administrator", True),
        ("trainee", False),
        ("examiner", False),
        ("supervisor", False),
        (None, False),
    ],
)
def test_adding_a_question_by_role(client_as, role, allowed):
    response = client_as(role).get(reverse("exams_bank_add"), {"type": "essay"})
    assert response.status_code == 302
    assert (response["Location"] == question_url("essay", "add")) is allowed
    add_form = client_as(role).get(question_url("essay", "add"))
    assert (add_form.status_code == 200) is allowed
