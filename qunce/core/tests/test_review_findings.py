"""Findings of the code review (the trust issue, §9), each held by a test."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from qunce.accounts.services import api_token_create
from qunce.org.models import Unit

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo", people=50)
    assert not Unit.objects.exists()


def _start(**environment):
    """Import the settings in a fresh interpreter the way a server starts."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "qunce.settings", **environment},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_malformed_counselling_key_stops_the_start():
    started = _start(COUNSELLING_KEY="not-a-key")
    assert started.returncode != 0
    assert "COUNSELLING_KEY is not a Fernet key" in started.stderr
    good = "cXVuY2UtY2hlY2tpbi1iZW5jaC1rZXktbm90LXJlYWw="
    assert _start(COUNSELLING_KEY=good).returncode == 0


def test_a_token_of_an_account_that_must_change_its_password_is_refused(world):
    user = world.users.unit_admin_a
    _, raw = api_token_create(user=user, name="同步", acting_user=user)
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    refused = Client().get("/api/v1/me", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "请先修改初始密码。"
