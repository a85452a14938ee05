from django.db import connection
from django.test.utils import CaptureQueriesContext

from qunce.conftest import client_for
from qunce.org.models import PoliticalStatus, TitleLevel
from qunce.org.tests.factories import PersonFactory


def test_people_list_shows_own_subtree_for_unit_admin(world):
    content = client_for(world, "unit_admin_a").get("/talents/people/").content.decode()
    assert "甲某" in content
    assert "乙某" not in content


def test_people_list_search_by_name_and_staff_no(world):
    client = client_for(world, "org_admin")
    by_name = client.get("/talents/people/", {"q": "甲"}).content.decode()
    assert "甲某" in by_name and "乙某" not in by_name
    by_staff_no = client.get("/talents/people/", {"q": world.person_b.staff_no}).content.decode()
    assert "乙某" in by_staff_no and "甲某" not in by_staff_no


def test_people_list_filters_by_unit_subtree_title_and_status(world):
    PersonFactory(unit=world.branch_a, name="正高某", title_level=TitleLevel.SENIOR)
    PersonFactory(unit=world.branch_a, name="群众某", political_status=PoliticalStatus.MASSES)
    client = client_for(world, "org_admin")
    in_a = client.get("/talents/people/", {"unit": world.unit_a.pk}).content.decode()
    assert "甲某" in in_a and "乙某" not in in_a
    senior = client.get("/talents/people/", {"title_level": "senior"}).content.decode()
    assert "正高某" in senior and "甲某" not in senior
    masses = client.get("/talents/people/", {"political_status": "masses"}).content.decode()
    assert "群众某" in masses and "甲某" not in masses


def test_people_list_unit_filter_outside_scope_is_a_form_error_not_a_leak(world):
    response = client_for(world, "unit_admin_a").get("/talents/people/", {"unit": world.unit_b.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "所选单位不存在或不在您的管理范围内" in content
    assert "乙某" not in content


def test_people_list_bad_filter_values_never_500(world):
    client = client_for(world, "org_admin")
    for params in ({"unit": "abc"}, {"title_level": "boss"}, {"page": "-3"}, {"page": "x"}):
        assert client.get("/talents/people/", params).status_code == 200


def test_people_list_paginates_and_keeps_filters_in_page_links(world):
    for number in range(60):
        PersonFactory(unit=world.branch_a, name=f"批量{number}")
    client = client_for(world, "org_admin")
    first = client.get("/talents/people/", {"q": "批量"})
    assert first.context["page"].paginator.num_pages == 2
    assert "q=%E6%89%B9%E9%87%8F&amp;page=2" in first.content.decode()
    second = client.get("/talents/people/", {"q": "批量", "page": 2})
    assert len(second.context["page"].object_list) == 10


def test_people_list_query_count_does_not_grow_with_rows(world):
    client = client_for(world, "org_admin")
    client.get("/talents/people/")  # warm the session and access caches
    with CaptureQueriesContext(connection) as few:
        client.get("/talents/people/")
    for number in range(40):
        PersonFactory(unit=world.branch_b, name=f"增{number}")
    with CaptureQueriesContext(connection) as many:
        client.get("/talents/people/")
    assert len(many) == len(few)


def test_people_list_htmx_request_returns_only_the_results_fragment(world):
    response = client_for(world, "org_admin").get(
        "/talents/people/", headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "<table" in content
    assert "<html" not in content


def test_person_page_shows_contact_channels(world):
    content = client_for(world, "unit_admin_a").get(f"/talents/people/{world.person_a.pk}/").content
    assert world.person_a.mobile in content.decode()


def test_talent_opens_own_person_page(world):
    own = world.users.talent.person
    assert client_for(world, "talent").get(f"/talents/people/{own.pk}/").status_code == 200


def test_unknown_url_gets_the_site_404_page(world):
    response = client_for(world, "talent").get("/no/such/page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "页面不存在" in content
    assert "群策" in content


def test_home_numbers_are_real_counts(world):
    org = client_for(world, "org_admin").get("/")
    assert org.context["figures"]["scope"]["people"]["total"] == 7
    unit_a = client_for(world, "unit_admin_a").get("/")
    assert unit_a.context["figures"]["scope"]["people"]["total"] == 3
    assert unit_a.context["figures"]["scope"]["units"] == 2
    talent = client_for(world, "talent").get("/")
    assert "scope" not in talent.context["figures"]
    assert talent.context["figures"]["me"].name == "talent本人"


def test_english_is_switchable(world):
    client = client_for(world, "org_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    content = client.get("/").content.decode()
    assert 'lang="en"' in content
    assert "People" in content


def test_chinese_is_the_default_whatever_the_browser_asks(world):
    client = client_for(world, "org_admin")
    content = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="zh-hans"' in content
    assert "全校概况" in content


def test_reading_someones_contact_details_is_logged_and_they_see_who(world):
    from qunce.org.models import PersonRead

    talent = world.users.talent.person
    assert client_for(world, "unit_admin_a").get(f"/talents/people/{talent.pk}/").status_code == 200
    assert client_for(world, "org_admin").get(f"/api/v1/people/{talent.pk}").status_code == 200
    reads = PersonRead.objects.filter(person=talent)
    assert {(r.viewer.username, r.via) for r in reads} == {
        ("unit_admin_a", "page"),
        ("org_admin", "api"),
    }
    own = client_for(world, "talent").get(f"/talents/people/{talent.pk}/").content.decode()
    assert PersonRead.objects.filter(person=talent).count() == 2, "one's own look is no read"
    assert "谁查看过我的信息" in own and "unit_admin_a" in own and "接口读取" in own
    # Another person's page shows no one the reads of that person.
    other = client_for(world, "org_admin").get(f"/talents/people/{talent.pk}/").content.decode()
    assert "谁查看过我的信息" not in other
