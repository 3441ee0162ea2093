"""StreamField blocks for general site content."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; level 2 or 3 keeps the page outline valid."""

    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Level 2")), ("h3", _("Level 3"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"
        preview_value = {"text": "Why peer support works", "level": "h2"}


class CaptionedImageBlock(blocks.StructBlock):
    """An image with required alternative text and an optional caption."""

    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class ContentStreamBlock(blocks.StreamBlock):
    """Blocks for general content pages."""

    heading = HeadingBlock()
    text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        template="cms/blocks/text.html",
        preview_value="<p>Peer support is support from someone who has been there.</p>",
    )
    image = CaptionedImageBlock()
