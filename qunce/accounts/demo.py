"""The demo's API token: the university's data centre reads the registry with it."""

from .models import ApiToken, User
from .services import api_token_create


def build_demo_api_token():
    """A read-only token the org admin issued to the data centre (run after the demo's people)."""
    admin = User.objects.get(username="orgadmin")
    api_token_create(
        user=admin,
        name="学校数据中心 · 每日同步人才库（演示）",
        scope=ApiToken.Scope.READ,
        acting_user=admin,
    )
    return {"api_tokens": 1}
