"""The situation report (情况报告) a department sends upward at the end of a campaign: the
figures of each of the eight roles and §三 in sentences, then the table per unit. A4, the body
in 宋体 (AR PL UMing, embedded), dates and the time of printing in Beijing time."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from qunce.notices.pdf import SONG, register_fonts
from qunce.org.models import ServiceRole

from .exports import pivot_headers, pivot_values, title_of


def _styles():
    return {
        "title": ParagraphStyle("title", fontName=SONG, fontSize=18, leading=26, alignment=1),
        "subtitle": ParagraphStyle("subtitle", fontName=SONG, fontSize=11, leading=16, alignment=1),
        "body": ParagraphStyle(
            "body", fontName=SONG, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK"
        ),
        "cell": ParagraphStyle("cell", fontName=SONG, fontSize=8, leading=10, wordWrap="CJK"),
    }


def _chinese_date(day):
    # As official documents write dates: no leading zeros.
    return f"{day.year}年{day.month}月{day.day}日"


def summary_sentences(report):
    """The report's figures as the sentences of its body."""
    total = report.total
    roles = "；".join(
        _("%(role)s %(n)s 条") % {"role": label, "n": total.roles.get(role, 0)}
        for role, label in ServiceRole.choices
    )
    sentences = [
        _(
            "%(first)s至%(last)s，%(unit)s 共有专业技术人才 %(people)s 人参与“%(campaign)s”，"
            "经核实记入贡献台账 %(entries)s 条、积分 %(points)s。"
        )
        % {
            "first": _chinese_date(report.date_from),
            "last": _chinese_date(report.date_to),
            "unit": report.scope.name,
            "people": total.people,
            "campaign": report.campaign.name,
            "entries": total.entries,
            "points": total.points,
        },
        _("按“八员”分：%(roles)s。") % {"roles": roles},
    ]
    if total.compliance is not None:
        sentences.append(
            _("每日健康打卡应报 %(expected)s 人次，实报 %(done)s 人次，打卡率 %(rate)s%%。")
            % {"expected": total.expected, "done": total.checkins, "rate": total.compliance}
        )
    sentences.append(
        _(
            "为企业和农户解决技术难题 %(requests)s 项；通知应报告落实情况 %(due)s 个单位次，"
            "已报告 %(done)s 个；确认一线人员 %(frontline)s 人，解决一线人员后顾之忧 %(family)s 件。"
        )
        % {
            "requests": total.requests_resolved,
            "due": total.notices_due,
            "done": total.notices_reported,
            "frontline": total.frontline,
            "family": total.family_resolved,
        }
    )
    return sentences


def report_pdf(report):
    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title_of(report),
        author=report.scope.name,
    )
    story = [
        Paragraph(
            _("关于“%(campaign)s”中专业技术人才作用发挥情况的报告")
            % {"campaign": report.campaign.name},
            styles["title"],
        ),
        Paragraph(title_of(report), styles["subtitle"]),
        Spacer(1, 6 * mm),
        *[Paragraph(sentence, styles["body"]) for sentence in summary_sentences(report)],
        Spacer(1, 6 * mm),
    ]
    cell = styles["cell"]
    header = [Paragraph(str(text), cell) for text in pivot_headers()]
    body = [[Paragraph(str(v), cell) for v in pivot_values(row)] for row in report.rows]
    total = [Paragraph(str(v), cell) for v in [_("合计"), *pivot_values(report.total)[1:]]]
    widths = [38 * mm] + [(267 - 38) * mm / (len(header) - 1)] * (len(header) - 1)
    table = Table([header, *body, total], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.95, 0.92, 0.92)),
                ("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.95, 0.95, 0.95)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(table)
    printed = timezone.localtime()
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(
            _(
                "打印时间：%(at)s（北京时间）。打卡率 = 实际打卡人次 ÷（现有人数 × 应打卡天数，自范围内首次有人打卡之日起计）。"
            )
            % {"at": f"{printed:%Y-%m-%d %H:%M}"},
            cell,
        )
    )
    document.build(story)
    return buffer.getvalue()
