"""Writes of accounts: creation for a person, password changes, API tokens."""

import datetime
import functools
import logging
import secrets
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_cas_ng.models import SessionTicket
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qunce.core.models import AuditEvent
from qunce.core.prepared import prepared_cursor
from qunce.core.services import audit_record
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import Person, Role, RoleGrant

from .models import ApiToken, LinkedIdentity, User, api_token_digest

security_log = logging.getLogger("qunce.security")

# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    return "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(12))


@transaction.atomic
def account_create_for_person(*, person: Person, acting_user: User) -> tuple[User, str]:
    """Create the login account of a person (username = 工号). Returns (user, one-time password)."""
    if not access_for(acting_user).administers_unit(person.unit):
        raise PermissionDenied(_("您无权为该人员创建账号。"))
    person = type(person).objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        raise ValidationError({"user": _("该人员已有登录账号。")})
    if User.objects.filter(username__iexact=person.staff_no).exists():
        raise ValidationError(
            {"user": _("用户名 %(username)s 已被占用。") % {"username": person.staff_no}}
        )
    user = User.objects.create(
        username=person.staff_no,
        email=person.email,
        first_name=person.name,
        must_change_password=True,
    )
    person.user = user
    person.save(update_fields=["user"])
    audit_record(
        actor=acting_user, action="account_create", target=user, changes={"person": person.pk}
    )
    return user, _issue_initial_password(user)


def may_reset_password(actor: User, user: User) -> bool:
    """Whether `actor` may give `user` a new password. Never upwards: a unit admin only resets
    accounts that hold no role, an org admin those that are not org admins or staff."""
    if user.is_superuser or user.is_staff:
        return False
    held = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    if access_for(actor).is_org_admin:
        return Role.ORG_ADMIN not in held
    return not held


@transaction.atomic
def account_issue_initial_password(*, person: Person, acting_user: User) -> str:
    """A new one-time password for an account that has none yet (e.g. one made by an import),
    or whose owner forgot theirs. Returns the password, shown once."""
    if not access_for(acting_user).administers_unit(person.unit):
        raise PermissionDenied(_("您无权为该人员重置密码。"))
    if person.user_id is None:
        raise ValidationError({"user": _("该人员还没有登录账号。")})
    user = User.objects.select_for_update().get(pk=person.user_id)
    if not may_reset_password(acting_user, user):
        raise PermissionDenied(_("该账号持有管理角色，只能由上级管理员重置密码。"))
    password = _issue_initial_password(user)
    audit_record(actor=acting_user, action="account_initial_password", target=user)
    return password


def _issue_initial_password(user):
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


