"""The main menu follows the notice's three parts and shows each role only what it can use."""

import re

import pytest
from django.test import Client

from qunce.conftest import client_for
from qunce.core.menu import ENTRIES
from qunce.org.tests.factories import Role, UserFactory, grant

pytestmark = pytest.mark.django_db


def _menu(world, persona):
    return _menu_of(client_for(world, persona))


def _menu_of(client):
    page = client.get("/").content.decode()
    nav = page[page.index('<nav class="nav"') : page.index("</nav>")]
    parts = re.findall(r'<button type="button" class="part-title">([^<]+)</button>', nav)
    links = re.findall(r"<li><a [^>]*>([^<]+)</a></li>", nav)
    quick = re.findall(r'class="quick-actions".*?</nav>', page, re.S)
    return parts, links, quick[0] if quick else ""


def test_the_org_admin_sees_all_five_parts_and_the_campaign_pages(world):
    parts, links, _ = _menu(world, "org_admin")
    assert parts == ["组织引导", "八员", "关心关爱", "报表", "管理"]
    assert {"专项行动", "积分规则", "打卡统计", "表彰", "疏导员 · 心理疏导"} <= set(links)


def test_a_unit_admin_gets_reports_but_not_the_university_wide_settings(world):
    parts, links, _ = _menu(world, "unit_admin_a")
    assert "报表" in parts and "管理" in parts
    assert "打卡统计" in links and "组织机构" in links
    assert "专项行动" not in links and "积分规则" not in links
    assert "疏导员 · 心理疏导" not in links


def test_a_talent_sees_the_eight_roles_and_three_quick_actions(world):
    parts, links, quick = _menu(world, "talent")
    assert parts == ["组织引导", "八员", "关心关爱"]
    assert "自律员 · 健康打卡" in links and "贡献台账" in links
    assert "打卡统计" not in links and "人才库" not in links
    assert re.findall(r">([^<]+)</a>", quick) == ["技术服务", "今日打卡", "我的贡献"]


def test_a_counsellor_from_outside_the_staff_sees_only_counselling(world):
    """A counsellor of the counselling centre with no staff record of their own."""
    counsellor = UserFactory(username="outside_counsellor")
    grant(counsellor, Role.COUNSELLOR)
    client = Client()
    client.force_login(counsellor)
    parts, links, quick = _menu_of(client)
    assert parts == ["八员"]
    assert links == ["疏导员 · 心理疏导"]
    assert quick == ""


def test_the_page_open_is_marked_once_by_its_longest_entry(world):
    page = client_for(world, "org_admin").get("/ledger/frontline/").content.decode()
    assert page.count('aria-current="page"') == 1
    assert re.search(r'<a href="/ledger/frontline/" aria-current="page">', page)
    assert (
        '<div class="part current">\n          <button type="button" class="part-title">关心关爱'
        in page
    )


def test_every_menu_entry_opens_for_the_roles_it_is_shown_to(world):
    """A link in the menu that answers 403 would be a broken promise."""
    for persona in ["org_admin", "unit_admin_a", "talent", "counsellor"]:
        client = client_for(world, persona)
        page = client.get("/").content.decode()
        nav = page[page.index('<nav class="nav"') : page.index("</nav>")]
        for url in re.findall(r'<li><a href="([^"]+)"', nav):
            assert client.get(url).status_code == 200, (persona, url)


def test_entries_name_known_parts():
    from qunce.core.menu import PARTS

    assert {entry.part for entry in ENTRIES} <= set(PARTS)
