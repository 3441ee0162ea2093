"""Assessment records: the question bank, written exams and attempts."""

from .attempts import Attempt, AttemptQuestion, Response
from .exams import Accommodation, BlueprintRule, WrittenExam
from .oral import OralExamPermissions
from .questions import (
    QUESTION_TYPES,
    EssayQuestion,
    MatchingQuestion,
    MultipleResponseQuestion,
    OrderingQuestion,
    Question,
    QuestionCategory,
    ShortAnswerQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)

__all__ = [
    "QUESTION_TYPES",
    "Accommodation",
    "Attempt",
    "AttemptQuestion",
    "BlueprintRule",
    "EssayQuestion",
    "MatchingQuestion",
    "MultipleResponseQuestion",
    "OralExamPermissions",
    "OrderingQuestion",
    "Question",
    "QuestionCategory",
    "Response",
    "ShortAnswerQuestion",
    "SingleChoiceQuestion",
    "TrueFalseQuestion",
    "WrittenExam",
]
