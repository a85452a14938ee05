"""Family care (后顾之忧, §三): needs of frontline talents' families, followed until resolved."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.org.models import Person


class FamilyNeed(models.Model):
    class Category(models.TextChoices):
        CHILDCARE = "childcare", _("子女照护")
        ELDER_CARE = "elder_care", _("老人照护")
        MEDICAL = "medical", _("就医")
        DAILY_SUPPLIES = "daily_supplies", _("生活物资")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待接手")
        IN_PROGRESS = "in_progress", _("办理中")
        RESOLVED = "resolved", _("已解决")

    TRANSITIONS = {
        Status.OPEN: {Status.IN_PROGRESS},
        Status.IN_PROGRESS: {Status.RESOLVED},
        Status.RESOLVED: {Status.IN_PROGRESS},  # reopened by a new note
    }
    STALLED_AFTER_DAYS = 3

    person = models.ForeignKey(
        Person, verbose_name=_("一线人员"), on_delete=models.PROTECT, related_name="family_needs"
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category)
    description = models.TextField(_("需求说明"), max_length=1000)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.OPEN)
    status_changed_at = models.DateTimeField(_("状态时间"), auto_now_add=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("最近进展"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("家庭需求")
        verbose_name_plural = _("家庭需求")
        ordering = ["status", "-recorded_at"]

    def __str__(self):
        return f"{self.person} · {self.get_category_display()}"


class FamilyNeedNote(models.Model):
    need = models.ForeignKey(FamilyNeed, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("进展"), max_length=1000)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at"]

    def __str__(self):
        return self.text[:40]


class StallReminder(models.Model):
    """One reminder per need per stall, so the daily job never repeats itself."""

    need = models.ForeignKey(FamilyNeed, on_delete=models.CASCADE, related_name="reminders")
    stalled_since = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "stalled_since"], name="one_reminder_per_stall")
        ]

    def __str__(self):
        return f"{self.need} @ {self.sent_at:%Y-%m-%d}"
