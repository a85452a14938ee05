"""A notice as a PDF in the layout of GB/T 9704-2012 《党政机关公文格式》.

A4; 天头 37 mm and 订口 28 mm, so the type area (版心) is 156 × 225 mm; body text in 3号 (16 pt),
28 characters a line and 22 lines a page; the issuing office's red header 35 mm below the top of
the type area; the document number two lines below it, a red rule 4 mm under that, the title in
2号 (22 pt) two lines below the rule; page numbers in 4号 as “— 1 —” 7 mm below the type area,
odd pages right and even pages left.

The standard's typefaces (方正小标宋, 仿宋_GB2312) are commercial; Debian ships neither. The title
and header use AR PL UMing (a 明/宋 face, made heavier by stroking), the body AR PL UMing too, the
annotations AR PL UKai: all TrueType from fonts-arphic-uming / fonts-arphic-ukai, which `make`
installs, and embedded in the file."""

import io
from pathlib import Path

import jieba
from django.utils import timezone
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path("/usr/share/fonts/truetype/arphic")
SONG, KAI = "ARPLUMingCN", "ARPLUKaiCN"
RED = Color(0.9, 0, 0)

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, TOP = 28 * mm, 37 * mm
AREA_WIDTH, AREA_HEIGHT = 156 * mm, 225 * mm
AREA_TOP = PAGE_HEIGHT - TOP
AREA_BOTTOM = AREA_TOP - AREA_HEIGHT
SIZE_3 = 16  # 三号
SIZE_2 = 22  # 二号
SIZE_4 = 14  # 四号
LINE = AREA_HEIGHT / 22
CHARS_PER_LINE = 28
CELL = AREA_WIDTH / CHARS_PER_LINE
# A line may not start with these; they hang at the end of the line before instead.
NO_LINE_START = set("，。、；：？！）》」』”’…,.;:?!)%")


class FontsMissing(RuntimeError):
    pass


def register_fonts():
    if SONG in pdfmetrics.getRegisteredFontNames():
        return
    try:
        pdfmetrics.registerFont(TTFont(SONG, str(FONT_DIR / "uming.ttc"), subfontIndex=0))
        pdfmetrics.registerFont(TTFont(KAI, str(FONT_DIR / "ukai.ttc"), subfontIndex=0))
    except OSError as exc:
        raise FontsMissing(
            "fonts-arphic-uming and fonts-arphic-ukai are not installed (make fonts)"
        ) from exc


FULL_WIDTH_PUNCTUATION = set("‘’“”…—")


def _advance(char):
    return CELL if ord(char) >= 0x2E80 or char in FULL_WIDTH_PUNCTUATION else CELL / 2


def _wrap(text, first_indent):
    """Lines of one paragraph on the 28-character grid, half-width for Latin and digits."""
    lines, line, width = [], " " * 0, first_indent * CELL
    for char in text:
        step = _advance(char)
        if width + step > AREA_WIDTH + 0.01 and line and char not in NO_LINE_START:
            lines.append(line)
            line, width = "", 0
        line += char
        width += step
    lines.append(line)
    return lines


class _Writer:
    def __init__(self, canvas):
        self.canvas = canvas
        self.page = 1
        self.y = AREA_TOP

    def need(self, height):
        if self.y - height < AREA_BOTTOM - 0.01:
            self.finish_page()
            self.canvas.showPage()
            self.page += 1
            self.y = AREA_TOP

    def finish_page(self):
        text = f"— {self.page} —"
        self.canvas.setFillColor(black)
        self.canvas.setFont(SONG, SIZE_4)
        y = AREA_BOTTOM - 7 * mm - SIZE_4 * 0.8
        if self.page % 2:
            self.canvas.drawRightString(LEFT + AREA_WIDTH - CELL, y, text)
        else:
            self.canvas.drawString(LEFT + CELL, y, text)

    def grid_line(self, text, *, indent=0, font=SONG, x=None):
        """One line on the body grid: each character in its cell."""
        self.need(LINE)
        self.y -= LINE
        self.canvas.setFont(font, SIZE_3)
        cursor = LEFT + indent * CELL if x is None else x
        for char in text:
            self.canvas.drawString(cursor, self.y, char)
            cursor += _advance(char)

    def paragraph(self, text, *, indent=2, font=SONG):
        for number, line in enumerate(_wrap(text, indent)):
            self.grid_line(line, indent=indent if number == 0 else 0, font=font)

    def centred(self, text, size, *, colour=black, bold=False, advance=LINE):
        self.need(advance)
        self.y -= advance
        self.canvas.setFillColor(colour)
        self.canvas.setStrokeColor(colour)
        text_object = self.canvas.beginText()
        text_object.setFont(SONG, size)
        if bold:  # the free 明 face has no bold: stroke the outline to stand in for 小标宋
            text_object.setTextRenderMode(2)
            self.canvas.setLineWidth(size / 30)
        width = pdfmetrics.stringWidth(text, SONG, size)
        text_object.setTextOrigin(LEFT + (AREA_WIDTH - width) / 2, self.y)
        text_object.textLine(text)
        text_object.setTextRenderMode(0)
        self.canvas.drawText(text_object)
        self.canvas.setFillColor(black)


