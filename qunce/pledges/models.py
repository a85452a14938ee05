"""Vanguards (先锋员 §二): party members sign the campaign's pledges and log what they did to
lead by example; each branch sees how many of its members have signed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.org.models import Campaign, Person, PoliticalStatus, Unit

PARTY_MEMBERS = [PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_PROBATIONARY]


class PledgeTemplate(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("承诺书"), max_length=100)
    items = models.TextField(
        _("承诺事项"), max_length=3000, help_text=_("每行一条，如：不组织、不参加聚集性活动")
    )
    active = models.BooleanField(_("开放签署"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("承诺书")
        verbose_name_plural = _("承诺书")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def item_list(self):
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class Signature(models.Model):
    template = models.ForeignKey(
        PledgeTemplate, on_delete=models.CASCADE, related_name="signatures"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pledges")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("签署时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("承诺签署")
        verbose_name_plural = _("承诺签署")
        constraints = [
            models.UniqueConstraint(fields=["template", "person"], name="one_signature_a_pledge")
        ]

    def __str__(self):
        return f"{self.person} · {self.template}"


class VanguardAct(models.Model):
    """Something a party member did to lead by example (e.g. 带头值守卡口), for the unit to verify."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待核实")
        VERIFIED = "verified", _("已核实")
        REJECTED = "rejected", _("未通过")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.VERIFIED, Status.REJECTED},
        Status.VERIFIED: set(),
        Status.REJECTED: set(),
    }

    person = models.ForeignKey(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="vanguard_acts"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    done_on = models.DateField(_("日期"))
    description = models.TextField(_("先锋事迹"), max_length=2000)
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1, default=0)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.SUBMITTED)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("未通过理由"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("先锋事迹")
        verbose_name_plural = _("先锋事迹")
        ordering = ["-done_on", "-pk"]

    def __str__(self):
        return f"{self.person} {self.done_on}"
