"""The notices API: draft, publish and report as the pages do."""

import datetime
import json

from django.utils import timezone

from qunce.conftest import client_for
from qunce.notices.tests.factories import NUMBER, notice_values


def test_the_api_drafts_publishes_and_reports(world):
    org = client_for(world, "org_admin")
    body = {
        **{k: v for k, v in notice_values(world).items() if k != "units"},
        "unit_ids": [world.unit_a.pk],
        "report_deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    }
    response = org.post("/api/v1/notices", json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["document_number"] == NUMBER
    notice_id = response.json()["id"]
    bad = org.post(
        "/api/v1/notices",
        json.dumps({**body, "document_number": "科大组织部2020年6号"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "document_number"]
    admin_a = client_for(world, "unit_admin_a")
    report = admin_a.post(
        f"/api/v1/notices/{notice_id}/units/{world.unit_a.pk}/report",
        json.dumps({"text": "已组织学习"}),
        content_type="application/json",
    )
    assert report.status_code == 200 and report.json()["status"] == "reported"
    assert client_for(world, "unit_admin_b").get(f"/api/v1/notices/{notice_id}").status_code == 404
