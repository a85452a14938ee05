"""The contribution ledger (§三): what each person did in the eight roles, verified, append-only,
each entry chained to the one before by SHA-256."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qunce.org.models import Campaign, Person, ServiceRole

QUANTITY_FIELDS = ("hours", "people_served", "items_donated")


class RuleSet(models.Model):
    """The point rules in force from `effective_from` until the next rule set. Never edited: a
    change is a new rule set, so entries keep the points they were recorded with."""

    effective_from = models.DateTimeField(_("生效时间"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    frontline_multiplier = models.DecimalField(
        _("一线系数"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    monthly_cap = models.DecimalField(
        _("每人每角色每月上限"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["-effective_from", "-id"]

    def __str__(self):
        return f"{self.effective_from:%Y-%m-%d %H:%M}"


def _rate(label, *, default=Decimal("0"), decimal_places=2):
    """A non-negative rate of a role rule (points per entry, hour, person or item)."""
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=decimal_places,
        default=default,
        validators=[MinValueValidator(Decimal("0"))],
    )


class RoleRule(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="role_rules")
    role = models.CharField(_("角色"), max_length=20, choices=ServiceRole)
    base_points = _rate(_("每条基础分"), default=Decimal("1"))
    per_hour = _rate(_("每小时"))
    per_person_served = _rate(_("每服务一人/一家"))
    per_item_donated = _rate(_("每捐赠一件"), decimal_places=3)

    class Meta:
        verbose_name = _("角色积分")
        verbose_name_plural = _("角色积分")
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "role"], name="one_rule_per_role")
        ]

    def __str__(self):
        return self.get_role_display()


class FrontlineService(models.Model):
    """Who served on the front line, in which campaign, from when to when."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="frontline"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.CharField(_("岗位与任务"), max_length=200)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一线认定")
        verbose_name_plural = _("一线认定")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="frontline_period_ordered",
                violation_error_message=_("结束日期早于开始日期。"),
            )
        ]

    def __str__(self):
        return f"{self.person} {self.starts_on}"


class Claim(models.Model):
    """An entry a talent files with evidence, for their unit to verify or reject."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        VERIFIED = "verified", _("已核实")
        REJECTED = "rejected", _("已退回")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.VERIFIED, Status.REJECTED},
        Status.VERIFIED: set(),
        Status.REJECTED: set(),
    }

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="claims"
    )
    role = models.CharField(_("角色"), max_length=20, choices=ServiceRole)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("开始日期"))
    date_to = models.DateField(_("结束日期"))
    summary = models.TextField(_("事迹摘要"), max_length=1000)
    hours = models.DecimalField(
        _("服务时长（小时）"),
        max_digits=7,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    people_served = models.PositiveIntegerField(_("服务人数/企业数"), default=0)
    items_donated = models.PositiveIntegerField(_("捐赠物品数"), default=0)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.SUBMITTED)
    status_changed_at = models.DateTimeField(_("状态时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.CharField(_("退回理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("贡献填报")
        verbose_name_plural = _("贡献填报")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")),
                name="claim_period_ordered",
                violation_error_message=_("结束日期早于开始日期。"),
            )
        ]

    def __str__(self):
        return f"{self.person} {self.get_role_display()} {self.date_from}"


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("证明材料"), upload_to="ledger-evidence/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self):
        return self.original_name


class LedgerEntry(models.Model):
    """One verified contribution. Append-only: a correction is a new entry naming the one it
    corrects. `content_hash` covers the canonical content and `previous_hash`, so changing any
    entry breaks the chain from there on."""

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    team_name = models.CharField(_("团队"), max_length=100, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=ServiceRole)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("开始日期"))
    date_to = models.DateField(_("结束日期"))
    summary = models.TextField(_("事迹摘要"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=7, decimal_places=1, default=0)
    people_served = models.PositiveIntegerField(_("服务人数/企业数"), default=0)
    items_donated = models.PositiveIntegerField(_("捐赠物品数"), default=0)
    source_type = models.CharField(_("来源类型"), max_length=64)
    source_id = models.CharField(_("来源编号"), max_length=64)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("积分规则"), on_delete=models.PROTECT, related_name="+"
    )
    frontline = models.BooleanField(_("一线"), default=False)
    points = models.DecimalField(_("积分"), max_digits=9, decimal_places=2)
    recorded_at = models.DateTimeField(_("记录时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_hash = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["campaign", "person"]),
            models.Index(fields=["person", "role", "date_from"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["corrects"],
                condition=models.Q(corrects__isnull=False),
                name="ledger_entry_corrected_once",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(team_name=""),
                name="ledger_entry_names_person_or_team",
            ),
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")),
                name="ledger_entry_period_ordered",
                violation_error_message=_("结束日期早于开始日期。"),
            ),
        ]

    def __str__(self):
        return f"#{self.seq} {self.person or self.team_name} {self.get_role_display()}"


class ChainHead(models.Model):
    """The ledger's one head row: locked while an entry is appended, so entries chain in order."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("台账链头")
        verbose_name_plural = _("台账链头")

    def __str__(self):
        return f"#{self.last_seq} {self.last_hash[:12]}"


