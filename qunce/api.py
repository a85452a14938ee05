"""The JSON API at /api/v1/: every app's router, one auth policy, one error format."""

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
    """JSON bodies, refusing the NUL character that PostgreSQL text cannot hold."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _holds_nul(data):
            raise ValueError("文本中不能包含 NUL（\\u0000）字符")
        return data


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer qc_…` for integrations; the token acts as its account."""

    def authenticate(self, request, token):
        found = api_token_user(token)
        if found is None:
            return None
        user, token_row = found
        if token_row.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            raise AuthorizationError(message=_("该令牌为只读，不能提交或修改数据。"))
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
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        detail = [
            {
                "loc": ["body"],
                "msg": f"请求体不是合法的 JSON：{exc.__cause__}",
                "type": "json_invalid",
            }
        ]
        return api.create_response(request, {"detail": detail}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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
