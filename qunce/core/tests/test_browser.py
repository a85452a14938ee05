"""A real headless Chromium (Debian's package) driven by Playwright against a live server."""

import re

import pytest

from qunce.conftest import SCREENSHOTS, shot
from qunce.org import demo
from qunce.org.models import Person, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_admin_sees_only_metallurgy_people_switches_language_and_logs_out(
    live_server, browser
):
    demo.build_demo_university(people=300)
    metallurgy = Unit.objects.get(code=demo.METALLURGY_CODE)
    in_scope = Person.objects.filter(unit__path__startswith=metallurgy.path)
    outsider = Person.objects.exclude(unit__path__startswith=metallurgy.path).first()
    scope_unit_names = set(
        Unit.objects.filter(path__startswith=metallurgy.path).values_list("name", flat=True)
    )
    folder = SCREENSHOTS / "unit_admin_journey"

    # A phone-sized window: most users open Qunce inside WeChat.
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page.goto(f"{live_server.url}/talents/people/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "unitadmin")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.content()
    shot(page, folder, "01-wrong-password")

    page.fill("#id_username", "unitadmin")
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/talents/people/$"))
    shot(page, folder, "02-people-list")
    assert f"共 {in_scope.count()} 人" in page.content()
    shown_units = set(page.locator("table.list tbody td:nth-child(3)").all_inner_texts())
    assert shown_units and shown_units <= scope_unit_names

    page.fill("#id_q", outsider.staff_no)
    page.click("form .filters button[type=submit]")
    page.wait_for_selector("text=没有符合条件的人员")
    assert outsider.name not in page.locator("#people-results").inner_text()

    page.goto(f"{live_server.url}/talents/people/{outsider.pk}/")
    assert "页面不存在" in page.content()

    page.goto(f"{live_server.url}/")
    shot(page, folder, "03-home-zh")
    assert "本单位概况" in page.content()

    # On a phone the language and the account sit in the menu, behind one tap.
    assert not page.locator("select[name=language]").is_visible()
    page.get_by_role("button", name="菜单").click()
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Your units at a glance" in page.content()
    shot(page, folder, "04-home-en")

    page.get_by_role("button", name="Menu").click()
    page.click("text=Sign out")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    shot(page, folder, "05-logged-out")
    page.goto(f"{live_server.url}/talents/people/")
    assert "/accounts/login/" in page.url


def test_org_admin_desktop_unit_tree(live_server, browser):
    demo.build_demo_university(people=300)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "orgadmin")
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    shot(page, SCREENSHOTS / "org_admin_desktop", "01-home")
    page.goto(f"{live_server.url}/org/units/")
    assert "材料与冶金学院分党委" in page.content()
    assert "计算机与软件工程学院分党委" in page.content()
    shot(page, SCREENSHOTS / "org_admin_desktop", "02-unit-tree")


def test_a_farmer_asks_for_help_on_a_phone_with_the_region_cascade(live_server, browser):
    from qunce.assistance.models import HelpRequest

    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/help/")
    page.select_option("#id_requester_type", "farmer")
    page.fill("#id_organization", "台安县某蔬菜种植户")
    page.fill("#id_contact_name", "李大姐")
    page.fill("#id_mobile", "13912345678")
    # 辽宁省 comes first with its cities; choosing a city fetches its counties (htmx).
    page.select_option("#id_city", "210300")
    page.wait_for_selector("#id_county option[value='210321']", state="attached")
    page.select_option("#id_county", "210321")
    page.select_option("#id_industry", "01")
    page.select_option("#id_category", "farming")
    page.fill("#id_description", "大棚黄瓜叶片出现黄斑，怀疑霜霉病")
    page.select_option("#id_preferred_channel", "phone")
    page.check("#id_consent")
    page.click("button[type=submit]")
    page.wait_for_selector("text=需求已提交")
    shot(page, SCREENSHOTS / "help_request", "01-submitted")
    tracking = page.locator(".secret a").get_attribute("href")
    assert HelpRequest.objects.get().region_id == "210321"
    page.goto(tracking)
    assert "需求进度" in page.content()
    shot(page, SCREENSHOTS / "help_request", "02-tracking")