@transaction.atomic
def password_changed(*, user: User) -> None:
    """Record that the user chose their own password (the form has already saved it)."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    audit_record(actor=user, action="password_change", target=user)


TOKEN_LIFETIMES_DAYS = (30, 90, 180, 365)


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    acting_user: User,
    scope: str = ApiToken.Scope.WRITE,
    lifetime_days: int = 365,
) -> tuple[ApiToken, str]:
    """Create a token for `user`. Returns (token row, raw token); the raw token is not stored.
    A read-only token may only query (the page offers it first: most integrations only read)."""
    if acting_user != user:
        restrict(acting_user, Action.MANAGE_API_TOKENS)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌用途。")})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("权限范围只能是只读或读写。")})
    if lifetime_days not in TOKEN_LIFETIMES_DAYS:
        raise ValidationError({"lifetime_days": _("有效期只能是 30、90、180 或 365 天。")})
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        digest=api_token_digest(raw),
        expires_at=timezone.now() + datetime.timedelta(days=lifetime_days),
    )
    audit_record(
        actor=acting_user, action="api_token_create", target=token, changes={"scope": scope}
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user: User) -> ApiToken:
    """Revoke a token at once; a revoked token stays listed with the time it was revoked."""
    if acting_user != token.user:
        restrict(acting_user, Action.MANAGE_API_TOKENS)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("该令牌已吊销。"))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=acting_user, action="api_token_revoke", target=token)
    return token


TOKEN_USE_RECORDED_EVERY = datetime.timedelta(minutes=1)


def api_token_user(raw_token: str) -> tuple[User, ApiToken] | None:
    """(active account, token) behind a raw token, or None; notes when it was last used (to
    the minute, which spares a write per call)."""
    digest = api_token_digest(raw_token)
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _token_lookup_and_stamp(digest, now)
    token = (
        # The person comes along: most token calls act as, or for, the account's person.
        ApiToken.objects.select_related("user__person")
        .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
        .exclude(expires_at__lte=now)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token


def _columns(model, alias):
    fields = model._meta.concrete_fields
    return [f.attname for f in fields], ", ".join(f'{alias}."{f.column}"' for f in fields)


@functools.cache
def _token_lookup_statement():
    """The same lookup as the ORM's above, and the stamp, in one statement: the morning's
    check-ins each come with a token not seen that day, so both happen on nearly every call."""
    token_names, token_columns = _columns(ApiToken, "token")
    user_names, user_columns = _columns(User, "account")
    person_names, person_columns = _columns(Person, "person")
    statement = f"""
        WITH found AS (
            SELECT token.id AS token_id, {token_columns}, {user_columns}, {person_columns}
            FROM accounts_apitoken token
            JOIN accounts_user account ON account.id = token.user_id
            LEFT JOIN org_person person ON person.user_id = account.id
            WHERE token.digest = %(digest)s AND token.revoked_at IS NULL
                AND account.is_active AND (token.expires_at IS NULL OR token.expires_at > %(now)s)
        ), stamped AS (
            UPDATE accounts_apitoken SET last_used_at = %(now)s
            WHERE id = (SELECT token_id FROM found)
                AND (last_used_at IS NULL OR last_used_at < %(stale)s)
        )
        SELECT * FROM found
    """
    return statement, token_names, user_names, person_names


def _token_lookup_and_stamp(digest, now):
    statement, token_names, user_names, person_names = _token_lookup_statement()
    with prepared_cursor() as cursor:
        cursor.execute(
            statement, {"digest": digest, "now": now, "stale": now - TOKEN_USE_RECORDED_EVERY}
        )
        row = cursor.fetchone()
    if row is None:
        return None
    values = row[1:]
    token = ApiToken.from_db("default", token_names, values[: len(token_names)])
    values = values[len(token_names) :]
    user = User.from_db("default", user_names, values[: len(user_names)])
    person_values = values[len(user_names) :]
    # The person's id is NULL when the account has none (a requester organisation's account).
    person = Person.from_db("default", person_names, person_values) if person_values[0] else None
    if token.last_used_at is None or token.last_used_at < now - TOKEN_USE_RECORDED_EVERY:
        token.last_used_at = now
    # Related objects cached as select_related caches them (None: user.person raises).
    user._state.fields_cache["person"] = person
    if person is not None:
        person._state.fields_cache["user"] = user
    token._state.fields_cache["user"] = user
    return user, token


# -- a second factor for administrators (TOTP, with one-time recovery codes) ------------------

RECOVERY_CODES = 10


def needs_second_factor(user: User) -> bool:
    """Administrators (a province's included), Django staff, and those who read counselling
    content."""
    return user.is_staff or access_for(user).holds_privileged_role


def second_factor_needed(user: User) -> str:
    """What a signed-in account must do before anything else: "verify" (an administrator with
    an authenticator who has not used it in this session), "setup" (one without, when
    TWO_FACTOR_REQUIRED) or "" (nothing)."""
    verified = getattr(user, "is_verified", None)
    if not user.is_authenticated or (verified is not None and verified()):
        return ""
    if not needs_second_factor(user):
        return ""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return "verify"
    return "setup" if settings.TWO_FACTOR_REQUIRED else ""


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new authenticator secret, unconfirmed until the person types a code it shows."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("手机验证器"), confirmed=False)


@transaction.atomic
def totp_device_confirm(
    *, user: User, device_id: int | str, token: str
) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with its current code; it replaces any earlier one and comes
    with fresh recovery codes. Returns (device, recovery codes)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(pk=device_id, user=user, confirmed=False)
        .first()
    )
    if device is None:
        raise ValidationError({"token": _("设置已过期，请重新扫描二维码。")})
    if not device.verify_token(_digits(token)):
        raise ValidationError({"token": _("验证码不正确或已过期，请输入验证器上最新的 6 位数字。")})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = recovery_codes_renew(user=user)
    audit_record(actor=user, action="two_factor_enrolled", target=user)
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new one-time recovery codes; the earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery codes"}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_check(*, user: User, token: str) -> Device:
    """The device a code belongs to (the authenticator, or a recovery code, used up), or a
    refusal. Each device slows down after failures (django-otp's throttling)."""
    device = match_token(user, _digits(token)) if token else None
    if device is None:
        raise ValidationError(
            {"token": _("验证码不正确。请输入验证器上的 6 位数字，或一个未用过的恢复码。")}
        )
    if isinstance(device, StaticDevice):
        audit_record(actor=user, action="recovery_code_used", target=user)
    return device


@transaction.atomic
def two_factor_reset(*, user: User, acting_user: User | None = None) -> int:
    """Remove an account's authenticator and recovery codes (a lost phone): it sets up anew at
    its next sign-in."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit_record(actor=acting_user, action="two_factor_reset", target=user)
    return removed


def _digits(token):
    return "".join(str(token).split())[:32]


# -- campus sign-in (CAS, OpenID Connect) -------------------------------------------------------


class IdentityRefused(Exception):
    """A campus identity that may not sign in. `message` is for the person; `detail` only for
    the log (it may name what the identity provider sent)."""

    def __init__(self, message, detail=""):
        super().__init__(message)
        self.message = message
        self.detail = detail or str(message)


@transaction.atomic
def identity_sign_in(
    *,
    provider: str,
    issuer: str,
    subject: str,
    staff_no: str,
    roles: Iterable[str] | None = None,
) -> User:
    """The account a campus identity signs in as: that of the person whose 工号 it carries,
    made for that person if they have none yet. The identity is linked to the account the first
    time, and must still lead to the same account every time after (a 工号 given to someone
    else, or an account replaced, is refused rather than followed). Nobody outside the registry
    gets an account, and nothing the identity provider says gives a role, unless the roles
    it names are mapped by IDENTITY_ROLE_MAP (`roles`: those, or None when nothing is)."""
    subject = str(subject or "").strip()
    if not subject:
        raise IdentityRefused(
            _("统一身份认证没有给出您的身份标识，请联系信息化部门。"), "no subject"
        )
    staff_no = str(staff_no or "").strip().upper()
    user = _account_for_staff_no(staff_no)
    link, created = LinkedIdentity.objects.get_or_create(
        provider=provider,
        issuer=issuer,
        subject=subject,
        defaults={"user": user, "staff_no": staff_no},
    )
    if link.user_id != user.pk:
        raise IdentityRefused(
            _("该统一身份已关联到另一个群策账号，请联系组织部核对。"),
            f"identity {subject} linked to account {link.user_id}, 工号 {staff_no} is account {user.pk}",
        )
    if not user.is_active:
        raise IdentityRefused(
            _("您的群策账号已停用，请联系所在单位管理员。"), f"account {user.pk} inactive"
        )
    if created:
        audit_record(
            actor=user,
            action="identity_link",
            target=link,
            changes={"provider": provider, "issuer": issuer, "subject": subject},
        )
    link.last_login_at = timezone.now()
    link.save(update_fields=["last_login_at"])
    if roles is not None:
        _identity_roles_follow(user, set(roles))
    return user


def _identity_roles_follow(user, roles):
    """The mapped roles of `user` become exactly those the identity carries."""
    governed = set(settings.IDENTITY_ROLE_MAP.values())
    roles &= governed
    held = set(
        RoleGrant.objects.filter(user=user, role__in=governed, unit__isnull=True).values_list(
            "role", flat=True
        )
    )
    for role in roles - held:
        grant = RoleGrant.objects.create(user=user, role=role)
        audit_record(actor=None, action="role_grant_by_identity", target=grant)
    gone = held - roles
    if gone:
        RoleGrant.objects.filter(user=user, role__in=gone, unit__isnull=True).delete()
        audit_record(
            actor=None,
            action="role_revoke_by_identity",
            target=user,
            changes={"roles": sorted(gone)},
        )


def _account_for_staff_no(staff_no):
    if not staff_no:
        raise IdentityRefused(
            _("统一身份认证没有给出您的工号，群策无法确认您是谁。请联系信息化部门。"), "no 工号"
        )
    person = Person.objects.select_for_update().filter(staff_no=staff_no).first()
    if person is None:
        raise IdentityRefused(
            _(
                "工号 %(staff_no)s 不在群策的人员名册中，无法登录。如您是本校教职工，请联系所在单位管理员核对名册。"
            )
            % {"staff_no": staff_no},
            f"工号 {staff_no} matches no person",
        )
    if person.user_id is not None:
        return User.objects.get(pk=person.user_id)
    if User.objects.filter(username__iexact=staff_no).exists():
        raise IdentityRefused(
            _("用户名 %(staff_no)s 已被另一个账号占用，请联系组织部核对。")
            % {"staff_no": staff_no},
            f"username {staff_no} taken by an account without this person",
        )
    user = User(username=staff_no, email=person.email, first_name=person.name)
    # Signs in through the campus service only, until the person chooses a password.
    user.set_unusable_password()
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    audit_record(actor=user, action="account_create", target=user, changes={"person": person.pk})
    return user


def password_login_allowed(user: User) -> bool:
    """Whether `user` may sign in with a password. With PASSWORD_LOGIN_FOR_STAFF off, only
    accounts of no person in the registry (outside requesters' staff) and superusers (the
    break-glass accounts) may; people in the registry use the campus sign-in."""
    return settings.PASSWORD_LOGIN_FOR_STAFF or user.is_superuser or not hasattr(user, "person")


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


@transaction.atomic
def cas_sessions_end(*, tickets: Iterable[str]) -> int:
    """Single logout: end the sessions that signed in with these CAS service tickets (the CAS
    server names them when its user signs out anywhere). Returns how many ended."""
    store = _session_store()
    signed_in = SessionTicket.objects.filter(ticket__in=tickets)
    for session_ticket in signed_in:
        store(session_key=session_ticket.session_key).flush()
    return signed_in.delete()[0]


def identity_refusal_record(
    *, provider: str, reason: str, detail: str, address: str | None
) -> None:
    """A refused campus sign-in, in the security log and the audit trail (there is no account
    to hang it on: the row names the provider)."""
    security_log.warning(
        "campus sign-in refused: provider=%s address=%s reason=%s", provider, address, detail
    )
    AuditEvent.objects.create(
        actor=None,
        action="identity_refused",
        target_type="accounts.linkedidentity",
        target_id=provider,
        changes={"reason": str(reason), "detail": detail[:500], "address": address},
    )


def ended_sessions_purge() -> int:
    """Remove expired sessions and the CAS tickets of sessions that have ended (a ticket is
    kept per session only so that the CAS server's logout request can find it). Returns the
    number of tickets removed."""
    store = _session_store()
    store.clear_expired()
    ended = [
        ticket.pk
        for ticket in SessionTicket.objects.only("session_key").iterator()
        if not store().exists(ticket.session_key)
    ]
    return SessionTicket.objects.filter(pk__in=ended).delete()[0]
