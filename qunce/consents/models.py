"""Consent to the processing of sensitive personal information (PIPL Arts. 14 and 29): one
notice per purpose in numbered versions, each person's standing per purpose, and every decision
kept with the version it answered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    HEALTH = "health", _("健康打卡")
    WHEREABOUTS = "whereabouts", _("行程与所在地")
    COUNSELLING = "counselling", _("心理咨询")


class ConsentNotice(models.Model):
    """What a person is told before a purpose collects their information; a new version asks
    everyone again."""

    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose)
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("告知内容"), max_length=5000)
    changes = models.CharField(_("本版变化"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("告知书")
        verbose_name_plural = _("告知书")
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="one_notice_a_version")
        ]

    def __str__(self):
        return f"{self.title}（第 {self.version} 版）"

    def paragraphs(self):
        return [line.strip() for line in self.body.splitlines() if line.strip()]


class Consent(models.Model):
    """A person's standing for one purpose: given (to the version in `notice`) or withdrawn."""

    class Status(models.TextChoices):
        GIVEN = "given", _("已同意")
        WITHDRAWN = "withdrawn", _("已撤回")

    # Agreeing again (to a newer version) is a move from given to given.
    TRANSITIONS = {
        "": {Status.GIVEN},
        Status.GIVEN: {Status.GIVEN, Status.WITHDRAWN},
        Status.WITHDRAWN: {Status.GIVEN},
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose)
    status = models.CharField(_("状态"), max_length=16, choices=Status)
    notice = models.ForeignKey(
        ConsentNotice, verbose_name=_("告知书"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("个人信息授权")
        verbose_name_plural = _("个人信息授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "purpose"], name="one_consent_a_purpose")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_purpose_display()} · {self.get_status_display()}"


class ConsentDecision(models.Model):
    """Every agreement and withdrawal, with the notice version it answered: the consent's event
    rows, kept after the account is gone (PIPL asks the processor to prove consent)."""

    class Via(models.TextChoices):
        PAGE = "page", _("网页")
        API = "api", _("接口")

    # Never updated (the application may not): a deleted account or standing leaves its id.
    consent = models.ForeignKey(
        Consent,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="decisions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("账号"), max_length=150)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose)
    notice = models.ForeignKey(
        ConsentNotice, verbose_name=_("告知书"), on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Consent.Status)
    via = models.CharField(_("方式"), max_length=8, choices=Via)
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("授权记录")
        verbose_name_plural = _("授权记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.username} · {self.get_purpose_display()} · {self.get_to_status_display()}"
