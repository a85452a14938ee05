"""Educators (教育员 §二, 改教学、上网课): online courses, Q&A sessions and graduate supervision
meetings, so that a unit sees which courses and which students have gone without contact."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.org.models import Campaign, Person, Unit


class TeachingRecord(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("线上课程")
        QA = "qa", _("答疑辅导")
        SUPERVISION = "supervision", _("研究生指导")

    class Platform(models.TextChoices):
        CHAOXING = "chaoxing", _("学习通")
        RAIN_CLASSROOM = "rain_classroom", _("雨课堂")
        TENCENT_MEETING = "tencent_meeting", _("腾讯会议")
        DINGTALK = "dingtalk", _("钉钉")
        ICOURSE = "icourse", _("中国大学MOOC")
        ZHIHUISHU = "zhihuishu", _("智慧树")
        WECHAT = "wechat", _("微信群")
        OTHER = "other", _("其他")

    class Mode(models.TextChoices):
        VIDEO = "video", _("视频会议")
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        EMAIL = "email", _("电子邮件")
        IN_PERSON = "in_person", _("当面")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("待核实")
        VERIFIED = "verified", _("已核实")

    TRANSITIONS = {Status.RECORDED: {Status.VERIFIED}, Status.VERIFIED: set()}

    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.PROTECT, related_name="teaching"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    held_on = models.DateField(_("日期"))
    course = models.CharField(_("课程"), max_length=100, blank=True)
    platform = models.CharField(_("平台"), max_length=20, choices=Platform, blank=True)
    sessions = models.PositiveSmallIntegerField(_("次数"), default=1)
    students_reached = models.PositiveIntegerField(_("覆盖学生数"), default=0)
    student = models.CharField(_("研究生"), max_length=50, blank=True)
    topic = models.CharField(_("内容"), max_length=200, blank=True)
    mode = models.CharField(_("方式"), max_length=16, choices=Mode, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.RECORDED)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("线上教学记录")
        verbose_name_plural = _("线上教学记录")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["campaign", "kind", "held_on"])]

    def __str__(self):
        return f"{self.person} {self.get_kind_display()} {self.held_on}"
