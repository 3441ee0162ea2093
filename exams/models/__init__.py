"""Assessment records: the question bank, written exams and attempts."""

from .attempts import Attempt, AttemptQuestion, Response
from .exams import Accommodation, BlueprintRule, WrittenExam
from .oral import OralExamPermissions
from .questions import (
    QUESTION_TYPES,
    EssayQuestion,
    MatchingQuestion,
    MultipleResponseQuestion,
    NumericalQuestion,
    OrderingQuestion,
    Question,
    QuestionCategory,
    ShortAnswerQuestion,
    SingleChoiceQuestion,
    TextFormat,
    TrueFalseQuestion,
    formatted_html,
    question_type,
)
from .requirements import WrittenExamPassedRequirement

__all__ = [
    "QUESTION_TYPES",
    "Accommodation",
    "Attempt",
    "AttemptQuestion",
    "BlueprintRule",
    "EssayQuestion",
    "MatchingQuestion",
    "MultipleResponseQuestion",
    "NumericalQuestion",
    "OralExamPermissions",
    "OrderingQuestion",
    "Question",
    "QuestionCategory",
    "Response",
    "ShortAnswerQuestion",
    "SingleChoiceQuestion",
    "TextFormat",
    "TrueFalseQuestion",
    "WrittenExam",
    "WrittenExamPassedRequirement",
    "formatted_html",
    "question_type",
]