def test_a_talent_checks_in_on_a_phone_and_the_unit_follows_the_fever_up(live_server, browser):
    from django.utils import timezone

    from qunce.health.demo import build_demo_checkins
    from qunce.health.models import Checkin, HealthAlert

    demo.build_demo_university(people=300)
    build_demo_checkins(seed=1)
    folder = SCREENSHOTS / "health_checkin"
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    _login(phone, live_server, "talent")
    phone.goto(f"{live_server.url}/health/")
    # A date is asked only once there was contact.
    assert not phone.is_visible("#id_contact_on")
    phone.check("#id_contact_1")
    assert phone.is_visible("#id_contact_on")
    phone.check("#id_contact_0")
    # The place cascade inside the form: a city brings its districts.
    phone.get_by_label("城市").select_option(label="大连市")
    phone.wait_for_selector('#id_county option[value="210211"]', state="attached")
    phone.get_by_label("区县").select_option(label="甘井子区")
    shot(phone, folder, "01-form")
    phone.reload()  # back to yesterday's place: a move would raise an alert of its own
    # Yesterday's answers again, in one tap; htmx swaps the card and the calendar in place.
    phone.evaluate("window.samePage = true")
    phone.click("text=与昨日相同，一键提交")
    phone.wait_for_selector("text=已按昨日情况提交今日健康打卡")
    assert phone.evaluate("window.samePage === true")  # no second page was loaded
    today = timezone.localdate().isoformat()
    assert phone.get_attribute(f'.calendar td[title="{today}"]', "class") == "done"
    talent = Person.objects.get(user__username="talent")
    assert Checkin.objects.filter(person=talent).count() >= 2
    # A temperature out of range is posted again without script and shown at its field.
    phone.fill("#id_temperature", "45")
    phone.check("#id_pledged")
    with phone.expect_navigation():
        phone.click("text=修改今日打卡")
    assert "34.0–43.0" in phone.locator(".field", has=phone.locator("#id_temperature")).inner_text()
    # The server too busy to answer (a proxy's 503): the answers stay, and are not posted again.
    phone.evaluate("window.samePage = true")
    posts = []

    def busy(route):
        posts.append(route.request.method)
        route.fulfill(status=503, body="busy")

    phone.route("**/health/", busy)
    phone.fill("#id_temperature", "36.7")
    phone.check("#id_pledged")
    phone.once("dialog", lambda dialog: dialog.accept())
    with phone.expect_event("dialog") as told:
        phone.click("text=修改今日打卡")
    assert "系统繁忙" in told.value.message and posts == ["POST"]
    assert phone.input_value("#id_temperature") == "36.7"
    assert phone.evaluate("window.samePage === true")
    phone.unroute("**/health/")
    # Later the same day the temperature is up: the form replaces today's answers.
    phone.fill("#id_temperature", "38.2")
    phone.check("#id_symptoms_0")
    phone.uncheck("#id_symptoms_8")
    phone.check("#id_pledged")
    phone.click("text=修改今日打卡")
    phone.wait_for_selector("text=今日健康打卡已提交")
    assert phone.evaluate("window.samePage === true")
    assert not phone.locator(".checkin-form .errorlist").count()  # the refusal is answered
    shot(phone, folder, "02-submitted")
    alert = HealthAlert.objects.get(person=talent)
    assert alert.reasons == ["fever", "symptoms"]
    assert Checkin.objects.get(person=talent, day=timezone.localdate()).version == 2

    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(desk, live_server, "unitadmin")
    desk.goto(f"{live_server.url}/health/dashboard/")
    desk.wait_for_selector("#trend svg")  # ECharts drew the trend from the vendored file
    assert talent.name in desk.locator("section", has_text="待处理预警").inner_text()
    shot(desk, folder, "03-dashboard")
    desk.goto(f"{live_server.url}/health/alerts/{alert.pk}/")
    desk.fill("#id_note", "已电话联系，建议到校医院发热门诊就诊")
    desk.click("text=记录跟进")
    desk.wait_for_selector("text=已跟进")
    shot(desk, folder, "04-alert-followed-up")
    alert.refresh_from_db()
    assert alert.status == "acknowledged"


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_department_issues_a_notice_and_a_unit_reports_on_a_phone(live_server, browser):
    from qunce.notices.models import Notice, UnitReport

    demo.build_demo_university(people=300)
    folder = SCREENSHOTS / "notice"
    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(desk, live_server, "orgadmin")
    desk.goto(f"{live_server.url}/notices/new/")
    desk.fill("#id_document_number", "科大组织部〔2020〕06号")
    desk.fill("#id_title", "关于在打赢疫情防控阻击战中进一步发挥专业技术人才作用的通知")
    desk.fill("#id_body", "一、组织引导专业技术人才积极投身疫情防控阻击战。\n二、发挥“八员”作用。")
    # No unit is ticked by default: sending to every 分党委 is one tick.
    assert not desk.locator("input[name=units]:checked").count()
    desk.check("input[name=unit_kinds][value=committee]")
    desk.click("main button[type=submit]")
    assert "不编虚位" in desk.content()  # 06 is not the official form: nothing is written
    assert not Notice.objects.exists()
    desk.fill("#id_document_number", "科大组织部〔2020〕6号")
    desk.click("main button[type=submit]")
    desk.wait_for_selector("text=通知已印发")
    shot(desk, folder, "01-issued")
    notice = Notice.objects.get()

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    _login(phone, live_server, "unitadmin")
    phone.goto(f"{live_server.url}/notices/{notice.pk}/")
    assert "中共辽宁科技大学委员会组织部文件" in phone.content()
    phone.click("text=报告落实情况")
    phone.fill("#id_text", "已召开专题会议传达，组建技术服务小组 3 个。")
    phone.click("main button[type=submit]")
    phone.wait_for_selector("text=落实情况已报告")
    shot(phone, folder, "02-reported-on-phone")
    metallurgy = Unit.objects.get(code=demo.METALLURGY_CODE)
    assert UnitReport.objects.get(notice=notice, unit=metallurgy).status == "reported"
    pdf = phone.request.get(f"{live_server.url}/notices/{notice.pk}/pdf/")  # the session's cookies
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")