def notice_pdf(notice):
    """The notice as PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{notice.document_number} {notice.title}")
    canvas.setAuthor(notice.issuer)
    writer = _Writer(canvas)

    # 版头: the red header, as wide as fits the type area, 35 mm below its top.
    header_size = min(22 * mm, AREA_WIDTH / max(len(notice.header), 1))
    writer.y = AREA_TOP - 35 * mm + LINE
    writer.centred(notice.header, header_size, colour=RED, bold=True, advance=header_size + LINE)
    writer.y -= LINE  # 空二行
    writer.centred(notice.document_number, SIZE_3)
    rule_y = writer.y - 4 * mm
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1)
    canvas.line(LEFT, rule_y, LEFT + AREA_WIDTH, rule_y)
    writer.y = rule_y - LINE  # the title two lines below the rule

    # 主体
    for line in _title_lines(notice.title):
        writer.centred(line, SIZE_2, bold=True, advance=SIZE_2 * 1.6)
    writer.y -= LINE  # 空一行
    for line in _wrap(notice.addressee + "：", 0):
        writer.grid_line(line)
    for paragraph in notice.body.splitlines():
        if paragraph.strip():
            writer.paragraph(paragraph.strip())
    attachments = list(notice.attachments.all())
    if attachments:
        writer.y -= LINE
        for number, attachment in enumerate(attachments, start=1):
            label = "附件：" if number == 1 else "　　　"
            prefix = f"{number}．" if len(attachments) > 1 else ""
            writer.grid_line(f"{label}{prefix}{Path(attachment.original_name).stem}", indent=2)
    # 发文机关署名 and 成文日期: the date right-aligned four characters in, the office centred
    # over it.
    date_text = signing_date(notice)
    writer.y -= LINE * 2
    date_width = sum(_advance(char) for char in date_text)
    date_x = LEFT + AREA_WIDTH - 4 * CELL - date_width
    issuer_width = sum(_advance(char) for char in notice.issuer)
    writer.grid_line(notice.issuer, x=max(LEFT, date_x + (date_width - issuer_width) / 2))
    writer.grid_line(date_text, x=date_x)
    writer.finish_page()
    canvas.save()
    return buffer.getvalue()


def signing_date(notice):
    """成文日期 as printed: the day in Beijing time (a notice issued at 07:30 is dated that day,
    not the UTC day before)."""
    date = timezone.localtime(notice.published_at or notice.created_at)
    return f"{date:%Y}年{date.month}月{date.day}日"


def _title_lines(title):
    """The title in lines that fit the type area at 二号, of even length, broken between words
    (GB/T 9704 asks that a line break keep the words whole)."""
    per_line = int(AREA_WIDTH // SIZE_2) - 2
    if len(title) <= per_line:
        return [title]
    count = -(-len(title) // per_line)
    target = len(title) / count
    lines, line = [], ""
    for word in jieba.lcut(title):
        if (
            line
            and len(lines) < count - 1
            and (
                len(line) + len(word) > per_line
                or abs(len(line) - target) < abs(len(line) + len(word) - target)
            )
        ):
            lines.append(line)
            line = ""
        line += word
    lines.append(line)
    return lines
