"""The JSON API at /api/v1/: every app's router, one auth policy, one error format."""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthorizationError, HttpError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from qunce.accounts.models import ApiToken
from qunce.accounts.services import api_token_user
from qunce.articles.api import router as articles_router
from qunce.assistance.api import router as assistance_router
from qunce.care.api import router as care_router
from qunce.consents.api import router as consents_router
from qunce.core.ratelimit import RateLimited, token_failures_limited
from qunce.counselling.api import router as counselling_router
from qunce.health.api import router as health_router
from qunce.ledger.api import router as ledger_router
from qunce.notices.api import router as notices_router
from qunce.org.api import router as org_router
from qunce.pledges.api import router as pledges_router
from qunce.proposals.api import router as proposals_router
from qunce.supplies.api import router as supplies_router
from qunce.talents.api import router as talents_router
from qunce.teaching.api import router as teaching_router


class StrictJsonParser(Parser):
    """JSON bodies, refusing control characters (NUL, which PostgreSQL text cannot hold, the
    bell, escape and the like, which no field means and no spreadsheet can hold); tab, line
    feed and carriage return stay."""

    def parse_body(self, request):
        data = super().parse_body(request)
        found = _control_character(data)
        if found is not None:
            raise ControlCharacterError(*found)
        return data


class ControlCharacterError(ValueError):
    def __init__(self, where, char):
        self.where = where
        super().__init__(
            _("“%(field)s”中含有控制字符 U+%(code)04X，请删除后重新提交。")
            % {"field": where or "body", "code": ord(char)}
        )


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_character(value, where=""):
    """(path, character) of the first control character in a parsed body, or None."""
    if isinstance(value, str):
        match = CONTROL_CHARACTERS.search(value)
        return (where, match.group()) if match else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        path = f"{where}.{key}" if where else str(key)
        found = _control_character(str(key), path) or _control_character(item, path)
        if found is not None:
            return found
    return None


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer qc_…` for integrations; the token acts as its account."""

    def authenticate(self, request, token):
        # An address guessing tokens is stopped before it can try the next one.
        if token_failures_limited(request, failed=False):
            raise RateLimited(_("无效令牌过多，请稍后再试。"), rate=settings.TOKEN_FAILURE_RATE)
        found = api_token_user(token)
        if found is None:
            token_failures_limited(request, failed=True)
            return None
        user, token_row = found
        if token_row.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            raise AuthorizationError(message=_("该令牌为只读，不能提交或修改数据。"))
        # The session's forced change runs before token authentication; a token obeys it too.
        if user.must_change_password:
            raise AuthorizationError(message=_("请先修改初始密码。"))
        request.user = user
        return user


api = NinjaAPI(
    title="Qunce 群策 API",
    version="1",
    urls_namespace="api-v1",
    auth=[ApiTokenAuth(), SessionAuth(csrf=True)],
    parser=StrictJsonParser(),
    docs_url=None,  # the interactive docs page loads from a CDN; the schema is enough offline
)


@api.exception_handler(DjangoValidationError)
def service_validation_error(request, exc):
    """A service refused the input: 422 with each offending field named, like schema errors."""
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": message, "type": "value_error"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [
            {"loc": ["body"], "msg": message, "type": "value_error"} for message in exc.messages
        ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """Ninja answers an unparsable body with a bare 400; we name the body, like any bad field."""
    if exc.status_code == 400 and isinstance(exc.__cause__, ControlCharacterError):
        where = exc.__cause__.where
        detail = [
            {
                "loc": ["body", *where.split(".")] if where else ["body"],
                "msg": str(exc.__cause__),
                "type": "value_error",
            }
        ]
        return api.create_response(request, {"detail": detail}, status=422)
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        detail = [
            {
                "loc": ["body"],
                "msg": f"请求体不是合法的 JSON：{exc.__cause__}",
                "type": "json_invalid",
            }
        ]
        return api.create_response(request, {"detail": detail}, status=422)
    response = api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(RequestDataTooBig)
def body_too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024) or 1
    detail = [
        {
            "loc": ["body"],
            "msg": f"请求体过大，上限约 {limit} MB。",
            "type": "too_large",
        }
    ]
    return api.create_response(request, {"detail": detail}, status=413)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


api.add_router("/", org_router)
api.add_router("/", talents_router)
api.add_router("/", ledger_router)
api.add_router("/", care_router)
api.add_router("/", assistance_router)
api.add_router("/", counselling_router)
api.add_router("/", supplies_router)
api.add_router("/", health_router)
api.add_router("/", notices_router)
api.add_router("/", articles_router)
api.add_router("/", proposals_router)
api.add_router("/", teaching_router)
api.add_router("/", pledges_router)
api.add_router("/", consents_router)
