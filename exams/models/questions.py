"""The question bank. Each question type grades itself.

An attempt never reads a question from the bank after it starts: ``freeze``
copies what the trainee sees (``content``) and how it is graded (``key``)
into the attempt, and ``grade_frozen`` grades a response from that copy, so
editing or retiring a question never changes an attempt already taken.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField

from ..blocks import ChoicesStreamBlock, ItemsStreamBlock, PairsStreamBlock

ZERO = Decimal(0)
ONE = Decimal(1)


def normalize_text(value: str) -> str:
    """Case and spacing never decide a short answer."""
    return re.sub(r"\s+", " ", str(value)).strip().casefold()


def _fraction(numerator, denominator) -> Decimal:
    if not denominator:
        return ZERO
    value = Decimal(numerator) / Decimal(denominator)
    return min(max(value, ZERO), ONE).quantize(Decimal("0.0001"))


class QuestionCategory(models.Model):
    """An exam domain, such as Advocacy or Ethical responsibility."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self):
        return self.name


class Question(PolymorphicModel):
    """A question in the bank. Subclasses hold the answers and grade them."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    type_code = ""
    type_label = ""

    key = models.SlugField(
        _("reference"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("A stable reference used by imports and exports."),
    )
    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("category"),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("A short name for the bank listing; trainees never see it."),
    )
    text = models.TextField(_("question text"))
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        default=ONE,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    general_feedback = models.TextField(
        _("general feedback"),
        blank=True,
        help_text=_("Shown with the correct answers when the review allows it."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
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
        FieldPanel("points"),
        FieldPanel("status"),
    ]
    feedback_panels = [FieldPanel("general_feedback"), FieldPanel("key")]
    panels = [*common_panels, *feedback_panels]

    class Meta:
        base_manager_name = "plain_objects"
        ordering = ["category__name", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.title or Truncator(self.text).words(14)

    @property
    def label(self) -> str:
        return self.title or Truncator(self.text).words(14)

    # --- per-type behaviour -------------------------------------------------

    def freeze(self, *, shuffle: bool = False, rng: random.Random | None = None):
        """(content, key): what the trainee sees, and how it is graded."""
        content = {"type": self.type_code, "text": self.text}
        key = {"type": self.type_code, "general_feedback": self.general_feedback}
        return content, key

    @classmethod
    def grade_frozen(cls, key: dict, answer: dict | None) -> Decimal | None:
        """The fraction of the points earned, 0..1; None when a person grades."""
        raise NotImplementedError

    @classmethod
    def is_answered(cls, answer: dict | None) -> bool:
        return bool(answer)

    def grade(self, answer: dict | None) -> Decimal | None:
        _content, key = self.freeze()
        return self.grade_frozen(key, answer)

    @staticmethod
    def class_for(type_code: str) -> type[Question]:
        for subclass in QUESTION_TYPES:
            if subclass.type_code == type_code:
                return subclass
        raise KeyError(type_code)

    def clean(self):
        super().clean()
        problems = self.answer_problems()
        if problems:
            raise ValidationError(problems)

    def answer_problems(self) -> dict[str, str]:
        """Problems with the answers that make the question ungradeable."""
        return {}

    # --- the question as data (imports, exports, fixtures) -------------------

    def as_dict(self) -> dict:
        return {
            "key": self.key or "",
            "type": self.type_code,
            "category": self.category.name,
            "status": self.status,
            "title": self.title,
            "text": self.text,
            "points": str(self.points.normalize()),
            "general_feedback": self.general_feedback,
        }

    def set_answers(self, data: dict) -> None:
        """Set this type's answer fields from an import dict."""


def _block_id(block, index: int, prefix: str) -> str:
    """A block's stable id; an unsaved block gets one from its position."""
    return block.id or f"{prefix}{index}"


def _choice_items(stream) -> list[dict]:
    items = []
    for index, block in enumerate(stream):
        value = block.value
        items.append(
            {
                "id": _block_id(block, index, "c"),
                "text": value["text"],
                "correct": bool(value["correct"]),
                "feedback": value.get("feedback", ""),
            }
        )
    return items


class _ChoiceQuestion(Question):
    choices = StreamField(ChoicesStreamBlock(), verbose_name=_("choices"))
    shuffle_choices = models.BooleanField(
        _("shuffle choices"),
        default=True,
        help_text=_("Only when the exam also shuffles choices."),
    )

    panels = [
        *Question.common_panels,
        MultiFieldPanel(
            [FieldPanel("choices"), FieldPanel("shuffle_choices")],
            heading=_("Choices"),
        ),
        *Question.feedback_panels,
    ]

    class Meta:
        abstract = True

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        choices = _choice_items(self.choices)
        shown = list(choices)
        if shuffle and self.shuffle_choices:
            (rng or random).shuffle(shown)
        content["choices"] = [{"id": c["id"], "text": c["text"]} for c in shown]
        key["correct"] = [c["id"] for c in choices if c["correct"]]
        key["choices"] = {c["id"]: c["text"] for c in choices}
        key["feedback"] = {c["id"]: c["feedback"] for c in choices}
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["choices"] = [
            {k: c[k] for k in ("text", "correct", "feedback")}
            for c in _choice_items(self.choices)
        ]
        return data

    def set_answers(self, data):
        self.choices = _choices_stream(data["choices"])


