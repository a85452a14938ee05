import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login account. The person behind it (工号, unit, 职称…) is org.Person."""

    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("由管理员创建的账号，首次登录后必须先修改密码。"),
    )

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        # The few switched-off accounts, found without reading a province's million: the
        # dashboard leaves them off its list of who has not reported.
        indexes = [
            models.Index(fields=["id"], condition=Q(is_active=False), name="user_inactive"),
        ]


def api_token_digest(raw_token):
    return hashlib.sha256(raw_token.encode()).hexdigest()


class ApiToken(models.Model):
    """A token for integrations. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )

    class Scope(models.TextChoices):
        READ = "read", _("只读（仅查询）")
        WRITE = "write", _("读写")

    name = models.CharField(_("用途"), max_length=100)
    scope = models.CharField(_("权限范围"), max_length=8, choices=Scope, default=Scope.WRITE)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    # Tokens made before expiry existed have none; every new one has one.
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.user} / {self.name}"

    @property
    def expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @staticmethod
    def new_raw_token():
        return "qc_" + secrets.token_urlsafe(32)


class LinkedIdentity(models.Model):
    """An identity of the campus's identity service that signs in as this account. Made at the
    first sign-in, when the identity's 工号 matched the account's person."""

    class Provider(models.TextChoices):
        CAS = "cas", _("统一身份认证（CAS）")
        OIDC = "oidc", _("OpenID Connect")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="linked_identities",
    )
    provider = models.CharField(_("认证方式"), max_length=8, choices=Provider)
    # The CAS server's address, or the OpenID provider's `iss`: one subject is unique per issuer.
    issuer = models.CharField(_("认证服务"), max_length=255)
    subject = models.CharField(_("身份标识"), max_length=255)
    staff_no = models.CharField(_("关联时的工号"), max_length=20)
    linked_at = models.DateTimeField(_("关联时间"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("最近登录"), null=True, blank=True)

    class Meta:
        verbose_name = _("统一身份")
        verbose_name_plural = _("统一身份")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "issuer", "subject"], name="linked_identity_unique_subject"
            )
        ]

    def __str__(self):
        return f"{self.get_provider_display()} {self.subject}"
