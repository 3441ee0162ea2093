"""StreamField blocks for the parts of questions: choices, accepted answers,
numerical answers, pairs and items."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def _credit_block(**kwargs):
    """A share of the points in percent, 0 to 100."""
    return blocks.DecimalBlock(min_value=Decimal(0), max_value=Decimal(100), **kwargs)


class ChoiceBlock(blocks.StructBlock):
    """One option of a choice question, with feedback for whoever picks it."""

    text = blocks.CharBlock(max_length=500, label=_("Text"))
    correct = blocks.BooleanBlock(required=False, label=_("Correct"))
    feedback = blocks.TextBlock(required=False, label=_("Feedback"))

    class Meta:
        icon = "radio-full"
        label = _("Choice")
        preview_value = {"text": "Recovery is person-driven", "correct": True}


class WeightedChoiceBlock(blocks.StructBlock):
    """One option of a single-choice question. The correct choice earns full
    credit; another may earn part of it (say 50% for a nearly right answer)."""

    text = blocks.CharBlock(max_length=500, label=_("Text"))
    correct = blocks.BooleanBlock(required=False, label=_("Correct"))
    weight = _credit_block(
        required=False,
        label=_("Partial credit (%)"),
        help_text=_("Only for a choice that is not correct but earns some credit."),
    )
    feedback = blocks.TextBlock(required=False, label=_("Feedback"))

    class Meta:
        icon = "radio-full"
        label = _("Choice")
        preview_value = {"text": "The person, with their peer", "weight": "50"}


class AcceptedAnswerBlock(blocks.StructBlock):
    """An answer a short-answer question accepts, the credit it earns and the
    feedback shown to whoever gives it."""

    text = blocks.CharBlock(max_length=500, label=_("Answer"))
    weight = _credit_block(
        default=Decimal(100),
        label=_("Credit (%)"),
        help_text=_("100 for a fully right answer; less for a nearly right one."),
    )
    feedback = blocks.TextBlock(required=False, label=_("Feedback"))

    class Meta:
        icon = "edit"
        label = _("Accepted answer")
        preview_value = {"text": "WRAP", "weight": "100"}


class NumericalExactBlock(blocks.StructBlock):
    """A number, right within a tolerance either side (1822 ± 2)."""

    value = blocks.DecimalBlock(label=_("Value"))
    tolerance = blocks.DecimalBlock(
        min_value=Decimal(0),
        default=Decimal(0),
        label=_("Tolerance (±)"),
        help_text=_("How far either side of the value still counts; 0 for exact."),
    )
    weight = _credit_block(default=Decimal(100), label=_("Credit (%)"))
    feedback = blocks.TextBlock(required=False, label=_("Feedback"))

    class Meta:
        icon = "decimal"
        label = _("Value ± tolerance")
        preview_value = {"value": "40", "tolerance": "0", "weight": "100"}


class NumericalRangeBlock(blocks.StructBlock):
    """Any number from a minimum to a maximum, both included."""

    minimum = blocks.DecimalBlock(label=_("Minimum"))
    maximum = blocks.DecimalBlock(label=_("Maximum"))
    weight = _credit_block(default=Decimal(100), label=_("Credit (%)"))
    feedback = blocks.TextBlock(required=False, label=_("Feedback"))

    class Meta:
        icon = "arrows-up-down"
        label = _("Range")
        preview_value = {"minimum": "3.141", "maximum": "3.142", "weight": "100"}


class PairBlock(blocks.StructBlock):
    """A prompt and the answer it matches."""

    prompt = blocks.CharBlock(max_length=300, label=_("Prompt"))
    match = blocks.CharBlock(max_length=300, label=_("Match"))

    class Meta:
        icon = "link"
        label = _("Pair")
        preview_value = {"prompt": "Home", "match": "A stable and safe place to live"}


class ChoicesStreamBlock(blocks.StreamBlock):
    choice = ChoiceBlock()

    class Meta:
        min_num = 2


class WeightedChoicesStreamBlock(blocks.StreamBlock):
    choice = WeightedChoiceBlock()

    class Meta:
        min_num = 2


class AcceptedAnswersStreamBlock(blocks.StreamBlock):
    answer = AcceptedAnswerBlock()

    class Meta:
        min_num = 1


class NumericalAnswersStreamBlock(blocks.StreamBlock):
    exact = NumericalExactBlock()
    range = NumericalRangeBlock()

    class Meta:
        min_num = 1


class PairsStreamBlock(blocks.StreamBlock):
    pair = PairBlock()

    class Meta:
        min_num = 3


class ItemsStreamBlock(blocks.StreamBlock):
    item = blocks.CharBlock(max_length=300, label=_("Item"))

    class Meta:
        min_num = 3


class RubricLevelBlock(blocks.StructBlock):
    """One level of a rubric criterion: its points and what a performance at
    that level looks like."""

    points = blocks.IntegerBlock(min_value=0, max_value=100, label=_("Points"))
    label = blocks.CharBlock(max_length=100, label=_("Name"))
    descriptor = blocks.TextBlock(label=_("What it looks like"))

    class Meta:
        icon = "list-ol"
        label = _("Level")
        preview_value = {
            "points": 3,
            "label": "Proficient",
            "descriptor": "Explains the four dimensions with an example of each.",
        }


class RubricLevelsStreamBlock(blocks.StreamBlock):
    level = RubricLevelBlock()

    class Meta:
        min_num = 2
        max_num = 10