def _choices_stream(choices: list[dict]) -> list[tuple]:
    return [
        (
            "choice",
            {
                "text": c["text"],
                "correct": bool(c["correct"]),
                "feedback": c.get("feedback", ""),
            },
        )
        for c in choices
    ]


class SingleChoiceQuestion(_ChoiceQuestion):
    type_code = "single_choice"
    type_label = _("Single choice")

    class Meta:
        verbose_name = _("single-choice question")
        verbose_name_plural = _("single-choice questions")

    @classmethod
    def grade_frozen(cls, key, answer):
        chosen = (answer or {}).get("choice")
        return ONE if chosen and chosen in key["correct"] else ZERO

    @classmethod
    def is_answered(cls, answer):
        return bool((answer or {}).get("choice"))

    def answer_problems(self):
        correct = sum(1 for c in _choice_items(self.choices) if c["correct"])
        if correct != 1:
            return {"choices": _("Mark exactly one choice as correct.")}
        return {}


class MultipleResponseQuestion(_ChoiceQuestion):
    """Several correct choices. Each right choice earns its share; each wrong
    one costs its share of the wrong ones; the total never goes below zero."""

    type_code = "multiple_response"
    type_label = _("Multiple response")

    class Meta:
        verbose_name = _("multiple-response question")
        verbose_name_plural = _("multiple-response questions")

    @classmethod
    def grade_frozen(cls, key, answer):
        chosen = set((answer or {}).get("choices") or [])
        correct = set(key["correct"])
        wrong = set(key["choices"]) - correct
        earned = _fraction(len(chosen & correct), len(correct))
        lost = _fraction(len(chosen & wrong), len(wrong)) if wrong else ZERO
        return max(earned - lost, ZERO)

    @classmethod
    def is_answered(cls, answer):
        return bool((answer or {}).get("choices"))

    def answer_problems(self):
        choices = _choice_items(self.choices)
        if sum(1 for c in choices if c["correct"]) < 1:
            return {"choices": _("Mark at least one choice as correct.")}
        return {}


class TrueFalseQuestion(Question):
    type_code = "true_false"
    type_label = _("True or false")

    correct_answer = models.BooleanField(_("the statement is true"), default=True)
    feedback_true = models.TextField(_("feedback for 'True'"), blank=True)
    feedback_false = models.TextField(_("feedback for 'False'"), blank=True)

    panels = [
        *Question.common_panels,
        MultiFieldPanel(
            [
                FieldPanel("correct_answer"),
                FieldPanel("feedback_true"),
                FieldPanel("feedback_false"),
            ],
            heading=_("Answer"),
        ),
        *Question.feedback_panels,
    ]

    class Meta:
        verbose_name = _("true/false question")
        verbose_name_plural = _("true/false questions")

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        key["answer"] = self.correct_answer
        key["feedback"] = {"true": self.feedback_true, "false": self.feedback_false}
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["answer"] = self.correct_answer
        return data

    def set_answers(self, data):
        self.correct_answer = bool(data["answer"])

    @classmethod
    def grade_frozen(cls, key, answer):
        given = (answer or {}).get("answer")
        return ONE if given is not None and given == key["answer"] else ZERO

    @classmethod
    def is_answered(cls, answer):
        return (answer or {}).get("answer") is not None


class ShortAnswerQuestion(Question):
    type_code = "short_answer"
    type_label = _("Short answer")

    accepted_answers = models.TextField(
        _("accepted answers"),
        help_text=_("One per line. Case and spacing are ignored when grading."),
    )

    panels = [
        *Question.common_panels,
        FieldPanel("accepted_answers"),
        *Question.feedback_panels,
    ]

    class Meta:
        verbose_name = _("short-answer question")
        verbose_name_plural = _("short-answer questions")

    def accepted_list(self) -> list[str]:
        return [
            line.strip() for line in self.accepted_answers.splitlines() if line.strip()
        ]

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        key["accepted"] = self.accepted_list()
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["accepted"] = self.accepted_list()
        return data

    def set_answers(self, data):
        self.accepted_answers = "\n".join(data["accepted"])

    @classmethod
    def grade_frozen(cls, key, answer):
        given = normalize_text((answer or {}).get("text") or "")
        accepted = {normalize_text(a) for a in key["accepted"]}
        return ONE if given and given in accepted else ZERO

    @classmethod
    def is_answered(cls, answer):
        return bool(normalize_text((answer or {}).get("text") or ""))

    def answer_problems(self):
        if not self.accepted_list():
            return {"accepted_answers": _("Give at least one accepted answer.")}
        return {}


