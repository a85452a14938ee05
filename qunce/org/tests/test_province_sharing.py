"""A university of a province shares its people's records with the province admin (issue 16):
its own 组织部 decides, the province admin then reads them (never changes them, every read
logged) and sees the university's own dashboard; counselling is never shared."""

import pytest

from qunce.conftest import signed_in
from qunce.core.models import AuditEvent
from qunce.health.models import CheckinAccess
from qunce.org.models import Person, PersonRead, Unit

pytestmark = pytest.mark.django_db


def share_details(province, shares):
    return signed_in(province["first_admin"]).post(
        f"/org/units/{province['first'].pk}/sharing/",
        {"sharing": "shares_details", "shares": "1" if shares else "0", "next": "/org/units/"},
    )


def test_a_universitys_office_shares_its_people_with_the_province_and_takes_them_back(province):
    first, person = province["first"], province["first_person"]
    overseer = signed_in(province["overseer"])
    assert overseer.get(f"/talents/people/{person.pk}/").status_code == 404
    assert overseer.get("/talents/people/").status_code == 403
    assert overseer.get(f"/health/dashboard/?unit={first.pk}").status_code == 403

    tree = signed_in(province["first_admin"]).get("/org/units/").content.decode()
    assert "向省级管理员共享人员信息：未共享" in tree and "共享给省级管理员" in tree
    assert f'id="shares_details-{province["second"].pk}"' not in tree
    response = share_details(province, True)
    assert response.status_code == 302 and response["Location"] == "/org/units/"
    first.refresh_from_db()
    assert first.shares_details and not province["second"].shares_details
    assert AuditEvent.objects.filter(action="detail_sharing_set", target_id=str(first.pk)).exists()

    record = overseer.get(f"/talents/people/{person.pk}/")
    assert record.status_code == 200 and person.name in record.content.decode()
    if person.mobile:
        assert person.mobile in record.content.decode()
    assert PersonRead.objects.filter(viewer=province["overseer"], person=person).exists()
    assert overseer.get(f"/health/people/{person.pk}/").status_code == 200
    assert CheckinAccess.objects.filter(
        viewer=province["overseer"], person_id=person.pk, what=CheckinAccess.What.HISTORY
    ).exists()
    other = province["second_person"]
    found = overseer.get(f"/talents/people/?q={person.staff_no}").content.decode()
    assert f'href="/talents/people/{person.pk}/"' in found
    found = overseer.get(f"/talents/people/?q={other.staff_no}").content.decode()
    assert f'href="/talents/people/{other.pk}/"' not in found
    assert overseer.get(f"/health/dashboard/?unit={first.pk}").status_code == 200
    assert overseer.get("/health/dashboard/export/").status_code == 200
    overview = overseer.get("/health/province/").content.decode()
    assert f"?unit={first.pk}&amp;" in overview and "已共享人员信息" in overview
    assert f"?unit={province['second'].pk}&amp;" not in overview

    share_details(province, False)
    assert overseer.get(f"/talents/people/{person.pk}/").status_code == 404
    assert overseer.get(f"/health/dashboard/?unit={first.pk}").status_code == 403


def test_the_province_admin_reads_a_shared_university_but_changes_nothing_there(province):
    share_details(province, True)
    overseer = signed_in(province["overseer"])
    person, other = province["first_person"], province["second_person"]
    assert overseer.get(f"/talents/people/{other.pk}/").status_code == 404
    assert overseer.get(f"/health/people/{other.pk}/").status_code == 404
    assert overseer.get(f"/health/dashboard/?unit={province['second'].pk}").status_code == 404
    assert overseer.post(f"/accounts/people/{person.pk}/account/").status_code == 403
    assert overseer.get(f"/talents/{person.pk}/edit/").status_code in (403, 404)
    assert overseer.get("/talents/import/").status_code == 403
    # The API reads as the pages do, and writes nothing either.
    assert overseer.get(f"/api/v1/people/{person.pk}").status_code == 200
    assert overseer.get(f"/api/v1/people/{other.pk}").status_code == 404
    patched = overseer.patch(
        f"/api/v1/people/{person.pk}", {"name": "改名"}, content_type="application/json"
    )
    assert patched.status_code == 403
    created = overseer.post(
        "/api/v1/people",
        {
            "staff_no": "P0000001",
            "name": "新人",
            "gender": "female",
            "unit_id": province["first"].pk,
            "political_status": "masses",
        },
        content_type="application/json",
    )
    assert created.status_code in (400, 422) and "unit" in created.content.decode()
    assert not Person.objects.filter(staff_no="P0000001").exists()
    person.refresh_from_db()
    assert person.name != "改名"
    # Counselling stays with the counsellors, whatever a university shares.
    assert overseer.get("/counselling/").status_code in (403, 404)
    menu = overseer.get("/").content.decode()
    assert 'href="/talents/people/"' in menu and 'href="/health/dashboard/"' in menu
    assert 'href="/org/units/"' not in menu


def test_only_the_universitys_own_office_decides_what_it_shares(province):
    first = province["first"]
    url = f"/org/units/{first.pk}/sharing/"
    asked = {"sharing": "shares_details", "shares": "1"}
    assert signed_in(province["second_admin"]).post(url, asked).status_code == 404
    assert signed_in(province["overseer"]).post(url, asked).status_code in (403, 404)
    office = signed_in(province["first_admin"])
    assert office.post(url, {"sharing": "everything", "shares": "1"}).status_code == 404
    college = Unit.objects.filter(path__startswith=first.path, depth=first.depth + 1).first()
    refused = office.post(
        f"/org/units/{college.pk}/sharing/", {**asked, "next": "/org/units/"}, follow=True
    )
    assert "只有省内的高校可以向省级管理员共享人员信息" in refused.content.decode()
    # A next that leaves the site is not followed.
    assert office.post(url, {**asked, "next": "https://example.com/"})["Location"] == "/org/units/"
    first.refresh_from_db()
    college.refresh_from_db()
    assert first.shares_details and not college.shares_details
