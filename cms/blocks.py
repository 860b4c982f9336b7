"""StreamField blocks shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Tiêu đề"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Cấp"),
        choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Tiêu đề")
        template = "components/blocks/heading.html"


class NoticeBlock(blocks.StructBlock):
    """A highlighted callout: information, tip, or warning."""

    kind = blocks.ChoiceBlock(
        label=_("Loại"),
        choices=[("info", _("Thông tin")), ("tip", _("Mẹo")), ("warning", _("Lưu ý quan trọng"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Tiêu đề"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("Nội dung"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        label = _("Thông báo")
        template = "components/blocks/notice.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Câu hỏi"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Trả lời"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = _("Câu hỏi thường gặp")


class AccordionBlock(blocks.StructBlock):
    """FAQ as native <details> elements: works without JavaScript."""

    title = blocks.CharBlock(label=_("Tiêu đề"), required=False, max_length=200)
    items = blocks.ListBlock(FAQItemBlock(), label=_("Câu hỏi"))

    class Meta:
        icon = "list-ul"
        label = _("Hỏi đáp (accordion)")
        template = "components/blocks/accordion.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Ảnh"))
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Ảnh")
        template = "components/blocks/image.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Đoạn văn"),
        icon="pilcrow",
        template="components/blocks/paragraph.html",
    )
    image = CaptionedImageBlock()
    notice = NoticeBlock()
    accordion = AccordionBlock()
    table = TableBlock(label=_("Bảng"), template="components/blocks/table.html")
    embed = EmbedBlock(label=_("Nhúng (video…)"), max_width=800, template="components/blocks/embed.html")
