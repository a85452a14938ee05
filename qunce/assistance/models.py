"""Help requests (技术员 §二): enterprises and farmers ask, experts answer, the office follows up."""

import hashlib

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qunce.codes.models import Industry, Region
from qunce.org.models import Campaign, Person, Unit, mobile_validator


def token_digest(raw_token):
    return hashlib.sha256(raw_token.encode()).hexdigest()


class HelpRequest(models.Model):
    class RequesterType(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        FARMER = "farmer", _("农户")
        COOPERATIVE = "cooperative", _("合作社")
        GOVERNMENT = "government", _("政府部门")
        OTHER = "other", _("其他")

    class Category(models.TextChoices):
        RESUMPTION = "resumption", _("复工复产技术难题")
        EQUIPMENT = "equipment", _("设备")
        PROCESS = "process", _("工艺")
        FARMING = "farming", _("种植养殖与病虫害")
        EPIDEMIC_SUPPLIES = "epidemic_supplies", _("防疫物资生产")
        MANAGEMENT = "management", _("经营管理与财务")
        LAW = "law", _("法律政策")
        OTHER = "other", _("其他")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")
        CRITICAL = "critical", _("十分紧急")

    class Channel(models.TextChoices):
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        QQ = "qq", _("QQ")
        VIDEO = "video", _("视频")
        ON_SITE = "on_site", _("现场")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        TRIAGED = "triaged", _("已分类")
        REJECTED = "rejected", _("不予受理")
        INVITED = "invited", _("已邀请专家")
        ACCEPTED = "accepted", _("专家已接单")
        IN_SERVICE = "in_service", _("服务中")
        RESOLVED = "resolved", _("已解决")
        FOLLOWED_UP = "followed_up", _("已回访")
        CLOSED = "closed", _("已办结")

    # The states a request may go to from each state. Reassigning goes back to INVITED; reopening
    # goes back to IN_SERVICE; a request whose invited experts all decline returns to TRIAGED; a
    # request routed to another university waits there as SUBMITTED for its office to triage.
    TRANSITIONS = {
        Status.SUBMITTED: {Status.TRIAGED, Status.REJECTED, Status.SUBMITTED},
        Status.TRIAGED: {Status.INVITED, Status.REJECTED, Status.SUBMITTED},
        Status.INVITED: {Status.ACCEPTED, Status.TRIAGED, Status.INVITED},  # re-invite others
        Status.ACCEPTED: {Status.IN_SERVICE, Status.INVITED},
        Status.IN_SERVICE: {Status.RESOLVED, Status.INVITED},
        Status.RESOLVED: {Status.FOLLOWED_UP, Status.IN_SERVICE},
        Status.FOLLOWED_UP: {Status.CLOSED, Status.IN_SERVICE},
        Status.CLOSED: {Status.IN_SERVICE},
        Status.REJECTED: set(),
    }
    OPEN_STATES = (Status.ACCEPTED, Status.IN_SERVICE)

    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    # The university whose office (组织部) handles the request; none in a one-university
    # installation, or while it waits for the province to route it.
    university = models.ForeignKey(
        Unit,
        verbose_name=_("承办高校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.UNIVERSITY},
    )
    token_expires_at = models.DateTimeField(_("查询链接有效期"))
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("专项行动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requester_type = models.CharField(_("需求方类型"), max_length=16, choices=RequesterType)
    organization = models.CharField(_("单位名称"), max_length=100)
    contact_name = models.CharField(_("联系人"), max_length=50)
    mobile = models.CharField(_("手机"), max_length=11, validators=[mobile_validator])
    region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("所属行业"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("问题类别"), max_length=20, choices=Category)
    description = models.TextField(_("问题描述"), max_length=5000)
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency, default=Urgency.NORMAL
    )
    preferred_channel = models.CharField(_("希望的联系方式"), max_length=10, choices=Channel)
    consent = models.BooleanField(_("同意使用联系方式"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.SUBMITTED)
    status_changed_at = models.DateTimeField(_("状态时间"), auto_now_add=True)
    triaged_at = models.DateTimeField(_("分类时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    rejection_reason = models.CharField(_("不予受理理由"), max_length=300, blank=True)
    expert = models.ForeignKey(
        Person,
        verbose_name=_("服务专家"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    resolution_summary = models.TextField(_("解决情况"), max_length=3000, blank=True)
    followup_satisfaction = models.PositiveSmallIntegerField(
        _("回访满意度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    followup_solved = models.BooleanField(_("问题是否解决"), null=True, blank=True)
    followup_note = models.TextField(_("回访记录"), max_length=1000, blank=True)
    requester_rating = models.PositiveSmallIntegerField(
        _("需求方评分"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    requester_comment = models.CharField(_("需求方评价"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("技术服务需求")
        verbose_name_plural = _("技术服务需求")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(fields=["mobile", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_category_display()}"


class Invitation(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("待回复")
        ACCEPTED = "accepted", _("已接单")
        DECLINED = "declined", _("已婉拒")
        RELEASED = "released", _("已释放")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="invitations")
    expert = models.ForeignKey(
        Person, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="invitations"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.INVITED)
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("婉拒理由"), max_length=300, blank=True)
    match_reasons = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("专家邀请")
        verbose_name_plural = _("专家邀请")
        constraints = [
            models.UniqueConstraint(fields=["request", "expert"], name="one_invitation_per_expert")
        ]

    def __str__(self):
        return f"{self.request} → {self.expert}"


class Consultation(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="consultations")
    expert = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consultations")
    held_on = models.DateField(_("日期"))
    channel = models.CharField(_("方式"), max_length=10, choices=HelpRequest.Channel)
    minutes = models.PositiveIntegerField(
        _("时长（分钟）"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    advice = models.TextField(_("咨询内容与建议"), max_length=3000)
    logged_at = models.DateTimeField(auto_now_add=True)
    # Set when a follow-up entered this consultation in the contribution ledger.
    credited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("咨询记录")
        verbose_name_plural = _("咨询记录")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.request} {self.held_on}"


class RequesterNote(models.Model):
    """More information the requester adds through the tracking link."""

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="requester_notes"
    )
    text = models.TextField(_("补充说明"), max_length=2000)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at"]

    def __str__(self):
        return self.text[:40]


class RequestReminder(models.Model):
    """One reminder per request per kind per stage, so the periodic job never repeats itself."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    stage_since = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "stage_since"], name="one_request_reminder_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.request} {self.kind}"


class MatchIndexSnapshot(models.Model):
    """The expert-matching index as built from the registry, stored so every web process loads
    the same one instead of building its own; only the newest is kept."""

    built_at = models.DateTimeField(_("构建时间"), default=timezone.now)
    # Profiles changed after this moment are applied on top by each process.
    profiles_as_of = models.DateTimeField(_("档案截至"))
    profiles = models.PositiveIntegerField(_("档案数"))
    training_queries = models.PositiveIntegerField(_("训练样本数"), default=0)
    data = models.BinaryField()

    class Meta:
        verbose_name = _("专家匹配索引")
        verbose_name_plural = _("专家匹配索引")

    def __str__(self):
        return f"{self.built_at:%Y-%m-%d %H:%M} · {self.profiles}"
