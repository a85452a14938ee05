"""Daily health check-in (自律员 §二): one record a person a day a campaign, alerts to the unit.

Health answers and whereabouts are sensitive personal information: each campaign collects only
the fields its policy turns on, every read by someone else is logged, and records older than
the campaign's retention period are purged."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.codes.models import Region
from qunce.core.models import StateEvent
from qunce.org.models import Campaign, Person, Unit

LOWEST_TEMPERATURE = Decimal("34.0")
HIGHEST_TEMPERATURE = Decimal("43.0")


class Symptom(models.TextChoices):
    FEVER = "fever", _("发热")
    SORE_THROAT = "sore_throat", _("咽痛")
    DRY_COUGH = "dry_cough", _("干咳")
    PHLEGM = "phlegm", _("咳痰")
    FATIGUE = "fatigue", _("乏力")
    VOMITING = "vomiting", _("呕吐")
    DIARRHOEA = "diarrhoea", _("腹泻")
    SMELL_TASTE = "smell_taste", _("嗅觉或味觉异常")
    NONE = "none", _("无")


class Contact(models.TextChoices):
    NONE = "none", _("无")
    CONFIRMED = "confirmed", _("接触过确诊病例")
    SUSPECTED = "suspected", _("接触过疑似病例")
    ASYMPTOMATIC = "asymptomatic", _("接触过无症状感染者")


class Isolation(models.TextChoices):
    NONE = "none", _("否")
    HOME = "home", _("居家隔离观察")
    CENTRALIZED = "centralized", _("集中隔离观察")


class HealthCode(models.TextChoices):
    GREEN = "green", _("绿码")
    YELLOW = "yellow", _("黄码")
    RED = "red", _("红码")
    GREY = "grey", _("灰码")


class Vaccination(models.TextChoices):
    NONE = "none", _("未接种")
    PARTIAL = "partial", _("已接种，未完成全程")
    FULL = "full", _("已完成全程接种")
    BOOSTER = "booster", _("已接种加强针")


class Field(models.TextChoices):
    """The questions a campaign may turn on or off; the pledge is always asked."""

    LOCATION = "location", _("当前所在地")
    TEMPERATURE = "temperature", _("体温")
    SYMPTOMS = "symptoms", _("症状")
    RISK_AREA = "risk_area", _("14 天内是否到过中高风险地区")
    CONTACT = "contact", _("是否接触确诊/疑似/无症状感染者")
    ISOLATION = "isolation", _("是否处于隔离观察")
    HEALTH_CODE = "health_code", _("健康码颜色")
    VACCINATION = "vaccination", _("疫苗接种情况")
    NOTE = "note", _("备注")


def all_fields():
    return list(Field.values)


def default_reminder_times():
    return ["09:00", "10:30"]


class CheckinPolicy(models.Model):
    """How one campaign runs its daily check-in: which questions, when, and what is a fever."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="checkin"
    )
    enabled = models.BooleanField(_("开启每日健康打卡"), default=True)
    fields = models.JSONField(_("收集的项目"), default=all_fields)
    fever_threshold = models.DecimalField(
        _("发热阈值（°C）"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("37.3"),
        validators=[MinValueValidator(Decimal("36.0")), MaxValueValidator(Decimal("39.0"))],
    )
    opens_at = models.TimeField(_("每日开放时间"), default="00:00")
    deadline = models.TimeField(_("每日截止时间"), default="11:00")
    reminder_times = models.JSONField(
        _("提醒时间"),
        default=default_reminder_times,
        help_text=_("北京时间，如 09:00、10:30；只提醒当天尚未填报的人。"),
    )

    class Meta:
        verbose_name = _("健康打卡设置")
        verbose_name_plural = _("健康打卡设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("deadline")),
                name="checkin_opens_before_deadline",
                violation_error_message=_("开放时间应早于截止时间。"),
            )
        ]

    def __str__(self):
        return f"{self.campaign} · {_('健康打卡')}"

    def asks(self, field):
        return field in self.fields


