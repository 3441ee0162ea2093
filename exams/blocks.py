"""StreamField blocks for the parts of questions: choices, pairs, items."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ChoiceBlock(blocks.StructBlock):
    """One option of a choice question, with feedback for whoever picks it."""

    text = blocks.CharBlock(max_length=500, label=_("Text"))
    correct = blocks.BooleanBlock(required=False, label=_("Correct"))
    feedback = blocks.TextBlock(required=False, label=_("Feedback"))

    class Meta:
        icon = "radio-full"
        label = _("Choice")
        preview_value = {"text": "Recovery is person-driven", "correct": True}


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


class PairsStreamBlock(blocks.StreamBlock):
    pair = PairBlock()

    class Meta:
        min_num = 3


class ItemsStreamBlock(blocks.StreamBlock):
    item = blocks.CharBlock(max_length=300, label=_("Item"))

    class Meta:
        min_num = 3
