from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedTextField


def stored_file_path(instance, filename):
    return f"{instance._meta.app_label}/{timezone.now():%Y/%m}/{filename}"


class StoredFile(models.Model):
    """An uploaded document that passed qunce.core.uploads.checked_upload."""

    file = models.FileField(upload_to=stored_file_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class AuditEvent(models.Model):
    """One row per write made through a service: who did what to which record, and when."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        # Audit rows are never updated (the application may not): a deleted account leaves
        # its id behind rather than being set to NULL.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64)
    changes = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class InboxMessage(models.Model):
    """The in-app channel of notifications: what a user sees under 消息."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="inbox",
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


class StateEvent(models.Model):
    """Every transition of every state machine: which record, from what, to what, who, when."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32)
    to_state = models.CharField(_("新状态"), max_length=32)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.target_type}#{self.target_id} {self.from_state}→{self.to_state}"


class GroupRobot(models.Model):
    """A unit's WeCom or DingTalk group robot: reminders reach the group chat through it."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="robots"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    name = models.CharField(_("群名称"), max_length=100)
    webhook_url = models.URLField(_("Webhook 地址"), max_length=500)
    # Encrypted at rest: with it anyone could post to the group as the robot.
    secret = EncryptedTextField(
        _("加签密钥"), max_length=100, blank=True, help_text=_("钉钉机器人开启“加签”时填写。")
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self):
        return f"{self.unit} · {self.name}"


class Delivery(models.Model):
    """One notification through one channel to one recipient, and the record of sending it.

    The dedupe key makes a periodic job that runs twice send once. Outside the inbox a message
    leaves through a background task after the write that caused it commits: the row holds what
    to send until it is sent (then the payload is emptied), how many attempts were made, the
    last error and the final state."""

    class Channel(models.TextChoices):
        INBOX = "inbox", _("站内消息")
        EMAIL = "email", _("电子邮件")
        WEBHOOK = "webhook", _("群机器人")
        SMS = "sms", _("短信")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已送达")
        FAILED = "failed", _("发送失败")

    # A worker claims a pending row (sending); the attempt ends sent, failed, or pending again
    # for a retry after a pause. A worker that dies mid-send leaves "sending" until the lease
    # runs out; the row then ends failed, not resent (it may well have arrived).
    TRANSITIONS = {
        Outcome.PENDING: {Outcome.SENDING, Outcome.FAILED},
        Outcome.SENDING: {Outcome.SENT, Outcome.PENDING, Outcome.FAILED},
        Outcome.SENT: set(),
        Outcome.FAILED: set(),
    }

    channel = models.CharField(_("渠道"), max_length=16, choices=Channel)
    dedupe_key = models.CharField(_("去重键"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    robot = models.ForeignKey(
        GroupRobot, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    subject = models.CharField(_("标题"), max_length=200)
    # What the channel sends (text, addressees): kept only until the final state.
    payload = models.JSONField(_("待发送内容"), default=dict, blank=True)
    outcome = models.CharField(_("结果"), max_length=8, choices=Outcome)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("入队时间"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("发送租约到期"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "dedupe_key"], name="one_delivery_a_key")
        ]
        # The recovery job looks for rows a lost task or a dead worker left behind.
        indexes = [models.Index(fields=["outcome", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} {self.dedupe_key} {self.outcome}"


class ScheduledRun(models.Model):
    """One due time of one periodic job, enqueued once however many schedulers run."""

    job = models.CharField(_("任务"), max_length=64)
    due_at = models.DateTimeField(_("计划时间"))
    enqueued_at = models.DateTimeField(_("入队时间"), auto_now_add=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("定时任务运行")
        verbose_name_plural = _("定时任务运行")
        ordering = ["-due_at"]
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="one_run_a_due_time")]

    def __str__(self):
        return f"{self.job} {self.due_at:%Y-%m-%d %H:%M}"