class Checkin(models.Model):
    """Today's answers of one person. A second submission the same day replaces the answers;
    the earlier ones stay in CheckinRevision. On PostgreSQL the table is partitioned by month
    (see partitions.py and migration 0006)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="checkins")
    # The person's unit on that day, so that counts per unit stay true after a transfer.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"))
    region = models.ForeignKey(
        Region, verbose_name=_("当前所在地"), null=True, blank=True, on_delete=models.PROTECT
    )
    on_campus = models.BooleanField(_("在校"), null=True, blank=True)
    temperature = models.DecimalField(
        _("体温（°C）"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    symptoms = models.JSONField(_("症状"), default=list, blank=True)
    visited_risk_area = models.BooleanField(_("14 天内到过中高风险地区"), null=True, blank=True)
    contact = models.CharField(_("接触史"), max_length=16, choices=Contact, blank=True)
    contact_on = models.DateField(_("接触日期"), null=True, blank=True)
    isolation = models.CharField(_("隔离观察"), max_length=16, choices=Isolation, blank=True)
    isolation_since = models.DateField(_("隔离开始日期"), null=True, blank=True)
    health_code = models.CharField(_("健康码"), max_length=8, choices=HealthCode, blank=True)
    vaccination = models.CharField(_("疫苗接种"), max_length=16, choices=Vaccination, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    pledged = models.BooleanField(_("本人承诺"), default=False)
    fever = models.BooleanField(_("发热"), default=False)
    location_changed = models.BooleanField(_("所在城市变化"), default=False)
    alert_reasons = models.JSONField(_("预警原因"), default=list, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    submitted_at = models.DateTimeField(_("首次提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后提交时间"), auto_now=True)

    class Meta:
        verbose_name = _("健康打卡")
        verbose_name_plural = _("健康打卡")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person", "day"], name="one_checkin_a_person_a_day"
            )
        ]
        # The dashboard counts a day's reports per unit from this index alone.
        indexes = [
            models.Index(
                fields=["campaign", "day", "unit"], include=["fever"], name="checkin_day_unit"
            )
        ]

    def __str__(self):
        return f"{self.person} {self.day}"


class CheckinRevision(models.Model):
    """An earlier version of a day's answers, replaced by a later submission that day."""

    # No database constraint: on PostgreSQL the check-ins are partitioned by month, and a
    # partitioned table's rows are unique by (id, day) only. The ORM's cascade and the purge
    # delete these with their check-in.
    checkin = models.ForeignKey(
        Checkin, on_delete=models.CASCADE, related_name="revisions", db_constraint=False
    )
    version = models.PositiveIntegerField()
    answers = models.JSONField()
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "version"], name="one_revision_a_version")
        ]

    def __str__(self):
        return f"{self.checkin} v{self.version}"


class CheckinReceipt(models.Model):
    """The answer given to a submission carrying an idempotency key: a retry gets it again."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    # SHA-256 of what was submitted: the same key with other answers is a client's mistake.
    fingerprint = models.CharField(max_length=64)
    checkin = models.ForeignKey(  # no database constraint: see CheckinRevision.checkin
        Checkin, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="one_receipt_a_key")]

    def __str__(self):
        return f"{self.person_id}:{self.key}"


class HealthAlert(models.Model):
    class Reason(models.TextChoices):
        FEVER = "fever", _("体温异常")
        SYMPTOMS = "symptoms", _("有症状")
        RISK_AREA = "risk_area", _("到过中高风险地区")
        CONTACT = "contact", _("有接触史")
        ISOLATION = "isolation", _("隔离观察中")
        HEALTH_CODE = "health_code", _("健康码非绿码")
        LOCATION = "location", _("所在城市变化")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ACKNOWLEDGED = "acknowledged", _("已跟进")
        CLOSED = "closed", _("已关闭")

    TRANSITIONS = {
        Status.OPEN: {Status.ACKNOWLEDGED},
        Status.ACKNOWLEDGED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="health_alerts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    checkin = models.ForeignKey(  # no database constraint: see CheckinRevision.checkin
        Checkin, on_delete=models.CASCADE, related_name="alerts", db_constraint=False
    )
    day = models.DateField(_("日期"))
    reasons = models.JSONField(_("原因"))
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.OPEN)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("发出时间"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("跟进时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up = models.TextField(_("跟进情况"), max_length=1000, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("健康预警")
        verbose_name_plural = _("健康预警")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["status", "campaign"])]

    def __str__(self):
        return f"{self.person} {self.day} {self.get_status_display()}"

    def events(self):
        return StateEvent.objects.filter(
            target_type=self._meta.label_lower, target_id=str(self.pk)
        ).select_related("actor")

    def reason_labels(self):
        return [str(self.Reason(reason).label) for reason in self.reasons]


class CheckinAccess(models.Model):
    """A read of someone else's check-ins: who, when, whose, which. Kept after a purge."""

    class What(models.TextChoices):
        HISTORY = "history", _("查看打卡记录")
        EXPORT = "export", _("导出")
        API = "api", _("接口读取")
        ALERT = "alert", _("查看预警")
        NON_REPORTERS = "non_reporters", _("查看未报名单")
        REFUSED = "refused", _("查阅被拒绝")

    # Read-log rows are never updated (the application may not): a deleted account or person
    # leaves its id behind rather than being set to NULL.
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The log outlives the person's record: deleting them leaves whose id was read.
    person = models.ForeignKey(
        Person,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="checkin_reads",
    )
    person_number = models.PositiveBigIntegerField(default=0)
    what = models.CharField(max_length=16, choices=What)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("打卡记录查阅日志")
        verbose_name_plural = _("打卡记录查阅日志")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.viewer_id} {self.what} {self.person_number}"
