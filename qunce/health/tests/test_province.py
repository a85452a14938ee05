"""Two universities under one province root (built by seed_province): each university's admin
sees only their university, and the province admin sees the universities' figures but never a
person's record."""

import pytest
from django.test import Client
from django.utils import timezone

from qunce.conftest import signed_in
from qunce.demo.province import province_token
from qunce.health.models import Checkin, HealthAlert
from qunce.org.models import Person

pytestmark = pytest.mark.django_db


def test_the_province_admin_sees_each_universitys_figures_and_no_one(province):
    page = signed_in(province["overseer"]).get("/health/province/")
    assert page.status_code == 200
    html = page.content.decode()
    assert province["first"].name in html and province["second"].name in html
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    reported = Checkin.objects.filter(
        day=yesterday, person__unit__path__startswith=province["first"].path
    ).count()
    day_page = signed_in(province["overseer"]).get(f"/health/province/?day={yesterday}")
    assert f"<td>{reported}</td>" in day_page.content.decode()
    for person in Person.objects.all()[:50]:
        assert person.name not in html and person.staff_no not in html
    # The figures name no unit to open: a university's own dashboard is not theirs.
    assert "?unit=" not in html.split("<table", 1)[1].split("</table>", 1)[0]


def test_the_province_admin_finds_the_overview_from_the_home_page(province):
    home = signed_in(province["overseer"]).get("/").content.decode()
    assert 'href="/health/province/"' in home and "尚未关联人员信息或角色" not in home


def test_the_province_admin_opens_no_ones_record_page_api_or_export(province):
    client = signed_in(province["overseer"])
    person = province["first_person"]
    assert client.get(f"/health/people/{person.pk}/").status_code == 404
    assert client.get(f"/talents/people/{person.pk}/").status_code in (403, 404)
    assert client.get("/health/dashboard/").status_code == 403
    assert client.get("/health/dashboard/export/").status_code == 403
    assert client.get("/reports/export.xlsx").status_code in (403, 404)
    alert = HealthAlert.objects.first()
    if alert is not None:
        assert client.get(f"/health/alerts/{alert.pk}/").status_code in (403, 404)
    assert client.get(f"/api/v1/people/{person.pk}").status_code in (403, 404)
    # Nor does a university pass for the province in the overview.
    assert client.get(f"/health/province/?unit={province['first'].pk}").status_code == 404


def test_a_university_admin_sees_only_their_university(province):
    client = signed_in(province["first_admin"])
    theirs, other = province["first_person"], province["second_person"]
    assert client.get(f"/talents/people/{theirs.pk}/").status_code == 200
    assert client.get(f"/talents/people/{other.pk}/").status_code == 404
    assert client.get(f"/health/people/{theirs.pk}/").status_code == 200
    assert client.get(f"/health/people/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/people/{theirs.pk}").status_code == 200
    assert client.get(f"/api/v1/people/{other.pk}").status_code == 404
    assert client.get(f"/api/v1/units/{province['second'].pk}").status_code == 404
    second = province["second"].pk
    assert client.get(f"/health/dashboard/?unit={second}").status_code == 404
    assert client.get(f"/health/dashboard/export/?unit={second}").status_code == 404
    assert client.get(f"/reports/?unit={second}").status_code in (200, 404)
    assert province["second"].name not in client.get(f"/reports/?unit={second}").content.decode()
    assert client.get("/health/province/").status_code == 403
    assert client.get(f"/health/dashboard/?unit={province['first'].pk}").status_code == 200


def test_a_member_of_staff_checks_in_with_their_token_at_either_university(province):
    client = Client()
    for person in (province["first_person"], province["second_person"]):
        response = client.get(
            "/api/v1/health/checkins",
            headers={"Authorization": f"Bearer {province_token(3, person.staff_no)}"},
        )
        assert response.status_code == 200
