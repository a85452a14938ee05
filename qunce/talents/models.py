from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qunce.codes.models import Discipline, Region
from qunce.org.models import Person, ServiceRole

# A unit's confirmation of a profile is trusted for this long; then the talent and the unit are
# reminded to look at it again.
CONFIRMATION_LIFETIME = timedelta(days=180)


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    QQ = "qq", _("QQ")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("可服务")
    BUSY = "busy", _("繁忙")
    FRONTLINE = "frontline", _("在一线")


class TalentProfile(models.Model):
    """What a member of staff can offer: disciplines, expertise, the roles they volunteer for."""

    person = models.OneToOneField(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="profile"
    )
    disciplines = models.ManyToManyField(
        Discipline, verbose_name=_("学科"), blank=True, related_name="profiles"
    )
    research_fields = models.CharField(_("研究领域"), max_length=200, blank=True)
    keywords = models.CharField(_("专长关键词"), max_length=300, blank=True)
    summary = models.TextField(_("简介"), max_length=1000, blank=True)
    works = models.TextField(_("代表性成果"), max_length=3000, blank=True)
    volunteers_advisor = models.BooleanField(ServiceRole.ADVISOR.label, default=False)
    volunteers_technician = models.BooleanField(ServiceRole.TECHNICIAN.label, default=False)
    volunteers_educator = models.BooleanField(ServiceRole.EDUCATOR.label, default=False)
    volunteers_vanguard = models.BooleanField(ServiceRole.VANGUARD.label, default=False)
    volunteers_publicist = models.BooleanField(ServiceRole.PUBLICIST.label, default=False)
    volunteers_counsellor = models.BooleanField(ServiceRole.COUNSELLOR.label, default=False)
    volunteers_self_discipline = models.BooleanField(
        ServiceRole.SELF_DISCIPLINE.label, default=False
    )
    volunteers_caring = models.BooleanField(ServiceRole.CARING.label, default=False)
    service_regions = models.ManyToManyField(
        Region, verbose_name=_("服务地区"), blank=True, related_name="profiles"
    )
    preferred_channel = models.CharField(
        _("联系方式偏好"), max_length=10, choices=ContactChannel, default=ContactChannel.PHONE
    )
    availability = models.CharField(
        _("当前状态"), max_length=12, choices=Availability, default=Availability.AVAILABLE
    )
    availability_from = models.DateField(_("状态起"), null=True, blank=True)
    availability_until = models.DateField(_("状态止"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("单位确认时间"), null=True, blank=True, db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the profile last stood without a confirmation: created, or its confirmation withdrawn.
    unconfirmed_since = models.DateTimeField(_("待确认起始"), default=timezone.now)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Lower-cased expertise, fields, works and summary in one column, so a keyword search is one
    # LIKE instead of four. (No trigram index: most Chinese keywords are two characters, which a
    # trigram index cannot serve; Chinese tokenization comes with expert matching.)
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("人才档案")
        verbose_name_plural = _("人才档案")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(availability_until__isnull=True)
                | models.Q(availability_from__isnull=True)
                | models.Q(availability_until__gte=models.F("availability_from")),
                name="profile_availability_period_ordered",
                violation_error_message=_("结束日期早于开始日期。"),
            )
        ]

    def __str__(self):
        return str(self.person)

    @property
    def confirmation_is_current(self):
        return (
            self.confirmed_at is not None
            and timezone.now() - self.confirmed_at < CONFIRMATION_LIFETIME
        )

    @property
    def volunteered_roles(self):
        return [role for role in ServiceRole if getattr(self, f"volunteers_{role.value}")]

    def refresh_search_text(self):
        self.search_text = "\n".join(
            [self.keywords, self.research_fields, self.works, self.summary]
        ).lower()


def volunteer_field(role):
    return f"volunteers_{ServiceRole(role).value}"


class ProfileReminder(models.Model):
    """One reminder per profile per lapse of confirmation, so the job never repeats itself."""

    profile = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="reminders")
    # When the lapse began: the last confirmation, or when the profile was left unconfirmed.
    lapse_since = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("档案确认提醒")
        verbose_name_plural = _("档案确认提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "lapse_since"], name="one_reminder_per_lapse"
            )
        ]

    def __str__(self):
        return f"{self.profile} @ {self.sent_at:%Y-%m-%d}"


class ImportBatch(models.Model):
    """One uploaded talent list: previewed, then applied or discarded as a whole."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        APPLIED = "applied", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    TRANSITIONS = {
        Status.PREVIEWED: {Status.APPLIED, Status.DISCARDED},
        Status.APPLIED: set(),
        Status.DISCARDED: set(),
    }

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file = models.FileField(_("文件"), upload_to="talent-imports/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.PREVIEWED)
    status_changed_at = models.DateTimeField(_("状态时间"), auto_now_add=True)
    # What the preview showed: counts, file errors, and per row its status, changes and errors.
    report = models.JSONField(_("预览结果"), default=dict)

    class Meta:
        verbose_name = _("人才导入")
        verbose_name_plural = _("人才导入")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def has_errors(self):
        return bool(self.report.get("file_errors")) or bool(
            self.report.get("counts", {}).get("error")
        )
