"""A web worker imports every view and builds its URL tables when it starts (or once in the
gunicorn master with --preload), not on the first request it answers."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PROBE = """
import json, sys
import qunce.wsgi
from django.db import connections
from django.urls import get_resolver
print(json.dumps({
    "populated": get_resolver()._populated,
    "views_imported": all(name in sys.modules for name in (
        "qunce.health.views", "qunce.reports.views", "qunce.api")),
    "database_connected": any(
        c.connection is not None for c in connections.all(initialized_only=True)),
}))
"""


def test_importing_the_wsgi_application_warms_the_worker_without_connecting():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    state = json.loads(result.stdout.strip().splitlines()[-1])
    # Warm: the first request pays no imports. Not connected: with --preload this runs in
    # the master, whose connections the forked workers must not share.
    assert state == {"populated": True, "views_imported": True, "database_connected": False}
