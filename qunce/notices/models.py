"""Notices (§一 组织领导): the department's documents go down to the units, and each addressed
unit confirms receipt and reports how it carried them out."""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.core.models import StateEvent, StoredFile
from qunce.org.models import Campaign, Unit

# 发文字号 as GB/T 9704-2012 §7.2.4 writes it: issuing-office code, the full year in 六角括号
# 〔〕, the serial number without leading zeros, and 号.
DOCUMENT_NUMBER = re.compile(
    r"^(?P<office>[\u4e00-\u9fffA-Za-z]{2,20})〔(?P<year>(19|20)\d{2})〕(?P<number>[1-9]\d{0,4})号$"
)


class Notice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已印发")

    TRANSITIONS = {Status.DRAFT: {Status.PUBLISHED}, Status.PUBLISHED: set()}

    office_code = models.CharField(_("机关代字"), max_length=20)
    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveIntegerField(_("序号"))
    issuer = models.CharField(
        _("发文机关"), max_length=100, help_text=_("如：中共辽宁科技大学委员会组织部")
    )
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(
        _("主送机关"), max_length=200, help_text=_("如：各分党委、党总支、直属党支部")
    )
    body = models.TextField(_("正文"), max_length=50000)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("专项行动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    units = models.ManyToManyField(Unit, verbose_name=_("主送单位"), related_name="notices")
    report_deadline = models.DateField(_("落实情况报告截止日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office_code", "year", "number"], name="one_notice_a_document_number"
            )
        ]

    def __str__(self):
        return f"{self.document_number} {self.title}"

    @property
    def document_number(self):
        return f"{self.office_code}〔{self.year}〕{self.number}号"

    @property
    def header(self):
        """发文机关标志: the issuing office's name followed by 文件."""
        return f"{self.issuer}文件"


class Attachment(StoredFile):
    """A file of a notice or of a unit's report, checked to be what it says it is."""

    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    report = models.ForeignKey(
        "UnitReport", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice__isnull=True) ^ models.Q(report__isnull=True),
                name="attachment_of_a_notice_or_a_report",
            )
        ]


class UnitReport(models.Model):
    """One addressed unit's receipt (签收) and implementation report (落实情况报告)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("未签收")
        RECEIVED = "received", _("已签收")
        REPORTED = "reported", _("已报告")

    TRANSITIONS = {
        Status.PENDING: {Status.RECEIVED},
        Status.RECEIVED: {Status.REPORTED},
        Status.REPORTED: set(),
    }

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.PENDING)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("落实情况"), max_length=20000, blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("单位落实报告")
        verbose_name_plural = _("单位落实报告")
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["notice", "unit"], name="one_report_a_unit")]

    def __str__(self):
        return f"{self.notice.document_number} · {self.unit}"

    def events(self):
        return StateEvent.objects.filter(
            target_type=self._meta.label_lower, target_id=str(self.pk)
        ).select_related("actor")