class RecommendationKind(models.TextChoices):
    """The four preferences of §三."""

    TALENT_PROGRAM = "talent_program", _("人才计划和工程项目申报优先支持")
    AWARDS = "awards", _("评优评先优先考虑")
    TRAINING = "training", _("提能培训优先安排")
    PARTY = "party", _("入党积极分子吸收为预备党员")


class RecommendationSnapshot(models.Model):
    """A finalized recommendation list: its rows as they stood, and their SHA-256."""

    kind = models.CharField(_("名单类型"), max_length=20, choices=RecommendationKind)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+"
    )
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("定稿人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalized_at = models.DateTimeField(_("定稿时间"), auto_now_add=True)
    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("积分规则"), on_delete=models.PROTECT, related_name="+"
    )
    rows = models.JSONField(_("名单"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("推荐名单定稿")
        verbose_name_plural = _("推荐名单定稿")
        ordering = ["-finalized_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.finalized_at:%Y-%m-%d}"


class Commendation(models.Model):
    """表彰: a person or a team commended for what the ledger shows; public once approved."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已批准")
        DECLINED = "declined", _("未批准")

    TRANSITIONS = {
        Status.PROPOSED: {Status.APPROVED, Status.DECLINED},
        Status.APPROVED: set(),
        Status.DECLINED: set(),
    }

    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    team_name = models.CharField(_("团队"), max_length=100, blank=True)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("表彰称号"), max_length=100)
    citation = models.TextField(_("事迹"), max_length=5000)
    awarded_on = models.DateField(_("表彰日期"))
    awarding_body = models.CharField(_("表彰单位"), max_length=100)
    entries = models.ManyToManyField(
        LedgerEntry, verbose_name=_("依据的台账记录"), blank=True, related_name="commendations"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.PROPOSED)
    status_changed_at = models.DateTimeField(_("状态时间"), auto_now_add=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("推荐人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(team_name=""),
                name="commendation_names_person_or_team",
                violation_error_message=_("请指定一位人员或一个团队。"),
            ),
            # A declined proposal may be made again; a pending or approved one only once.
            models.UniqueConstraint(
                fields=["person", "campaign", "title"],
                condition=models.Q(person__isnull=False) & ~models.Q(status="declined"),
                name="one_commendation_per_person_title_campaign",
                violation_error_message=_("此人已被推荐或已获得这一表彰。"),
            ),
            models.UniqueConstraint(
                fields=["team_name", "campaign", "title"],
                condition=models.Q(person__isnull=True) & ~models.Q(status="declined"),
                name="one_commendation_per_team_title_campaign",
                violation_error_message=_("该团队已被推荐或已获得这一表彰。"),
            ),
        ]

    def __str__(self):
        return f"{self.person or self.team_name} · {self.title}"

    @property
    def honoree(self):
        return self.person.name if self.person_id else self.team_name
