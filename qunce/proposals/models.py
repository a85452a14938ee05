"""Advisors (参谋员 §二, 建真言、献良策): proposals reviewed by the department, and the key problems
of epidemic control that talents take on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.core.models import StoredFile
from qunce.org.models import Campaign, Person, Unit


class Proposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待处理")
        ADOPTED = "adopted", _("已采纳")
        REFERRED = "referred", _("已转有关部门")
        NOTED = "noted", _("已阅存")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.ADOPTED, Status.REFERRED, Status.NOTED},
        Status.REFERRED: {Status.ADOPTED, Status.NOTED},
        Status.ADOPTED: set(),
        Status.NOTED: set(),
    }

    author = models.ForeignKey(
        Person, verbose_name=_("建言人"), on_delete=models.PROTECT, related_name="proposals"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("主题"), max_length=120)
    problem = models.TextField(_("存在的问题"), max_length=5000)
    suggestion = models.TextField(_("对策建议"), max_length=10000)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.SUBMITTED)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    referred_to = models.CharField(_("转交部门"), max_length=100, blank=True)
    feedback = models.TextField(_("反馈意见"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("建言献策")
        verbose_name_plural = _("建言献策")
        ordering = ["-submitted_at"]

    def __str__(self):
        return self.topic


class ProposalAttachment(StoredFile):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")


class KeyProblem(models.Model):
    """A key problem in epidemic control the department asks talents to solve (攻关)."""

    class Status(models.TextChoices):
        OPEN = "open", _("征集中")
        SOLVED = "solved", _("已解决")
        CLOSED = "closed", _("已关闭")

    TRANSITIONS = {
        Status.OPEN: {Status.SOLVED, Status.CLOSED},
        Status.SOLVED: set(),
        Status.CLOSED: set(),
    }

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("问题"), max_length=120)
    description = models.TextField(_("说明"), max_length=5000)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.OPEN)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点问题")
        verbose_name_plural = _("重点问题")
        ordering = ["status", "-published_at"]

    def __str__(self):
        return self.title


class Volunteer(models.Model):
    """A talent who took on a key problem; their progress notes follow."""

    problem = models.ForeignKey(KeyProblem, on_delete=models.CASCADE, related_name="volunteers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="key_problems")
    joined_at = models.DateTimeField(_("认领时间"), auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "person"], name="one_volunteering_a_problem")
        ]

    def __str__(self):
        return f"{self.person} · {self.problem}"


class ProgressNote(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("进展"), max_length=2000)
    written_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["written_at"]

    def __str__(self):
        return self.text[:30]
