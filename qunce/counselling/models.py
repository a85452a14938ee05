"""Confidential counselling (疏导员 §二): only the assigned counsellor reads a case."""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.core.crypto import EncryptedTextField
from qunce.org.models import Campaign


def token_digest(raw_token):
    return hashlib.sha256(raw_token.encode()).hexdigest()


class CounsellingCase(models.Model):
    class Category(models.TextChoices):
        STUDY = "study", _("学业压力")
        MOOD = "mood", _("情绪困扰")
        RELATIONSHIPS = "relationships", _("人际关系")
        FAMILY = "family", _("家庭问题")
        EPIDEMIC_ANXIETY = "epidemic_anxiety", _("疫情焦虑")
        OTHER = "other", _("其他")

    class Channel(models.TextChoices):
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        VIDEO = "video", _("视频")
        IN_PERSON = "in_person", _("面谈")
        ANONYMOUS_MESSAGE = "anonymous_message", _("匿名留言（通过查询链接往来）")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待分派")
        ASSIGNED = "assigned", _("已分派")
        IN_SESSIONS = "in_sessions", _("咨询中")
        CLOSED = "closed", _("已结案")
        REFERRED = "referred", _("已转介医院")

    TRANSITIONS = {
        Status.REQUESTED: {Status.ASSIGNED},
        Status.ASSIGNED: {Status.IN_SESSIONS, Status.ASSIGNED, Status.REFERRED},
        Status.IN_SESSIONS: {Status.CLOSED, Status.REFERRED},
        Status.CLOSED: set(),
        Status.REFERRED: set(),
    }

    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymous = models.BooleanField(_("匿名"), default=False)
    # Routing: what the coordinator sees.
    category = models.CharField(_("类别"), max_length=20, choices=Category)
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency, default=Urgency.NORMAL
    )
    channel = models.CharField(_("希望的方式"), max_length=20, choices=Channel)
    time_window = models.CharField(_("方便的时间"), max_length=100)
    crisis = models.BooleanField(_("危机信号"), default=False)
    # The notice the requester agreed to before writing (kept on the case, not on an account:
    # an anonymous request must not leave a trace on the person's own record).
    consent_notice = models.ForeignKey(
        "consents.ConsentNotice",
        verbose_name=_("同意的告知书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Content: only the assigned counsellor reads it; encrypted at rest.
    contact_name = EncryptedTextField(_("称呼"), blank=True)
    contact = EncryptedTextField(_("联系方式"), blank=True)
    description = EncryptedTextField(_("想聊的事"))
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.REQUESTED)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("咨询师"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="counselling_cases",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("心理咨询个案")
        verbose_name_plural = _("心理咨询个案")
        ordering = ["-crisis", "-requested_at"]

    def __str__(self):
        return f"#{self.pk} {self.get_category_display()}"


class SessionNote(models.Model):
    case = models.ForeignKey(CounsellingCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("日期"))
    minutes = models.PositiveIntegerField(
        _("时长（分钟）"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    content = EncryptedTextField(_("咨询记录"))
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.case} {self.held_on}"


class CaseMessage(models.Model):
    """Messages between an anonymous requester (through the status link) and the counsellor."""

    case = models.ForeignKey(CounsellingCase, on_delete=models.CASCADE, related_name="messages")
    from_counsellor = models.BooleanField(default=False)
    text = EncryptedTextField(_("留言"))
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"{self.case} {self.written_at:%m-%d %H:%M}"


class CaseAccess(models.Model):
    """Every read of a case: who, when, what. Kept when the case itself is purged."""

    case = models.ForeignKey(
        CounsellingCase,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="accesses",
    )
    case_number = models.PositiveBigIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.action} {self.case}"


class CaseTally(models.Model):
    """What stays of purged cases: counts only."""

    campaign = models.ForeignKey(Campaign, null=True, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, choices=CounsellingCase.Category)
    month = models.DateField()
    cases = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)
    referred = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "category", "month"], name="one_tally_per_month"
            )
        ]

    def __str__(self):
        return f"{self.campaign} {self.category} {self.month:%Y-%m}"
