"""The question bank: the base question, the registry of question types and
what they share.

An attempt never reads a question from the bank after it starts: ``freeze``
copies what the trainee sees (``content``) and how it is graded (``key``)
into the attempt, and every class-level method below works on that frozen
copy, so editing or retiring a question never changes an attempt already
taken. A question type is one subclass (registered by its ``type_code``)
and one template for the attempt page; nothing outside the type classes
branches on the type.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from wagtail.admin.panels import FieldPanel

from .common import (
    ONE,
    TextFormat,
)

# --- the registry --------------------------------------------------------------

_REGISTRY: dict[str, type[Question]] = {}
#: Every registered question type, in the order they were defined.
QUESTION_TYPES: list[type[Question]] = []


def question_type(type_code: str) -> type[Question]:
    """The question class for a type code; KeyError for an unknown one."""
    return _REGISTRY[type_code]


def answer_shape_error() -> ValidationError:
    return ValidationError(_("The answer is not in a form this question takes."))


class QuestionCategory(models.Model):
    """An exam domain, such as Advocacy or Ethical responsibility."""

    name = models.CharField(gettext_lazy("name"), max_length=200, unique=True)
    description = models.TextField(gettext_lazy("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("question category")
        verbose_name_plural = gettext_lazy("question categories")

    def __str__(self):
        return self.name


class Question(PolymorphicModel):
    """A question in the bank. Subclasses hold the answers and everything
    that depends on their shape: freezing, checking and grading an answer,
    the attempt page's widget, review lines and the spreadsheet row."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        ACTIVE = "active", gettext_lazy("Active")
        RETIRED = "retired", gettext_lazy("Retired")

    TextFormat = TextFormat

    #: Names the type in frozen attempts, imports and URLs; a subclass that
    #: sets it is registered.
    type_code = ""
    type_label = ""
    #: The attempt page's answer widget; "exams/includes/answer_<type>.html"
    #: unless a type names another.
    answer_template = ""

    key = models.SlugField(
        gettext_lazy("reference"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=gettext_lazy("A stable reference used by imports and exports."),
    )
    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=gettext_lazy("category"),
    )
    title = models.CharField(
        gettext_lazy("title"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy(
            "A short name for the bank listing; trainees never see it."
        ),
    )
    text = models.TextField(gettext_lazy("question text"))
    text_format = models.CharField(
        gettext_lazy("text format"),
        max_length=20,
        choices=TextFormat.choices,
        default=TextFormat.PLAIN,
        help_text=gettext_lazy(
            "How the question text and the feedback are written. Markdown and "
            "HTML are shown formatted, with anything unsafe removed."
        ),
    )
    points = models.DecimalField(
        gettext_lazy("points"),
        max_digits=6,
        decimal_places=2,
        default=ONE,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    general_feedback = models.TextField(
        gettext_lazy("general feedback"),
        blank=True,
        help_text=gettext_lazy(
            "Shown with the correct answers when the review allows it."
        ),
    )
    status = models.CharField(
        gettext_lazy("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolymorphicManager()
    # Django's internals read through the base manager and must see base rows
    # (see courses.models.credentials.Requirement for the same choice).
    plain_objects = models.Manager()

    common_panels = [
        FieldPanel("category"),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("text_format"),
        FieldPanel("points"),
        FieldPanel("status"),
    ]
    feedback_panels = [FieldPanel("general_feedback"), FieldPanel("key")]
    panels = [*common_panels, *feedback_panels]

    class Meta:
        base_manager_name = "plain_objects"
        ordering = ["category__name", "pk"]
        verbose_name = gettext_lazy("question")
        verbose_name_plural = gettext_lazy("questions")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        type_code = cls.__dict__.get("type_code")
        if not type_code:
            return  # an abstract helper, or a model Django builds for migrations
        registered = _REGISTRY.get(type_code)
        if registered is not None and registered.__qualname__ != cls.__qualname__:
            raise ImproperlyConfigured(
                f"{cls.__qualname__} and {registered.__qualname__} both use the "
                f"question type code {type_code!r}."
            )
        if "answer_template" not in cls.__dict__:
            cls.answer_template = f"exams/includes/answer_{type_code}.html"
        if registered is not None:
            QUESTION_TYPES.remove(registered)
        _REGISTRY[type_code] = cls
        QUESTION_TYPES.append(cls)

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.title or Truncator(self.text).words(14)

    @staticmethod
    def class_for(type_code: str) -> type[Question]:
        return question_type(type_code)

    # --- freezing and grading -------------------------------------------------

    def freeze(self, *, shuffle: bool = False, rng: random.Random | None = None):
        """(content, key): what the trainee sees, and how it is graded."""
        content = {
            "type": self.type_code,
            "text": self.text,
            "text_format": self.text_format,
        }
        key = {"type": self.type_code, "general_feedback": self.general_feedback}
        return content, key

    def grade(self, answer: dict | None) -> Decimal | None:
        _content, key = self.freeze()
        return self.grade_frozen(key, answer)

    #: A person grades this type's answers (``grade_frozen`` gives None);
    #: only such answers may be scored by hand. The others change only by a
    #: regrade from a corrected answer key.
    graded_by_person: bool = False

    @classmethod
    def grade_frozen(cls, key: dict, answer: dict | None) -> Decimal | None:
        """The fraction of the points earned, 0..1; None when a person grades."""
        raise NotImplementedError

    @classmethod
    def is_answered(cls, answer: dict | None) -> bool:
        return bool(answer)

    # --- answers from the attempt page -----------------------------------------

    #: The keys an answer of this type may have.
    answer_keys: frozenset[str] = frozenset()

    @classmethod
    def check_answer_shape(cls, answer) -> dict:
        if not isinstance(answer, dict) or not set(answer) <= cls.answer_keys:
            raise answer_shape_error()
        return answer

    @classmethod
    def clean_answer(cls, content: dict, answer) -> dict | None:
        """The answer to save, or None for no answer. Raises ValidationError
        for an answer that could not have come from the page (tampering), or
        that the trainee must correct (a number that is not a number)."""
        raise NotImplementedError

    @classmethod
    def answer_from_post(cls, content: dict, data) -> dict | None:
        """The answer the attempt page's form fields posted."""
        raise NotImplementedError

    @classmethod
    def answer_widget(cls, content: dict, answer: dict | None) -> dict:
        """What the answer template needs besides the content and the answer."""
        return {}

    # --- after grading ----------------------------------------------------------

    @classmethod
    def review_lines(cls, content: dict, key: dict, answer: dict | None) -> list:
        """Lines for the result page once the review shows answers: each a
        dict with ``text`` and optionally ``chosen``, ``correct``, ``credit``
        (a partial credit such as "50%") and ``feedback``."""
        return []

    @classmethod
    def frequency_options(cls, content: dict, key: dict) -> list[tuple[str, str, bool]]:
        """(option id, text, is correct) for item analysis's choice-frequency
        table; empty for types whose answers are not picked from options."""
        return []

    @classmethod
    def frequency_pick(cls, answer: dict | None) -> str | None:
        """The option id an answer picked, for the choice-frequency table."""
        return None

    # --- sample answers (demonstrations, benchmarks, tests) ---------------------

    @classmethod
    def right_answer(cls, content: dict, key: dict) -> dict | None:
        """An answer, as the page would send it, that earns full credit."""
        raise NotImplementedError

    @classmethod
    def wrong_answer(cls, content: dict, key: dict) -> dict:
        """A given (never empty) answer that differs from the right one."""
        raise NotImplementedError

    # --- the bank's own checks -----------------------------------------------------

    def clean(self):
        super().clean()
        problems = self.answer_problems()
        if problems:
            raise ValidationError(problems)

    def answer_problems(self) -> dict[str, str]:
        """Problems with the answers that make the question ungradeable."""
        return {}

    # --- the question as data (imports, exports, fixtures) -----------------------

    def as_dict(self) -> dict:
        return {
            "key": self.key or "",
            "type": self.type_code,
            "category": self.category.name,
            "status": self.status,
            "title": self.title,
            "text": self.text,
            "text_format": self.text_format,
            "points": str(self.points.normalize()),
            "general_feedback": self.general_feedback,
        }

    def set_answers(self, data: dict) -> None:
        """Set this type's answer fields from an import dict."""

    @classmethod
    def to_row(cls, data: dict) -> dict[str, object]:
        """This type's cells of the bank workbook (Answers, Correct, Answer
        feedback, Grading guidance) for an import dict."""
        return {}

    @classmethod
    def from_row(cls, cells: dict, problem) -> dict:
        """This type's part of an import dict from a workbook row; each
        problem is reported as ``problem(column, message)``."""
        return {}


def block_id(block, index: int, prefix: str) -> str:
    """A block's stable id; an unsaved block gets one from its position."""
    return block.id or f"{prefix}{index}"
