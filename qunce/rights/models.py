"""A person's requests to correct or delete what is kept about them (PIPL Arts. 46, 47),
handled by the admins of their unit and tracked until answered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.org.models import Person


class RightsRequest(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", _("更正")
        DELETION = "deletion", _("删除")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待处理")
        DONE = "done", _("已办理")
        REFUSED = "refused", _("不予办理")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.DONE, Status.REFUSED},
        Status.DONE: set(),
        Status.REFUSED: set(),
    }

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rights_requests")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    section = models.CharField(_("涉及的信息"), max_length=40)
    detail = models.TextField(_("说明"), max_length=2000)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.SUBMITTED)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(_("答复"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("个人信息更正/删除申请")
        verbose_name_plural = _("个人信息更正/删除申请")
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()} · {self.get_status_display()}"
