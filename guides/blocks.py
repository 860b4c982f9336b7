"""StreamField blocks of procedure guides: the numbered steps and the FAQ."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from cms.blocks import FAQItemBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol", "document-link"]


class StepNoteKind(blocks.ChoiceBlock):
    """Whether a step's callout is a friendly tip or a warning that can cost the citizen a trip."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[("tip", _("Mẹo")), ("warning", _("Lưu ý quan trọng"))],
            default="tip",
            label=_("Loại ghi chú"),
            **kwargs,
        )


class StepBlock(blocks.StructBlock):
    """One step of a procedure. Its anchor (``buoc-N``) comes from its position in the list, see
    ``GuidePage.step_anchor``: the template adds it, editors never type it."""

    title = blocks.CharBlock(label=_("Tên bước"), max_length=200)
    body = blocks.RichTextBlock(label=_("Hướng dẫn"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(
        required=False,
        label=_("Ảnh minh họa / ảnh chụp màn hình"),
        help_text=_("Không bắt buộc. Nhập mô tả ảnh cho người khiếm thị."),
    )
    video = EmbedBlock(
        required=False,
        label=_("Video hướng dẫn"),
        help_text=_("Không bắt buộc. Dán đường dẫn YouTube hoặc Vimeo."),
        max_width=800,
    )
    note_kind = StepNoteKind(required=False)
    note = blocks.RichTextBlock(
        required=False,
        label=_("Ghi chú"),
        features=["bold", "italic", "link"],
        help_text=_("Không bắt buộc. Mẹo giúp làm nhanh hơn, hoặc lưu ý để tránh bị trả hồ sơ."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Bước")
        template = "components/guides/step.html"


class StepsBlock(blocks.StreamBlock):
    step = StepBlock()

    class Meta:
        block_counts = {"step": {"min_num": 1}}


class FAQBlock(blocks.StreamBlock):
    """FAQ entries of a guide; reuses the cms question/answer block."""

    question = FAQItemBlock()
