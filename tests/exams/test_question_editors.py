"""Question editors in the admin, one per registered type: who may open the
numerical editor, partial credit on a single choice, and what a bad save is
told."""

from decimal import Decimal

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


def _single_choice(client, choices):
    category = QuestionCategory.objects.get_or_create(name="Choices")[0]
    data = {
        "category": category.pk,
        "title": "",
        "text": "Who directs a recovery plan?",
        "text_format": "markdown",
        "points": "1",
        "status": "draft",
        "general_feedback": "",
        "key": "",
        "shuffle_choices": "on",
        "choices-count": str(len(choices)),
    }
    for index, choice in enumerate(choices):
        data.update(
            {
                f"choices-{index}-type": "choice",
                f"choices-{index}-deleted": "",
                f"choices-{index}-order": str(index),
                f"choices-{index}-id": "",
                f"choices-{index}-value-text": choice[0],
                f"choices-{index}-value-weight": choice[2],
                f"choices-{index}-value-feedback": "",
            }
        )
        if choice[1]:
            data[f"choices-{index}-value-correct"] = "on"
    return client.post("/admin/question-single_choice/new/", data)


def test_a_single_choice_gets_a_partial_credit_in_the_editor(client_as):
    from exams.models import SingleChoiceQuestion

    client = client_as("trainer")
    response = _single_choice(
        client,
        [
            ("The person", True, ""),
            ("The person and peer", False, "50"),
            ("A judge", False, ""),
        ],
    )
    assert response.status_code == 302
    question = SingleChoiceQuestion.objects.get(text="Who directs a recovery plan?")
    _content, key = question.freeze()
    assert [Decimal(w) for w in key["weights"].values()] == [Decimal("0.5")]
    assert question.text_format == "markdown"
    response = _single_choice(
        client, [("The person", True, "50"), ("A judge", False, "")]
    )
    assert response.status_code == 200
    assert "The correct choice earns full credit" in response.content.decode()
    assert (
        SingleChoiceQuestion.objects.filter(text__startswith="Who directs").count() == 1
    )