class MatchingQuestion(Question):
    type_code = "matching"
    type_label = _("Matching")

    pairs = StreamField(PairsStreamBlock(), verbose_name=_("pairs"))

    panels = [*Question.common_panels, FieldPanel("pairs"), *Question.feedback_panels]

    class Meta:
        verbose_name = _("matching question")
        verbose_name_plural = _("matching questions")

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        generator = rng or random.Random(self.pk)
        pairs = [
            (_block_id(b, i, "p"), b.value["prompt"], b.value["match"])
            for i, b in enumerate(self.pairs)
        ]
        # Option ids are fresh random tokens: an id derived from its prompt's
        # id would give the answer away in the page.
        option_ids = {
            pid: f"o{generator.getrandbits(64):016x}" for pid, _p, _m in pairs
        }
        options = [{"id": option_ids[pid], "text": match} for pid, _p, match in pairs]
        prompts = [{"id": pid, "text": prompt} for pid, prompt, _m in pairs]
        # The options are always shuffled, or the answer would be the order.
        generator.shuffle(options)
        if shuffle:
            generator.shuffle(prompts)
        content["prompts"] = prompts
        content["options"] = options
        key["matches"] = {pid: option_ids[pid] for pid, _p, _m in pairs}
        key["options"] = {option_ids[pid]: match for pid, _p, match in pairs}
        key["prompts"] = {pid: prompt for pid, prompt, _m in pairs}
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["pairs"] = [
            {"prompt": b.value["prompt"], "match": b.value["match"]} for b in self.pairs
        ]
        return data

    def set_answers(self, data):
        self.pairs = [("pair", dict(pair)) for pair in data["pairs"]]

    @classmethod
    def grade_frozen(cls, key, answer):
        given = (answer or {}).get("matches") or {}
        right = sum(
            1
            for prompt, option in key["matches"].items()
            if given.get(prompt) == option
        )
        return _fraction(right, len(key["matches"]))

    @classmethod
    def is_answered(cls, answer):
        return any((answer or {}).get("matches", {}).values())


class OrderingQuestion(Question):
    """Put items in order. Credit is the share of items in the right place."""

    type_code = "ordering"
    type_label = _("Ordering")

    items = StreamField(
        ItemsStreamBlock(), verbose_name=_("items, in the correct order")
    )

    panels = [*Question.common_panels, FieldPanel("items"), *Question.feedback_panels]

    class Meta:
        verbose_name = _("ordering question")
        verbose_name_plural = _("ordering questions")

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        items = [
            {"id": _block_id(block, i, "i"), "text": block.value}
            for i, block in enumerate(self.items)
        ]
        shown = list(items)
        generator = rng or random.Random(self.pk)
        for _attempt in range(5):  # never show the answer as the starting order
            generator.shuffle(shown)
            if len(shown) < 2 or shown != items:
                break
        content["items"] = shown
        key["order"] = [item["id"] for item in items]
        key["items"] = {item["id"]: item["text"] for item in items}
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["items"] = [block.value for block in self.items]
        return data

    def set_answers(self, data):
        self.items = [("item", text) for text in data["items"]]

    @classmethod
    def grade_frozen(cls, key, answer):
        given = list((answer or {}).get("order") or [])
        right = sum(
            1
            for index, item in enumerate(key["order"])
            if index < len(given) and given[index] == item
        )
        return _fraction(right, len(key["order"]))

    @classmethod
    def is_answered(cls, answer):
        return bool((answer or {}).get("order"))


class EssayQuestion(Question):
    type_code = "essay"
    type_label = _("Essay")

    grading_guidance = models.TextField(
        _("grading guidance"),
        blank=True,
        help_text=_("What a full-credit answer includes; graders see this."),
    )

    panels = [
        *Question.common_panels,
        FieldPanel("grading_guidance"),
        *Question.feedback_panels,
    ]

    class Meta:
        verbose_name = _("essay question")
        verbose_name_plural = _("essay questions")

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        key["guidance"] = self.grading_guidance
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["grading_guidance"] = self.grading_guidance
        return data

    def set_answers(self, data):
        self.grading_guidance = data.get("grading_guidance", "")

    @classmethod
    def grade_frozen(cls, key, answer):
        return None

    @classmethod
    def is_answered(cls, answer):
        return bool(((answer or {}).get("text") or "").strip())


QUESTION_TYPES: list[type[Question]] = [
    SingleChoiceQuestion,
    MultipleResponseQuestion,
    TrueFalseQuestion,
    ShortAnswerQuestion,
    MatchingQuestion,
    OrderingQuestion,
    EssayQuestion,
]
