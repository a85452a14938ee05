from datetime import timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class ServiceRole(models.TextChoices):
    """The eight roles (八员) of 科大组织部〔2020〕6号 §二."""

    ADVISOR = "advisor", _("参谋员")
    TECHNICIAN = "technician", _("技术员")
    EDUCATOR = "educator", _("教育员")
    VANGUARD = "vanguard", _("先锋员")
    PUBLICIST = "publicist", _("宣传员")
    COUNSELLOR = "counsellor", _("疏导员")
    SELF_DISCIPLINE = "self_discipline", _("自律员")
    CARING = "caring", _("爱心员")


def all_service_roles():
    return list(ServiceRole.values)


class Campaign(models.Model):
    """An emergency campaign (专项行动): scopes records so one installation serves the next one."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        ACTIVE = "active", _("进行中")
        ENDED = "ended", _("已结束")
        ARCHIVED = "archived", _("已归档")

    # Opening starts check-ins and requests; ending stops them and the reminders and starts the
    # retention clock; an archived campaign leaves the switcher but keeps its records until the
    # clock runs out. A planned campaign that never ran can be archived at once.
    TRANSITIONS = {
        Status.PLANNED: {Status.ACTIVE, Status.ARCHIVED},
        Status.ACTIVE: {Status.ENDED},
        Status.ENDED: {Status.ARCHIVED},
        Status.ARCHIVED: set(),
    }
    # The button that moves a campaign into each state.
    ACTIONS = {Status.ACTIVE: _("开启"), Status.ENDED: _("结束"), Status.ARCHIVED: _("归档")}

    name = models.CharField(_("名称"), max_length=100, unique=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.PLANNED)
    retention_days = models.PositiveIntegerField(
        _("敏感记录保存天数"),
        default=180,
        help_text=_("活动结束后，健康、行踪与心理咨询记录保存的天数，期满清除。"),
    )
    roles = models.JSONField(
        _("开启的“八员”角色"),
        default=all_service_roles,
        help_text=_("未开启的角色不在菜单中出现。"),
    )

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("结束日期早于开始日期。"),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def purge_on(self):
        """The day its sensitive records are purged: none while it runs."""
        if self.ends_on and self.status in (self.Status.ENDED, self.Status.ARCHIVED):
            return self.ends_on + timedelta(days=self.retention_days)
        return None

    @property
    def role_labels(self):
        return [ServiceRole(role).label for role in self.roles]


class Unit(MP_Node):
    """A node of the one unit tree. Subtree questions are one indexed prefix match on `path`."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("省级")
        UNIVERSITY = "university", _("学校")
        PARTY_COMMITTEE = "committee", _("分党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        DIRECT_BRANCH = "direct_branch", _("直属党支部")
        BRANCH = "branch", _("党支部")
        DEPARTMENT = "department", _("部门")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    code = models.CharField(
        _("单位代码"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_-]+$", _("单位代码只能包含字母、数字、下划线和连字符。"))
        ],
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind)
    # A university under a province root that lends its experts to the other universities'
    # help requests, and has its own requests matched against theirs (双服务 across the province).
    shares_experts = models.BooleanField(_("参与全省专家共享"), default=False)
    # A university under a province root that lets the province admin read its people's records
    # (contact details, check-ins, health alerts), not only the counts. Counselling is never shared.
    shares_details = models.BooleanField(_("向省级管理员共享人员信息"), default=False)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        # On PostgreSQL a prefix LIKE uses an index only with the pattern operator class.
        indexes = [
            models.Index(
                fields=["path"], opclasses=["varchar_pattern_ops"], name="unit_path_prefix"
            )
        ]

    def __str__(self):
        return self.name


class TitleLevel(models.TextChoices):
    SENIOR = "senior", _("正高级")
    ASSOCIATE = "associate", _("副高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级")
    NONE = "none", _("无")


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc_member", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CPC_ACTIVIST = "cpc_activist", _("入党积极分子")
    LEAGUE_MEMBER = "league_member", _("共青团员")
    DEMOCRATIC_PARTY = "democratic_party", _("民主党派")
    MASSES = "masses", _("群众")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


staff_no_validator = RegexValidator(r"^[A-Za-z0-9]{4,20}$", _("工号应为 4–20 位字母或数字。"))
mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入 11 位中国大陆手机号码。"))
qq_validator = RegexValidator(r"^[1-9]\d{4,11}$", _("QQ 号应为 5–12 位数字。"))
wechat_validator = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_-]{5,19}$",
    _("微信号应为 6–20 位，以字母开头，可含字母、数字、下划线和减号。"),
)


class Person(models.Model):
    """A member of staff. Outside requesters and donors are not people here: they have no 工号."""

    staff_no = models.CharField(
        _("工号"), max_length=20, unique=True, validators=[staff_no_validator]
    )
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="people"
    )
    title_level = models.CharField(
        _("职称级别"), max_length=16, choices=TitleLevel, default=TitleLevel.NONE
    )
    title = models.CharField(_("职称"), max_length=50, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, choices=PoliticalStatus)
    mobile = models.CharField(_("手机"), max_length=11, blank=True, validators=[mobile_validator])
    wechat_id = models.CharField(
        _("微信号"), max_length=20, blank=True, validators=[wechat_validator]
    )
    qq = models.CharField(_("QQ"), max_length=12, blank=True, validators=[qq_validator])
    email = models.EmailField(_("电子邮箱"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["staff_no"]
        indexes = [
            models.Index(fields=["unit", "staff_no"]),
            # The check-in dashboards' head count per unit, from the index alone.
            models.Index(
                fields=["unit"], condition=Q(user__isnull=False), name="person_with_account"
            ),
            models.Index(fields=["title_level"]),
            models.Index(fields=["political_status"]),
        ]

    def __str__(self):
        return f"{self.name}（{self.staff_no}）"

    def clean(self):
        # 工号 are matched by imports and used as usernames: one spelling only.
        self.staff_no = self.staff_no.strip().upper()


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("组织部管理员")
    UNIT_ADMIN = "unit_admin", _("单位管理员")
    # Above several universities (省委教育工委): their figures, never one person's records.
    PROVINCE_ADMIN = "province_admin", _("省级管理员")
    COUNSELLOR = "counsellor", _("心理咨询师")
    COUNSELLING_COORDINATOR = "counselling_coordinator", _("心理咨询协调员")


ROLES_NEEDING_UNIT = {Role.UNIT_ADMIN, Role.PROVINCE_ADMIN}


class RoleGrant(models.Model):
    """(account, role, unit). Being a talent follows from being a person, not from a grant."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="rolegrant_unique"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True),
                name="rolegrant_unique_global",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="unit_admin") | models.Q(unit__isnull=False),
                name="rolegrant_unit_admin_has_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="province_admin") | models.Q(unit__isnull=False),
                name="rolegrant_province_admin_has_unit",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}" + (
            f" · {self.unit}" if self.unit_id else ""
        )


class PersonRead(models.Model):
    """A read of someone's record with their contact details (the person page, the API): who,
    whose, how, when. Kept after the person's record goes."""

    class Via(models.TextChoices):
        PAGE = "page", _("查看人员页面")
        API = "api", _("接口读取")

    # Read-log rows are never updated (the application may not): a deleted account or person
    # leaves its id behind rather than being set to NULL.
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    person = models.ForeignKey(
        Person, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="reads"
    )
    person_number = models.PositiveBigIntegerField()
    via = models.CharField(max_length=8, choices=Via)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("人员信息查阅日志")
        verbose_name_plural = _("人员信息查阅日志")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.viewer_id} {self.via} {self.person_number}"
