"""Documents rendered as PDFs with ReportLab.

Chinese needs no font file: ReportLab's CID font STSong-Light is one of the fonts every PDF
reader supplies for the Adobe-GB1 character collection, so the PDF names it and embeds nothing
(a few kB per document, no font in the deployment). ReportLab is imported here only, on the
first render: the documents function pays for it, and no other function imports this module.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from ..models.documents import DocumentText

FONT = "STSong-Light"  # 华文宋体 (Adobe-GB1), resolved by the reader


@cache
def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=22, wordWrap="CJK", firstLineIndent=24)
    return {
        "title": ParagraphStyle("title", fontName=FONT, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=8),
        "number": ParagraphStyle("number", fontName=FONT, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=18),
        "addressee": ParagraphStyle("addressee", fontName=FONT, fontSize=12, leading=22),
        "body": body,
        "item": ParagraphStyle("item", parent=body, firstLineIndent=0, leftIndent=36),
        "signature": ParagraphStyle("signature", fontName=FONT, fontSize=12, leading=22, alignment=TA_RIGHT),
    }


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ReportLabRenderer:
    def render(self, text: DocumentText) -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

        styles = _styles()
        buffer = io.BytesIO()
        # invariant: no creation time or random id in the file, so the same document renders to the same bytes.
        pdf = SimpleDocTemplate(
            buffer, pagesize=A4, title=f"{text.title}（{text.number_text}）", author=text.issuer, creator="Sunlight",
            leftMargin=28 * mm, rightMargin=26 * mm, topMargin=37 * mm, bottomMargin=35 * mm, invariant=1,
        )
        story: list[Any] = [
            Paragraph(_escaped(text.issuer), styles["number"]),
            Paragraph(_escaped(text.title), styles["title"]),
            Paragraph(_escaped(text.number_text), styles["number"]),
            Paragraph(_escaped(text.addressee), styles["addressee"]),
        ]
        story += [Paragraph(_escaped(p), styles["body"]) for p in text.paragraphs]
        story += [Paragraph(_escaped(item), styles["item"]) for item in text.items]
        story += [Paragraph(_escaped(p), styles["body"]) for p in text.footer]
        story += [Spacer(1, 18 * mm), Paragraph(_escaped(text.issuer), styles["signature"]),
                  Paragraph(_escaped(text.date_text), styles["signature"])]
        pdf.build(story)
        return buffer.getvalue()
