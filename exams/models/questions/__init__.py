"""The question bank: question types as django-polymorphic subclasses of
``Question``, each registered by its type code (``question_type``).

The modules are imported in the order the types are offered in the admin.
"""

from .base import QUESTION_TYPES, Question, QuestionCategory, question_type
from .choice import MultipleResponseQuestion, SingleChoiceQuestion
from .common import TextFormat, formatted_html, normalize_text

# isort: split
from .true_false import TrueFalseQuestion

# isort: split
from .typed import ShortAnswerQuestion

# isort: split
from .numerical import NumericalQuestion, parse_number

# isort: split
from .structured import MatchingQuestion, OrderingQuestion

# isort: split
from .essay import EssayQuestion

__all__ = [
    "QUESTION_TYPES",
    "EssayQuestion",
    "MatchingQuestion",
    "MultipleResponseQuestion",
    "NumericalQuestion",
    "OrderingQuestion",
    "Question",
    "QuestionCategory",
    "ShortAnswerQuestion",
    "SingleChoiceQuestion",
    "TextFormat",
    "TrueFalseQuestion",
    "formatted_html",
    "normalize_text",
    "parse_number",
    "question_type",
]
