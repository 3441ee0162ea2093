"""The numerical question's editor in the admin, made from the registry like
every other type's: who may open it, and what a bad save is told."""

import pytest

from exams.models import NumericalQuestion, QuestionCategory

pytestmark = pytest.mark.django_db

ADD = "/admin/question-numerical/new/"


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
def test_the_numerical_editor_by_role(client_as, role, allowed):
    response = client_as(role).get(ADD)
    if allowed:
        assert response.status_code == 200
        assert "Tolerance" in response.content.decode()
    else:
        assert response.status_code in (302, 403)


def _answers(*blocks) -> dict:
    data = {"answers-count": str(len(blocks))}
    for index, (kind, value) in enumerate(blocks):
        data[f"answers-{index}-type"] = kind
        data[f"answers-{index}-deleted"] = ""
        data[f"answers-{index}-order"] = str(index)
        data[f"answers-{index}-id"] = ""
        for name, field in value.items():
            data[f"answers-{index}-value-{name}"] = field
    return data


def _post(client, *blocks):
    category = QuestionCategory.objects.get_or_create(name="Numbers")[0]
    return client.post(
        ADD,
        {
            "category": category.pk,
            "title": "",
            "text": "How many hours of direct supervision?",
            "text_format": "plain",
            "points": "1",
            "status": "draft",
            "general_feedback": "",
            "key": "",
            **_answers(*blocks),
        },
    )


def test_a_trainer_adds_a_numerical_question(client_as):
    response = _post(
        client_as("trainer"),
        ("exact", {"value": "25", "tolerance": "0", "weight": "100", "feedback": ""}),
        (
            "range",
            {"minimum": "20", "maximum": "30", "weight": "50", "feedback": "Near"},
        ),
    )
    assert response.status_code == 302
    question = NumericalQuestion.objects.get()
    assert question.answer_list() == [
        {"value": "25", "tolerance": "0", "weight": "100", "feedback": ""},
        {"minimum": "20", "maximum": "30", "weight": "50", "feedback": "Near"},
    ]


def test_a_numerical_question_no_answer_can_earn_in_full_is_refused(client_as):
    response = _post(
        client_as("trainer"),
        ("exact", {"value": "25", "tolerance": "1", "weight": "50", "feedback": ""}),
    )
    assert response.status_code == 200
    assert "At least one answer must earn 100%." in response.content.decode()
    assert not NumericalQuestion.objects.exists()


def test_a_credit_above_100_is_refused_on_its_field(client_as):
    response = _post(
        client_as("trainer"),
        ("exact", {"value": "25", "tolerance": "0", "weight": "150", "feedback": ""}),
    )
    assert response.status_code == 200
    assert "less than or equal to 100" in response.content.decode()
    assert not NumericalQuestion.objects.exists()
