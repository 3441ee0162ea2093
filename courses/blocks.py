"""StreamField blocks for lesson content."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock

from cms.blocks import RICH_TEXT_FEATURES, CaptionedImageBlock, HeadingBlock


class KeyPointBlock(blocks.StructBlock):
    """A short idea the trainee should remember, set apart from the text."""

    title = blocks.CharBlock(max_length=120, label=_("Title"))
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "pick"
        label = _("Key point")
        template = "courses/blocks/key_point.html"
        preview_value = {
            "title": "Recovery is person-driven",
            "text": "The person in recovery sets the goals; the peer supports them.",
        }


class VideoBlock(blocks.StructBlock):
    """An embedded video with a transcript, so no one depends on the audio."""

    video = EmbedBlock(label=_("Video URL"))
    title = blocks.CharBlock(max_length=200, label=_("Title"))
    transcript = blocks.RichTextBlock(
        required=False, features=RICH_TEXT_FEATURES, label=_("Transcript")
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class DocumentDownloadBlock(blocks.StructBlock):
    """A handout or worksheet the trainee downloads."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        max_length=200,
        required=False,
        label=_("Link text"),
        help_text=_("Defaults to the document's title."),
    )
    description = blocks.TextBlock(required=False, label=_("Description"))

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document.html"


class ActivityBlock(blocks.StructBlock):
    """Instructions for an exercise: role-play, pair work, a group scenario."""

    title = blocks.CharBlock(max_length=200, label=_("Title"))
    minutes = blocks.IntegerBlock(
        min_value=1, max_value=480, required=False, label=_("Minutes")
    )
    instructions = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("Instructions")
    )

    class Meta:
        icon = "group"
        label = _("Activity")
        template = "courses/blocks/activity.html"
        preview_value = {
            "title": "Pair exercise: listening for strengths",
            "minutes": 15,
            "instructions": "<ol><li>One partner describes a hard week.</li>"
            "<li>The other names three strengths they heard.</li></ol>",
        }


class ReflectionBlock(blocks.StructBlock):
    """A question for the trainee to answer privately."""

    prompt = blocks.TextBlock(label=_("Prompt"))

    class Meta:
        icon = "help"
        label = _("Reflection prompt")
        template = "courses/blocks/reflection.html"
        preview_value = {"prompt": "When did someone's hope make a difference to you?"}


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        label=_("Rich text"),
        template="cms/blocks/text.html",
        preview_value="<p>Recovery is a process of change.</p>",
    )
    heading = HeadingBlock()
    key_point = KeyPointBlock()
    image = CaptionedImageBlock()
    video = VideoBlock()
    document = DocumentDownloadBlock()
    activity = ActivityBlock()
    reflection = ReflectionBlock()


class ObjectivesBlock(blocks.StreamBlock):
    objective = blocks.CharBlock(max_length=300, label=_("Objective"))