def _suggested_disciplines(page):
    """The first three suggested experts' discipline codes, read off the page's checkboxes."""
    from qunce.talents.models import TalentProfile

    page.wait_for_selector("text=推荐专家")
    values = page.locator("form:has(h2:text('推荐专家')) input[name=expert]").evaluate_all(
        "boxes => boxes.map(box => box.value)"
    )
    return [
        {d.code for d in TalentProfile.objects.get(person_id=int(value)).disciplines.all()}
        for value in values[:3]
    ]


def test_the_office_gets_metallurgists_for_a_steel_plant_and_plant_doctors_for_a_farmer(
    live_server, browser
):
    from qunce.assistance import services
    from qunce.assistance.tests.conftest import request_values
    from qunce.codes.models import Industry, Region
    from qunce.talents.demo import build_demo_profiles

    demo.build_demo_university(people=900)
    build_demo_profiles()
    steel, _ = services.help_request_submit(
        **request_values(
            description="复产后高炉炉温波动大，煤气余热回收系统运行不稳定，需要工艺诊断。",
            category="resumption",
        )
    )
    farm, _ = services.help_request_submit(
        **request_values(
            requester_type="farmer",
            organization="台安县某蔬菜种植户",
            mobile="13912345678",
            region=Region.objects.get(code="210321"),
            industry=Industry.objects.get(code="01"),
            category="farming",
            description="大棚黄瓜叶片出现黄斑，怀疑霜霉病，如何防治？",
        )
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(page, live_server, "orgadmin")
    for help_request, name, wanted in (
        (steel, "steel", lambda codes: codes & {"0806", "0805", "0856"}),
        (farm, "farm", lambda codes: any(code.startswith("09") for code in codes)),
    ):
        page.goto(f"{live_server.url}/assistance/{help_request.pk}/")
        page.click("form:has(input[value=triage]) button[type=submit]")
        disciplines = _suggested_disciplines(page)
        assert disciplines and all(wanted(codes) for codes in disciplines), disciplines
        shot(page, SCREENSHOTS / "matching", f"{name}-suggestions")


def _tap_every_workbench_item(page, live_server, folder):
    """Open the home page and reach each workbench item in one tap; return the labels."""
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#workbench-title")
    shot(page, folder, "workbench")
    links = page.locator(".workbench-items a")
    labels = [links.nth(i).locator("span").inner_text() for i in range(links.count())]
    for position, label in enumerate(labels):
        page.goto(f"{live_server.url}/")
        with page.expect_navigation():
            page.locator(".workbench-items a").nth(position).click()
        assert page.locator("h1").count(), label
        assert "404" not in page.title() and "403" not in page.title(), label
    return labels


# What each demo login must find on its workbench, on a desktop and on a phone alike.
WORKBENCH_EXPECTED = {
    "orgadmin": "待分类的求助（技术员）",
    "unitadmin": "待审核的贡献申报",
    "talent": "今日健康打卡未完成",
    "coordinator": "待分派的心理咨询（疏导员）",
}


def test_every_role_reaches_each_workbench_item_in_one_tap_on_desktop_and_phone(
    live_server, browser
):
    import datetime
    from decimal import Decimal

    from qunce.assistance import services
    from qunce.assistance.tests.conftest import request_values
    from qunce.counselling.demo import build_demo_counselling
    from qunce.health.models import CheckinPolicy
    from qunce.ledger.demo import build_demo_ledger
    from qunce.org.models import Campaign
    from qunce.talents.demo import build_demo_profiles

    demo.build_demo_university(people=300)
    build_demo_profiles()
    build_demo_ledger(seed=2020)
    build_demo_counselling()
    CheckinPolicy.objects.create(
        campaign=Campaign.objects.filter(status=Campaign.Status.ACTIVE).latest("starts_on"),
        fever_threshold=Decimal("37.3"),
        opens_at=datetime.time(0, 0),
        deadline=datetime.time(23, 59, 59),
    )
    services.help_request_submit(**request_values())
    for username, expected in WORKBENCH_EXPECTED.items():
        for device, viewport in (("desktop", (1280, 900)), ("phone", (390, 844))):
            context = browser.new_context(
                viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN"
            )
            page = context.new_page()
            _login(page, live_server, username)
            folder = SCREENSHOTS / "workbench" / f"{username}-{device}"
            labels = _tap_every_workbench_item(page, live_server, folder)
            assert expected in labels, (username, device, labels)
            context.close()


def test_on_a_phone_the_menu_is_one_tap_away_and_the_header_one_row(live_server, browser):
    from qunce.health.models import CheckinPolicy
    from qunce.ledger.demo import build_demo_ledger
    from qunce.org.models import Campaign
    from qunce.talents.demo import build_demo_profiles

    demo.build_demo_university(people=300)
    build_demo_profiles()
    build_demo_ledger(seed=2020)
    CheckinPolicy.objects.create(
        campaign=Campaign.objects.filter(status=Campaign.Status.ACTIVE).latest("starts_on")
    )
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    _login(phone, live_server, "talent")
    folder = SCREENSHOTS / "phone_menu"
    header = phone.locator("header.topbar").bounding_box()
    assert header["height"] < 60, header  # one row: brand, messages, the menu button
    assert not phone.get_by_role("link", name="贡献台账").first.is_visible()
    shot(phone, folder, "01-closed")
    quick = phone.locator(".quick-actions a")
    assert quick.all_inner_texts() == ["技术服务", "今日打卡", "我的贡献"]
    phone.get_by_role("button", name="菜单").click()
    shot(phone, folder, "02-open")
    with phone.expect_navigation():
        phone.get_by_role("link", name="自律员 · 健康打卡").click()
    assert "/health/" in phone.url
    with phone.expect_navigation():
        quick.nth(2).click()
    assert "/ledger/" in phone.url
    # A table keeps its column labels when its rows become cards.
    phone.goto(f"{live_server.url}/ledger/")
    labelled = phone.locator("table.list td[data-label]")
    assert labelled.count() and labelled.first.get_attribute("data-label") == "#"
    shot(phone, folder, "03-ledger")


def test_the_office_reads_the_report_drills_into_a_unit_and_opens_the_pdf(live_server, browser):
    import datetime

    from django.utils import timezone

    from qunce.health.models import Checkin, CheckinPolicy
    from qunce.ledger.demo import build_demo_ledger
    from qunce.org.models import Campaign, Person
    from qunce.talents.demo import build_demo_profiles

    demo.build_demo_university(people=300)
    build_demo_profiles()
    build_demo_ledger(seed=2020)
    campaign = Campaign.objects.filter(status=Campaign.Status.ACTIVE).latest("starts_on")
    CheckinPolicy.objects.create(campaign=campaign)
    today = timezone.localdate()
    Checkin.objects.bulk_create(
        Checkin(campaign=campaign, person=person, unit_id=person.unit_id, day=today - back)
        for person in Person.objects.all()[:200]
        for back in (datetime.timedelta(days=0), datetime.timedelta(days=1))
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    _login(page, live_server, "orgadmin")
    page.get_by_role("button", name="报表").click()
    with page.expect_navigation():
        page.get_by_role("link", name="工作报表").click()
    page.wait_for_selector("#roles-chart svg")
    page.wait_for_selector("#compliance-chart svg")
    folder = SCREENSHOTS / "report"
    shot(page, folder, "01-university")
    assert "材料与冶金学院" in page.locator("table.report").inner_text()
    with page.expect_navigation():
        page.locator("table.report a", has_text="材料与冶金学院").first.click()
    assert "材料与冶金学院分党委 · " in page.locator("main h2").first.inner_text()
    shot(page, folder, "02-metallurgy")
    pdf_link = page.locator("a", has_text="情况报告 PDF").get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_link}")
    assert response.status == 200 and response.body().startswith(b"%PDF")
