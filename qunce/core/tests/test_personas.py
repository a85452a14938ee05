"""Who gets what, for every page and API endpoint: one login and one assertion per cell.

The last test walks the URL configuration, so a new page or endpoint without a row here fails."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from qunce.accounts.services import api_token_create
from qunce.articles import services as article_services
from qunce.assistance import services as assistance_services
from qunce.care import services as care_services
from qunce.codes.models import Industry, Region
from qunce.conftest import PERSONAS, client_for
from qunce.core.models import GroupRobot
from qunce.counselling import services as counselling_services
from qunce.health import services as health_services
from qunce.health.models import CheckinPolicy, HealthAlert
from qunce.health.tests.conftest import ALL_DAY, healthy_answers
from qunce.ledger import services as ledger_services
from qunce.notices import services as notice_services
from qunce.org.models import Campaign
from qunce.org.tests.factories import Role, UserFactory, grant
from qunce.pledges import services as pledge_services
from qunce.proposals import services as proposal_services
from qunce.rights import services as rights_services
from qunce.supplies import services as supplies_services
from qunce.talents import importing
from qunce.talents.models import TalentProfile
from qunce.talents.tests.xlsx import person_row, workbook_bytes
from qunce.teaching import services as teaching_services

LOGIN = "login"  # a page that sends anonymous visitors to the login form


def import_batch(world):
    """An import previewed by unit_admin_a, with one valid row."""
    return importing.talent_import_preview(
        uploaded=workbook_bytes([person_row("A-01")]), acting_user=world.users.unit_admin_a
    )


def talent_person(world):
    return world.users.talent.person


def campaign(world):
    return Campaign.objects.get_or_create(
        name="测试行动", defaults={"starts_on": date(2020, 1, 25), "ends_on": date(2020, 6, 30)}
    )[0]


def robot_of_unit_a(world):
    return GroupRobot.objects.get_or_create(
        unit=world.unit_a,
        name="甲学院群",
        defaults={"kind": "wecom", "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook"},
    )[0]


def token_of_talent(world):
    return api_token_create(user=world.users.talent, name="自用", acting_user=world.users.talent)[0]


def talent_claim(world):
    """A claim the talent filed for themselves, with one PDF as evidence."""
    return ledger_services.claim_submit(
        person=world.users.talent.person,
        acting_user=world.users.talent,
        files=[SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
        role="technician",
        campaign=campaign(world),
        date_from=date(2020, 2, 1),
        date_to=date(2020, 2, 1),
        summary="远程指导企业复产",
    )


def verified_entry(world):
    """The talent's claim, verified by unit A's admin: a ledger entry of a person in unit A."""
    claim = talent_claim(world)
    return ledger_services.claim_verify(claim=claim, acting_user=world.users.unit_admin_a)


def snapshot_of_unit_a(world):
    """A finalized awards list over unit A on which the talent appears."""
    claim = talent_claim(world)
    ledger_services.claim_verify(claim=claim, acting_user=world.users.unit_admin_a)
    return ledger_services.recommendation_finalize(
        kind="awards", campaign=claim.campaign, unit=world.unit_a, acting_user=world.users.org_admin
    )


def frontline_a(world):
    """person_a served on the front line (recorded by unit A's admin)."""
    ledger_services.frontline_record(
        person=world.person_a,
        campaign=campaign(world),
        starts_on=date(2020, 2, 1),
        ends_on=date(2020, 3, 1),
        description="发热门诊支援",
        acting_user=world.users.unit_admin_a,
    )
    return world.person_a


def family_need(world):
    return care_services.family_need_record(
        person=frontline_a(world),
        category="childcare",
        description="孩子无人照看",
        acting_user=world.users.unit_admin_a,
    )


def commendation(world, approved=False):
    proposal = ledger_services.commendation_propose(
        acting_user=world.users.unit_admin_a,
        person=world.person_a,
        campaign=campaign(world),
        title="先进个人",
        citation="事迹",
        awarded_on=date(2020, 7, 1),
        awarding_body="校党委",
    )
    if approved:
        ledger_services.commendation_decide(
            commendation=proposal, acting_user=world.users.org_admin, approve=True
        )
    return proposal


def help_request(world):
    """A request from outside, triaged, with the talent (unit A) invited, made once per world
    (the same request twice would be refused as a repeat). Its tracking token is kept on the
    object for the public rows."""
    if getattr(world, "help_request", None) is not None:
        return world.help_request
    request, token = assistance_services.help_request_submit(
        requester_type="enterprise",
        organization="鞍山某钢厂",
        contact_name="王经理",
        mobile="13812345678",
        region=Region.objects.get(code="210302"),
        industry=Industry.objects.get(code="31"),
        category="process",
        description="高炉炉温波动",
        preferred_channel="phone",
        consent=True,
    )
    assistance_services.help_request_triage(help_request=request, acting_user=world.users.org_admin)
    assistance_services.help_request_invite(
        help_request=request, experts=[world.users.talent.person], acting_user=world.users.org_admin
    )
    request.token = token
    world.help_request = request
    return request


def public_request_body(world):
    return {
        "requester_type": "farmer",
        "organization": "某合作社",
        "contact_name": "李大姐",
        "mobile": "13912345678",
        "region_code": "210321",
        "industry_code": "01",
        "category": "farming",
        "description": "黄瓜霜霉病",
        "preferred_channel": "phone",
        "consent": True,
    }


def rights_request_of_talent(world):
    return rights_services.rights_request_submit(
        person=world.users.talent.person,
        acting_user=world.users.talent,
        kind="correction",
        section="person",
        detail="职称有误",
    )


def counselling_case(world):
    """A case assigned to the counsellor persona by a coordinator (not one of the personas)."""
    case, token = counselling_services.counselling_request(
        requester=world.users.talent,
        anonymous=True,
        category="mood",
        channel="phone",
        time_window="晚上",
        description="最近总是睡不着",
        consent_version=1,
        contact="13900000000",
    )
    coordinator = UserFactory(username="coordinator")
    grant(coordinator, Role.COUNSELLING_COORDINATOR)
    counselling_services.case_assign(
        case=case, counsellor=world.users.counsellor, acting_user=coordinator
    )
    case.token = token
    return case


def supply_need(world):
    return supplies_services.need_post(
        acting_user=world.users.unit_admin_a,
        receiving_unit=world.unit_a,
        item="医用口罩",
        quantity=1000,
        unit_of_measure="piece",
        needed_by=date(2099, 1, 1),
    )


def supply_pledge(world):
    return supplies_services.pledge_record(
        need=supply_need(world),
        donor_name="校友企业",
        donor_contact="13800000000",
        quantity=500,
        expected_on=date(2099, 1, 1),
        named_publicly=True,
    )


def supply_receipt(world):
    return supplies_services.receipt_record(
        pledge=supply_pledge(world), quantity=500, acting_user=world.users.unit_admin_a
    )


def supplier(world):
    return supplies_services.supplier_add(
        acting_user=world.users.talent,
        name="某医疗器械公司",
        contact="王经理 13800000001",
        items="口罩、防护服",
    )


def profiled(world):
    """person_a, with a talent profile."""
    TalentProfile.objects.get_or_create(person=world.person_a)
    return world.person_a


def checkin_policy(world):
    """An active campaign whose daily check-in is open all day."""
    active = campaign(world)
    active.status = Campaign.Status.ACTIVE
    active.save()
    return CheckinPolicy.objects.get_or_create(campaign=active, defaults=ALL_DAY)[0]


def checkin_url(world, path):
    checkin_policy(world)
    return path


def fever_alert(world, acknowledged=False):
    """The talent (unit A) reported 38.5 °C today."""
    health_services.checkin_submit(
        person=talent_person(world),
        policy=checkin_policy(world),
        answers=healthy_answers(temperature="38.5"),
    )
    alert = HealthAlert.objects.get()
    if acknowledged:
        health_services.alert_advance(
            alert=alert,
            to_state=HealthAlert.Status.ACKNOWLEDGED,
            acting_user=world.users.org_admin,
            note="已联系",
        )
    return alert


def notice_to_a(world, publish=True):
    """A notice of the org admin's sent to unit A only (a draft, with `publish=False`)."""
    return notice_services.notice_draft(
        acting_user=world.users.org_admin,
        document_number=f"科大组织部〔2020〕{6 if publish else 7}号",
        issuer="中共辽宁科技大学委员会组织部",
        title="关于发挥专业技术人才作用的通知",
        addressee="各分党委",
        body="请各单位认真落实。",
        units=[world.unit_a],
        report_deadline=date.today().replace(year=date.today().year + 1),
        files=[SimpleUploadedFile("附件.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
        publish=publish,
    )


def current_campaign(world):
    return Campaign.objects.get_or_create(
        name="进行中的行动",
        defaults={"starts_on": date(2020, 1, 25), "status": Campaign.Status.ACTIVE},
    )[0]


def article_of_talent(world, stage="submitted"):
    """The talent's article (unit A), submitted for review, or published."""
    article = article_services.article_save(
        acting_user=world.users.talent,
        author=talent_person(world),
        campaign=current_campaign(world),
        category="knowledge",
        title="个人防护要点",
        body="勤洗手，常通风。",
    )
    article_services.article_submit(article=article, acting_user=world.users.talent)
    if stage == "published":
        article_services.article_review(
            article=article, acting_user=world.users.org_admin, publish=True
        )
    return article


def proposal_of_talent(world):
    return proposal_services.proposal_submit(
        acting_user=world.users.talent,
        campaign=current_campaign(world),
        topic="发热门诊分流",
        problem="门诊拥挤",
        suggestion="错峰就诊",
        files=[SimpleUploadedFile("方案.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
    )


def key_problem(world):
    return proposal_services.key_problem_publish(
        acting_user=world.users.org_admin,
        campaign=current_campaign(world),
        title="通风系统消毒",
        description="需要环境工程专业",
    )


def teaching_of_talent(world):
    return teaching_services.teaching_record(
        acting_user=world.users.talent,
        person=talent_person(world),
        campaign=current_campaign(world),
        kind="course",
        held_on=date.today(),
        course="冶金原理",
        platform="rain_classroom",
        sessions=2,
        students_reached=40,
    )


def pledge(world):
    return pledge_services.pledge_template_publish(
        acting_user=world.users.org_admin,
        campaign=current_campaign(world),
        title="党员承诺书",
        items="不组织聚集性活动",
    )


def vanguard_act_of_talent(world):
    return pledge_services.vanguard_act_record(
        acting_user=world.users.talent,
        person=talent_person(world),
        campaign=current_campaign(world),
        done_on=date.today(),
        description="卡口值守",
    )


ADMINS_ONLY = [200, 200, 200, 403, 403, LOGIN]
ORG_ADMIN_ONLY = [200, 403, 403, 403, 403, LOGIN]

# (name, method, url builder, body, expected status per persona in PERSONAS order)
PAGE_MATRIX = [
    ("home", "get", lambda w: "/", None, [200, 200, 200, 200, 200, LOGIN]),
    ("org:unit_tree", "get", lambda w: "/org/units/", None, [200, 200, 200, 403, 403, LOGIN]),
    (
        "talents:people_list",
        "get",
        lambda w: "/talents/people/",
        None,
        [200, 200, 200, 403, 403, LOGIN],
    ),
    # A university with no province above it has nothing to share with one: its office is told
    # so (302 with the message); to everyone else the university is not theirs to see (404).
    # Two universities under a province: assistance/tests/test_province_requests.py (experts)
    # and org/tests/test_province_sharing.py (people's records).
    (
        "org:university_sharing",
        "post",
        lambda w: f"/org/units/{w.unit_a.get_parent().pk}/sharing/",
        {"sharing": "shares_experts", "shares": "1"},
        [302, 404, 404, 404, 404, LOGIN],
    ),
    (
        "talents:person_detail",
        "get",
        lambda w: f"/talents/people/{w.person_a.pk}/",
        None,
        [200, 200, 404, 404, 404, LOGIN],
    ),
    (
        "accounts:person_account_create",
        "post",
        lambda w: f"/accounts/people/{w.person_a.pk}/account/",
        {},
        [200, 200, 404, 404, 404, LOGIN],
    ),
    (
        "accounts:person_initial_password",
        "post",
        lambda w: f"/accounts/people/{talent_person(w).pk}/initial-password/",
        {},
        [200, 200, 404, 403, 404, LOGIN],
    ),
    ("org:campaigns", "get", lambda w: "/org/campaigns/", None, ORG_ADMIN_ONLY),
    ("org:campaign_new", "get", lambda w: "/org/campaigns/new/", None, ORG_ADMIN_ONLY),
    (
        "org:campaign",
        "get",
        lambda w: f"/org/campaigns/{campaign(w).pk}/",
        None,
        ORG_ADMIN_ONLY,
    ),
    (
        "org:campaign_move",
        "post",
        lambda w: f"/org/campaigns/{campaign(w).pk}/move/",
        {"to": "active"},
        [302, 403, 403, 403, 403, LOGIN],
    ),
    ("core:inbox", "get", lambda w: "/inbox/", None, [200] * 5 + [LOGIN]),
    ("org:robots", "get", lambda w: "/org/robots/", None, ADMINS_ONLY),
    (
        "org:robot_action",
        "post",
        lambda w: f"/org/robots/{robot_of_unit_a(w).pk}/",
        {"action": "off"},
        [302, 302, 404, 404, 404, LOGIN],
    ),
    ("accounts:api_tokens", "get", lambda w: "/accounts/tokens/", None, ORG_ADMIN_ONLY),
    (
        "accounts:api_token_revoke",
        "post",
        lambda w: f"/accounts/tokens/{token_of_talent(w).pk}/revoke/",
        {},
        [302, 403, 403, 403, 403, LOGIN],
    ),
    ("talents:profile_edit", "get", lambda w: "/talents/me/", None, [200] * 5 + [LOGIN]),
    (
        "talents:profile_edit_for",
        "get",
        lambda w: f"/talents/{w.person_a.pk}/edit/",
        None,
        [200, 200, 404, 404, 404, LOGIN],
    ),
    (
        "talents:profile_confirm",
        "post",
        lambda w: f"/talents/{profiled(w).pk}/confirm/",
        {},
        [302, 302, 404, 404, 404, LOGIN],
    ),
    ("talents:import_upload", "get", lambda w: "/talents/import/", None, ADMINS_ONLY),
    (
        "talents:import_template",
        "get",
        lambda w: "/talents/import/template.xlsx",
        None,
        ADMINS_ONLY,
    ),
    (
        "talents:import_preview",
        "get",
        lambda w: f"/talents/import/{import_batch(w).pk}/",
        None,
        [200, 200, 404, 403, 403, LOGIN],
    ),
    (
        "talents:import_confirm",
        "post",
        lambda w: f"/talents/import/{import_batch(w).pk}/confirm/",
        {},
        [302, 302, 404, 403, 403, LOGIN],
    ),
    (
        "talents:import_discard",
        "post",
        lambda w: f"/talents/import/{import_batch(w).pk}/discard/",
        {},
        [302, 302, 404, 403, 403, LOGIN],
    ),
    ("talents:export", "get", lambda w: "/talents/export.xlsx", None, ADMINS_ONLY),
    ("ledger:home", "get", lambda w: "/ledger/", None, [200] * 5 + [LOGIN]),
    ("ledger:claim_new", "get", lambda w: "/ledger/claims/new/", None, [200] * 5 + [LOGIN]),
    (
        "ledger:claim_detail",
        "get",
        lambda w: f"/ledger/claims/{talent_claim(w).pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    (
        "ledger:evidence",
        "get",
        lambda w: f"/ledger/evidence/{talent_claim(w).evidence.get().pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    ("ledger:rules", "get", lambda w: "/ledger/rules/", None, [200] * 5 + [LOGIN]),
    ("ledger:frontline", "get", lambda w: "/ledger/frontline/", None, ADMINS_ONLY),
    ("ledger:recommendations", "get", lambda w: "/ledger/recommendations/", None, ADMINS_ONLY),
    (
        "ledger:snapshot",
        "get",
        lambda w: f"/ledger/snapshots/{snapshot_of_unit_a(w).pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    (
        "ledger:snapshot_xlsx",
        "get",
        lambda w: f"/ledger/snapshots/{snapshot_of_unit_a(w).pk}/xlsx/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    ("assistance:request_form", "get", lambda w: "/help/", None, [200] * 6),
    (
        "assistance:region_options",
        "get",
        lambda w: "/help/regions/?parent=210000",
        None,
        [200] * 6,
    ),
    ("assistance:track", "get", lambda w: f"/help/t/{help_request(w).token}/", None, [200] * 6),
    ("assistance:list", "get", lambda w: "/assistance/", None, [200] * 5 + [LOGIN]),
    ("assistance:report", "get", lambda w: "/assistance/report/", None, ADMINS_ONLY),
    (
        "assistance:detail",
        "get",
        lambda w: f"/assistance/{help_request(w).pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    (
        "assistance:act",
        "post",
        lambda w: f"/assistance/{help_request(w).pk}/act/",
        {"action": "close"},
        [302, 403, 404, 403, 404, LOGIN],
    ),
    ("counselling:ask", "get", lambda w: "/counselling/ask/", None, [200] * 6),
    (
        "counselling:status",
        "get",
        lambda w: f"/counselling/s/{counselling_case(w).token}/",
        None,
        [200] * 6,
    ),
    ("counselling:home", "get", lambda w: "/counselling/", None, [200, 403, 403, 403, 200, LOGIN]),
    (
        "counselling:route",
        "get",
        lambda w: f"/counselling/{counselling_case(w).pk}/route/",
        None,
        [404] * 5 + [LOGIN],
    ),
    (
        "counselling:case",
        "get",
        lambda w: f"/counselling/{counselling_case(w).pk}/",
        None,
        [404, 404, 404, 404, 200, LOGIN],
    ),
    (
        "counselling:close",
        "post",
        lambda w: f"/counselling/{counselling_case(w).pk}/close/",
        {},
        [404, 404, 404, 404, 302, LOGIN],
    ),
    ("supplies:needs", "get", lambda w: "/supplies/", None, [200] * 5 + [LOGIN]),
    (
        "supplies:need",
        "get",
        lambda w: f"/supplies/{supply_need(w).pk}/",
        None,
        [200] * 5 + [LOGIN],
    ),
    ("supplies:suppliers", "get", lambda w: "/supplies/suppliers/", None, [200] * 5 + [LOGIN]),
    (
        "supplies:supplier_verify",
        "post",
        lambda w: f"/supplies/suppliers/{supplier(w).pk}/verify/",
        {},
        [302, 302, 302, 403, 403, LOGIN],
    ),
    (
        "supplies:certificate",
        "get",
        lambda w: f"/supplies/certificates/{supply_receipt(w).pk}/",
        None,
        [200, 200, 404, 404, 404, LOGIN],
    ),
    ("supplies:public_needs", "get", lambda w: "/donate/", None, [200] * 6),
    ("supplies:public_pledge", "get", lambda w: f"/donate/{supply_need(w).pk}/", None, [200] * 6),
    ("supplies:thanks", "get", lambda w: "/thanks/", None, [200] * 6),
    ("care:needs", "get", lambda w: "/care/", None, [200] * 5 + [LOGIN]),
    (
        "care:detail",
        "get",
        lambda w: f"/care/{family_need(w).pk}/",
        None,
        [200, 200, 404, 404, 404, LOGIN],
    ),
    (
        "care:take",
        "post",
        lambda w: f"/care/{family_need(w).pk}/take/",
        {},
        [302, 302, 404, 404, 404, LOGIN],
    ),
    ("ledger:commendations", "get", lambda w: "/ledger/commendations/", None, ADMINS_ONLY),
    (
        "ledger:commendation_decide",
        "post",
        lambda w: f"/ledger/commendations/{commendation(w).pk}/decide/",
        {"decision": "approve"},
        [302, 403, 404, 404, 404, LOGIN],
    ),
    ("public_commendations", "get", lambda w: "/commendations/", None, [200] * 6),
    (
        "public_commendation",
        "get",
        lambda w: f"/commendations/{commendation(w, approved=True).pk}/",
        None,
        [200] * 6,
    ),
    ("accounts:password_change", "get", lambda w: "/accounts/password/", None, [200] * 5 + [LOGIN]),
    ("accounts:login", "get", lambda w: "/accounts/login/", None, [302] * 5 + [200]),
    ("accounts:logout", "post", lambda w: "/accounts/logout/", {}, [302] * 6),
    # Campus sign-in is not set up in these tests: its addresses do not exist (its own tests
    # set it up against real identity servers).
    ("accounts:cas_login", "get", lambda w: "/accounts/cas/login/", None, [404] * 6),
    ("accounts:oidc_login", "get", lambda w: "/accounts/oidc/login/", None, [404] * 6),
    ("accounts:oidc_callback", "get", lambda w: "/accounts/oidc/callback/", None, [404] * 6),
    (
        "accounts:sign_in_methods",
        "get",
        lambda w: "/accounts/sign-in-methods/",
        None,
        [200] * 5 + [LOGIN],
    ),
    ("set_language", "post", lambda w: "/i18n/setlang/", {"language": "en"}, [302] * 6),
    ("healthz", "get", lambda w: "/healthz", None, [200] * 6),
    ("health:home", "get", lambda w: checkin_url(w, "/health/"), None, [200] * 5 + [LOGIN]),
    (
        "health:same_as_yesterday",
        "post",
        lambda w: checkin_url(w, "/health/same/"),
        None,
        [302] * 5 + [LOGIN],
    ),
    ("health:my_data", "get", lambda w: "/health/mine/export/", None, [200] * 5 + [LOGIN]),
    (
        "health:dashboard",
        "get",
        lambda w: checkin_url(w, "/health/dashboard/"),
        None,
        [200, 200, 200, 403, 403, LOGIN],
    ),
    # No province above this university: nobody has an overview to open (two universities
    # under a province: health/tests/test_province.py).
    (
        "health:province",
        "get",
        lambda w: checkin_url(w, "/health/province/"),
        None,
        [403] * 5 + [LOGIN],
    ),
    (
        "health:dashboard_export",
        "get",
        lambda w: checkin_url(w, "/health/dashboard/export/"),
        None,
        [200, 200, 200, 403, 403, LOGIN],
    ),
    (
        "reports:home",
        "get",
        lambda w: f"/reports/?campaign={campaign(w).pk}",
        None,
        ADMINS_ONLY,
    ),
    (
        "reports:export",
        "get",
        lambda w: f"/reports/export.xlsx?campaign={campaign(w).pk}",
        None,
        ADMINS_ONLY,
    ),
    (
        "reports:situation_pdf",
        "get",
        lambda w: f"/reports/situation.pdf?campaign={campaign(w).pk}",
        None,
        ADMINS_ONLY,
    ),
    ("health:alerts", "get", lambda w: "/health/alerts/", None, [200] * 5 + [LOGIN]),
    (
        "health:alert_detail",
        "get",
        lambda w: f"/health/alerts/{fever_alert(w).pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    (
        "health:person_history",
        "get",
        lambda w: f"/health/people/{talent_person(w).pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    (
        "health:policy",
        "get",
        lambda w: f"/health/settings/{checkin_policy(w).campaign_id}/",
        None,
        [200, 403, 403, 403, 403, LOGIN],
    ),
    ("notices:list", "get", lambda w: "/notices/", None, [200] * 5 + [LOGIN]),
    ("notices:draft", "get", lambda w: "/notices/new/", None, [200, 403, 403, 403, 403, LOGIN]),
    (
        "notices:detail",
        "get",
        lambda w: f"/notices/{notice_to_a(w).pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    (
        "notices:publish",
        "post",
        lambda w: f"/notices/{notice_to_a(w, publish=False).pk}/publish/",
        None,
        [302, 404, 404, 404, 404, LOGIN],
    ),
    (
        "notices:pdf",
        "get",
        lambda w: f"/notices/{notice_to_a(w).pk}/pdf/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    (
        "notices:remind",
        "post",
        lambda w: f"/notices/{notice_to_a(w).pk}/remind/",
        None,
        [302, 403, 403, 403, 403, LOGIN],
    ),
    (
        "notices:receive",
        "post",
        lambda w: f"/notices/{notice_to_a(w).pk}/units/{w.unit_a.pk}/receive/",
        None,
        [302, 302, 404, 404, 404, LOGIN],
    ),
    (
        "notices:report",
        "get",
        lambda w: f"/notices/{notice_to_a(w).pk}/units/{w.unit_a.pk}/report/",
        None,
        [200, 200, 404, 404, 404, LOGIN],
    ),
    (
        "notices:attachment",
        "get",
        lambda w: f"/notices/attachments/{notice_to_a(w).attachments.get().pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    ("articles:public_list", "get", lambda w: "/articles/", None, [200] * 6),
    ("articles:manage", "get", lambda w: "/articles/manage/", None, [200] * 5 + [LOGIN]),
    ("articles:write", "get", lambda w: "/articles/new/", None, [200] * 5 + [LOGIN]),
    (
        "articles:detail",
        "get",
        lambda w: f"/articles/{article_of_talent(w).pk}/",
        None,
        [200, 200, 404, 200, 404, 404],
    ),
    (
        "articles:edit",
        "get",
        lambda w: f"/articles/{article_of_talent(w).pk}/edit/",
        None,
        [403, 403, 404, 403, 404, LOGIN],
    ),
    (
        "articles:submit",
        "post",
        lambda w: f"/articles/{article_of_talent(w).pk}/submit/",
        None,
        [302, 302, 404, 302, 404, LOGIN],
    ),
    (
        "articles:review",
        "post",
        lambda w: f"/articles/{article_of_talent(w).pk}/review/",
        {"decision": "publish"},
        [302, 302, 404, 403, 404, LOGIN],
    ),
    ("proposals:list", "get", lambda w: "/proposals/", None, [200] * 5 + [LOGIN]),
    (
        "proposals:detail",
        "get",
        lambda w: f"/proposals/{proposal_of_talent(w).pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    (
        "proposals:attachment",
        "get",
        lambda w: f"/proposals/attachments/{proposal_of_talent(w).attachments.get().pk}/",
        None,
        [200, 200, 404, 200, 404, LOGIN],
    ),
    ("proposals:key_problems", "get", lambda w: "/proposals/problems/", None, [200] * 5 + [LOGIN]),
    (
        "proposals:key_problem",
        "get",
        lambda w: f"/proposals/problems/{key_problem(w).pk}/",
        None,
        [200] * 5 + [LOGIN],
    ),
    (
        "proposals:volunteer",
        "post",
        lambda w: f"/proposals/problems/{key_problem(w).pk}/volunteer/",
        None,
        [302] * 5 + [LOGIN],
    ),
    (
        "proposals:close",
        "post",
        lambda w: f"/proposals/problems/{key_problem(w).pk}/close/",
        {"solved": "1"},
        [302, 403, 403, 403, 403, LOGIN],
    ),
    ("teaching:records", "get", lambda w: "/teaching/", None, [200] * 5 + [LOGIN]),
    ("teaching:coverage", "get", lambda w: "/teaching/coverage/", None, ADMINS_ONLY),
    (
        "teaching:verify",
        "post",
        lambda w: f"/teaching/{teaching_of_talent(w).pk}/verify/",
        None,
        [302, 302, 404, 403, 404, LOGIN],
    ),
    ("pledges:templates", "get", lambda w: "/pledges/", None, [200] * 5 + [LOGIN]),
    (
        "pledges:template",
        "get",
        lambda w: f"/pledges/{pledge(w).pk}/",
        None,
        [200] * 5 + [LOGIN],
    ),
    ("pledges:sign", "post", lambda w: f"/pledges/{pledge(w).pk}/sign/", None, [302] * 5 + [LOGIN]),
    ("pledges:acts", "get", lambda w: "/pledges/acts/", None, [200] * 5 + [LOGIN]),
    (
        "pledges:review",
        "post",
        lambda w: f"/pledges/acts/{vanguard_act_of_talent(w).pk}/review/",
        {"decision": "verify"},
        [302, 302, 404, 403, 404, LOGIN],
    ),
    ("accounts:two_factor", "get", lambda w: "/accounts/2fa/", None, [200] * 5 + [LOGIN]),
    # Nobody here has an authenticator: the code page sends them on.
    (
        "accounts:two_factor_verify",
        "get",
        lambda w: "/accounts/2fa/verify/",
        None,
        [302] * 5 + [LOGIN],
    ),
    (
        "accounts:two_factor_setup",
        "get",
        lambda w: "/accounts/2fa/setup/",
        None,
        [200, 200, 200, 403, 200, LOGIN],
    ),
    # New recovery codes need a session that gave its second factor.
    (
        "accounts:recovery_codes",
        "post",
        lambda w: "/accounts/2fa/codes/",
        None,
        [403] * 5 + [LOGIN],
    ),
    ("rights:mine", "get", lambda w: "/mydata/", None, [200] * 5 + [LOGIN]),
    ("rights:export_json", "get", lambda w: "/mydata/export.json", None, [200] * 5 + [LOGIN]),
    ("rights:export_xlsx", "get", lambda w: "/mydata/export.xlsx", None, [200] * 5 + [LOGIN]),
    (
        "rights:requests",
        "get",
        lambda w: "/mydata/requests/",
        None,
        [200, 200, 200, 403, 403, LOGIN],
    ),
    (
        "rights:handle",
        "get",
        lambda w: f"/mydata/requests/{rights_request_of_talent(w).pk}/",
        None,
        [200, 200, 404, 404, 404, LOGIN],
    ),
    ("rights:audit_log", "get", lambda w: "/mydata/audit/", None, [200] * 3 + [403] * 2 + [LOGIN]),
    ("consents:mine", "get", lambda w: "/consents/", None, [200] * 5 + [LOGIN]),
    (
        "consents:agree",
        "post",
        lambda w: "/consents/agree/",
        {"purposes": "health", "version_health": "1"},
        [302] * 5 + [LOGIN],
    ),
    (
        "consents:withdraw",
        "post",
        lambda w: "/consents/whereabouts/withdraw/",
        None,
        [302] * 5 + [LOGIN],
    ),
    ("consents:notices", "get", lambda w: "/consents/notices/", None, [200] + [403] * 4 + [LOGIN]),
]

API_MATRIX = [
    ("api-v1:openapi-json", "get", lambda w: "/api/v1/openapi.json", None, [200] * 6),
    ("api-v1:me", "get", lambda w: "/api/v1/me", None, [200] * 5 + [401]),
    ("api-v1:list_units", "get", lambda w: "/api/v1/units", None, [200] * 5 + [401]),
    (
        "api-v1:get_unit",
        "get",
        lambda w: f"/api/v1/units/{w.unit_a.pk}",
        None,
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:create_unit",
        "post",
        lambda w: "/api/v1/units",
        lambda w: {"parent_id": w.unit_a.pk, "name": "新支部", "code": "A-09", "kind": "branch"},
        [201, 201, 422, 422, 422, 401],
    ),
    (
        "api-v1:update_unit",
        "patch",
        lambda w: f"/api/v1/units/{w.unit_a.pk}",
        {"short_name": "甲院"},
        [200, 200, 404, 404, 404, 401],
    ),
    ("api-v1:list_profiles", "get", lambda w: "/api/v1/talents/profiles", None, [200] * 5 + [401]),
    (
        "api-v1:get_profile",
        "get",
        lambda w: f"/api/v1/talents/profiles/{profiled(w).pk}",
        None,
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:update_profile",
        "patch",
        lambda w: f"/api/v1/talents/profiles/{w.person_a.pk}",
        {"keywords": "余热回收", "disciplines": ["0806"]},
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:confirm_profile",
        "post",
        lambda w: f"/api/v1/talents/profiles/{profiled(w).pk}/confirm",
        {},
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:upload_import",
        "multipart",
        lambda w: "/api/v1/talents/imports",
        lambda w: {"file": workbook_bytes([person_row("A-01")])},
        [201, 201, 201, 403, 403, 401],
    ),
    (
        "api-v1:get_import",
        "get",
        lambda w: f"/api/v1/talents/imports/{import_batch(w).pk}",
        None,
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:confirm_import",
        "post",
        lambda w: f"/api/v1/talents/imports/{import_batch(w).pk}/confirm",
        {},
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:export",
        "get",
        lambda w: "/api/v1/talents/export",
        None,
        [200, 200, 200, 403, 403, 401],
    ),
    ("api-v1:list_entries", "get", lambda w: "/api/v1/ledger/entries", None, [200] * 5 + [401]),
    (
        "api-v1:submit_claim",
        "post",
        lambda w: "/api/v1/ledger/claims",
        lambda w: {
            "role": "educator",
            "campaign_id": campaign(w).pk,
            "date_from": "2020-03-02",
            "date_to": "2020-03-02",
            "summary": "在线授课",
        },
        [201, 201, 201, 201, 201, 401],
    ),
    (
        "api-v1:verify_claim",
        "post",
        lambda w: f"/api/v1/ledger/claims/{talent_claim(w).pk}/verify",
        {},
        [200, 200, 404, 403, 404, 401],
    ),
    (
        "api-v1:reject_claim",
        "post",
        lambda w: f"/api/v1/ledger/claims/{talent_claim(w).pk}/reject",
        {"reason": "材料不足"},
        [200, 200, 404, 403, 404, 401],
    ),
    (
        "api-v1:recommendations",
        "get",
        lambda w: (
            f"/api/v1/ledger/recommendations?kind=awards&campaign_id={campaign(w).pk}"
            f"&unit_id={w.unit_a.pk}"
        ),
        None,
        [200, 200, 404, 403, 403, 401],
    ),
    (
        "api-v1:correct_entry",
        "post",
        lambda w: f"/api/v1/ledger/entries/{verified_entry(w).seq}/correct",
        {"reason": "时长填错", "hours": "1"},
        [201, 201, 404, 403, 404, 401],
    ),
    ("api-v1:rules_in_force", "get", lambda w: "/api/v1/ledger/rules", None, [200] * 5 + [401]),
    ("api-v1:list_frontline", "get", lambda w: "/api/v1/ledger/frontline", None, [200] * 5 + [401]),
    (
        "api-v1:record_frontline",
        "post",
        lambda w: "/api/v1/ledger/frontline",
        lambda w: {
            "person_id": w.person_a.pk,
            "campaign_id": campaign(w).pk,
            "starts_on": "2020-02-01",
            "description": "隔离点保障",
        },
        [201, 201, 422, 422, 422, 401],
    ),
    (
        "api-v1:list_commendations",
        "get",
        lambda w: "/api/v1/ledger/commendations",
        None,
        [200] * 5 + [401],
    ),
    (
        "api-v1:propose_commendation",
        "post",
        lambda w: "/api/v1/ledger/commendations",
        lambda w: {
            "person_id": w.person_a.pk,
            "campaign_id": campaign(w).pk,
            "title": "先进个人",
            "citation": "事迹",
            "awarded_on": "2020-07-01",
            "awarding_body": "校党委",
        },
        [201, 201, 422, 422, 422, 401],
    ),
    (
        "api-v1:decide_commendation",
        "post",
        lambda w: f"/api/v1/ledger/commendations/{commendation(w).pk}/decide",
        {"approve": True},
        [200, 403, 404, 404, 404, 401],
    ),
    ("api-v1:list_needs", "get", lambda w: "/api/v1/care/needs", None, [200] * 5 + [401]),
    (
        "api-v1:record_need",
        "post",
        lambda w: "/api/v1/care/needs",
        lambda w: {"person_id": frontline_a(w).pk, "category": "medical", "description": "就医"},
        [201, 201, 422, 422, 422, 401],
    ),
    (
        "api-v1:take_need",
        "post",
        lambda w: f"/api/v1/care/needs/{family_need(w).pk}/take",
        {},
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:add_note",
        "post",
        lambda w: f"/api/v1/care/needs/{family_need(w).pk}/notes",
        {"text": "已联系家属"},
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:submit_request",
        "post",
        lambda w: "/api/v1/help/requests",
        public_request_body,
        [201] * 6,
    ),
    (
        "api-v1:track",
        "get",
        lambda w: f"/api/v1/help/requests/track/{help_request(w).token}",
        None,
        [200] * 6,
    ),
    (
        "api-v1:add_information",
        "post",
        lambda w: f"/api/v1/help/requests/track/{help_request(w).token}/notes",
        {"text": "补充说明"},
        [201] * 6,
    ),
    (
        "api-v1:rate",
        "post",
        lambda w: f"/api/v1/help/requests/track/{help_request(w).token}/rating",
        {"rating": 5},
        [422] * 6,
    ),
    (
        "api-v1:list_requests",
        "get",
        lambda w: "/api/v1/assistance/requests",
        None,
        [200] * 5 + [401],
    ),
    (
        "api-v1:get_request",
        "get",
        lambda w: f"/api/v1/assistance/requests/{help_request(w).pk}",
        None,
        [200, 200, 404, 200, 404, 401],
    ),
    (
        "api-v1:ranked_experts",
        "get",
        lambda w: f"/api/v1/assistance/requests/{help_request(w).pk}/experts",
        None,
        [200, 403, 404, 403, 404, 401],
    ),
    (
        "api-v1:act",
        "post",
        lambda w: f"/api/v1/assistance/requests/{help_request(w).pk}/actions",
        {"action": "close"},
        [422, 403, 404, 403, 404, 401],
    ),
    ("api-v1:list_claims", "get", lambda w: "/api/v1/ledger/claims", None, [200] * 5 + [401]),
    (
        "api-v1:get_claim",
        "get",
        lambda w: f"/api/v1/ledger/claims/{talent_claim(w).pk}",
        None,
        [200, 200, 404, 200, 404, 401],
    ),
    (
        "api-v1:add_evidence",
        "multipart",
        lambda w: f"/api/v1/ledger/claims/{talent_claim(w).pk}/evidence",
        lambda w: {"file": SimpleUploadedFile("补充.pdf", b"%PDF-1.4 more")},
        [201, 201, 404, 201, 404, 401],
    ),
    (
        "api-v1:publish_rules",
        "post",
        lambda w: "/api/v1/ledger/rules",
        {
            "frontline_multiplier": "1.5",
            "monthly_cap": "100",
            "role_rules": [
                {
                    "role": "technician",
                    "base_points": "5",
                    "per_hour": "1",
                    "per_person_served": "2",
                    "per_item_donated": "0",
                }
            ],
        },
        [201, 403, 403, 403, 403, 401],
    ),
    (
        "api-v1:finalize_list",
        "post",
        lambda w: "/api/v1/ledger/snapshots",
        lambda w: {"kind": "awards", "campaign_id": campaign(w).pk, "unit_id": w.unit_a.pk},
        [201, 403, 404, 404, 404, 401],
    ),
    ("api-v1:list_snapshots", "get", lambda w: "/api/v1/ledger/snapshots", None, [200] * 5 + [401]),
    (
        "api-v1:get_snapshot",
        "get",
        lambda w: f"/api/v1/ledger/snapshots/{snapshot_of_unit_a(w).pk}",
        None,
        [200, 200, 404, 200, 404, 401],
    ),
    (
        "api-v1:request_report",
        "get",
        lambda w: "/api/v1/assistance/report",
        None,
        [200, 200, 200, 403, 403, 401],
    ),
    (
        "api-v1:ask",
        "post",
        lambda w: "/api/v1/counselling/requests",
        {
            "category": "mood",
            "channel": "anonymous_message",
            "time_window": "晚上",
            "description": "焦虑",
            "consent_version": 1,
        },
        [201] * 6,
    ),
    (
        "api-v1:status",
        "get",
        lambda w: f"/api/v1/counselling/status/{counselling_case(w).token}",
        None,
        [200] * 6,
    ),
    ("api-v1:queue", "get", lambda w: "/api/v1/counselling/queue", None, [403] * 5 + [401]),
    (
        "api-v1:assign",
        "post",
        lambda w: f"/api/v1/counselling/cases/{counselling_case(w).pk}/assign",
        lambda w: {"counsellor_id": w.users.counsellor.pk},
        [404] * 5 + [401],
    ),
    ("api-v1:my_cases", "get", lambda w: "/api/v1/counselling/cases", None, [200] * 5 + [401]),
    (
        "api-v1:get_case",
        "get",
        lambda w: f"/api/v1/counselling/cases/{counselling_case(w).pk}",
        None,
        [404, 404, 404, 404, 200, 401],
    ),
    (
        "api-v1:log_session",
        "post",
        lambda w: f"/api/v1/counselling/cases/{counselling_case(w).pk}/sessions",
        {"held_on": "2026-01-05", "minutes": 50, "content": "倾听与放松训练"},
        [404, 404, 404, 404, 201, 401],
    ),
    (
        "api-v1:close",
        "post",
        lambda w: f"/api/v1/counselling/cases/{counselling_case(w).pk}/close",
        {},
        [404, 404, 404, 404, 422, 401],
    ),
    (
        "api-v1:counts",
        "get",
        lambda w: "/api/v1/counselling/counts",
        None,
        [200] + [403] * 4 + [401],
    ),
    ("api-v1:list_needs", "get", lambda w: "/api/v1/supplies/needs", None, [200] * 5 + [401]),
    (
        "api-v1:post_need",
        "post",
        lambda w: "/api/v1/supplies/needs",
        lambda w: {
            "item": "消毒液",
            "quantity": "100",
            "unit_of_measure": "bottle",
            "needed_by": "2099-01-01",
            "receiving_unit_id": w.unit_a.pk,
        },
        [201, 201, 422, 422, 422, 401],
    ),
    (
        "api-v1:pledge",
        "post",
        lambda w: f"/api/v1/supplies/needs/{supply_need(w).pk}/pledges",
        {
            "donor_name": "爱心人士",
            "donor_contact": "13800000002",
            "quantity": "10",
            "expected_on": "2099-01-01",
        },
        [201] * 6,
    ),
    (
        "api-v1:receive",
        "post",
        lambda w: f"/api/v1/supplies/pledges/{supply_pledge(w).pk}/receipts",
        {"quantity": "500"},
        [201, 201, 404, 404, 404, 401],
    ),
    (
        "api-v1:dispatch",
        "post",
        lambda w: f"/api/v1/supplies/needs/{supply_need(w).pk}/dispatches",
        {"quantity": "10", "destination": "发热门诊"},
        [422, 422, 403, 403, 403, 401],
    ),
    (
        "api-v1:list_suppliers",
        "get",
        lambda w: "/api/v1/supplies/suppliers",
        None,
        [200] * 5 + [401],
    ),
    (
        "api-v1:add_supplier",
        "post",
        lambda w: "/api/v1/supplies/suppliers",
        {"name": "某公司", "contact": "张经理 13800000003", "items": "防护服"},
        [201] * 5 + [401],
    ),
    ("api-v1:list_people", "get", lambda w: "/api/v1/people", None, [200] * 5 + [401]),
    (
        "api-v1:get_person",
        "get",
        lambda w: f"/api/v1/people/{w.person_a.pk}",
        None,
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:create_person",
        "post",
        lambda w: "/api/v1/people",
        lambda w: {
            "staff_no": "N0000001",
            "name": "新人",
            "gender": "female",
            "unit_id": w.branch_a.pk,
            "political_status": "masses",
        },
        [201, 201, 422, 422, 422, 401],
    ),
    (
        "api-v1:update_person",
        "patch",
        lambda w: f"/api/v1/people/{w.person_a.pk}",
        {"post": "系主任"},
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:submit_checkin",
        "post",
        lambda w: checkin_url(w, "/api/v1/health/checkins"),
        lambda w: healthy_answers(),
        [201] * 5 + [401],
    ),
    ("api-v1:my_checkins", "get", lambda w: "/api/v1/health/checkins", None, [200] * 5 + [401]),
    (
        "api-v1:unit_stats",
        "get",
        lambda w: checkin_url(w, "/api/v1/health/stats"),
        None,
        [200, 200, 200, 403, 403, 401],
    ),
    ("api-v1:list_alerts", "get", lambda w: "/api/v1/health/alerts", None, [200] * 5 + [401]),
    (
        "api-v1:acknowledge_alert",
        "post",
        lambda w: f"/api/v1/health/alerts/{fever_alert(w).pk}/acknowledge",
        {"note": "已电话联系"},
        [200, 200, 404, 403, 404, 401],
    ),
    (
        "api-v1:close_alert",
        "post",
        lambda w: f"/api/v1/health/alerts/{fever_alert(w, acknowledged=True).pk}/close",
        {"note": ""},
        [200, 200, 404, 403, 404, 401],
    ),
    ("api-v1:list_notices", "get", lambda w: "/api/v1/notices", None, [200] * 5 + [401]),
    (
        "api-v1:draft_notice",
        "post",
        lambda w: "/api/v1/notices",
        lambda w: {
            "document_number": "科大组织部〔2020〕9号",
            "issuer": "中共辽宁科技大学委员会组织部",
            "title": "通知",
            "addressee": "各分党委",
            "body": "正文",
            "unit_ids": [w.unit_a.pk],
            "report_deadline": date.today().replace(year=date.today().year + 1).isoformat(),
        },
        [201, 403, 403, 403, 403, 401],
    ),
    (
        "api-v1:get_notice",
        "get",
        lambda w: f"/api/v1/notices/{notice_to_a(w).pk}",
        None,
        [200, 200, 404, 200, 404, 401],
    ),
    (
        "api-v1:publish_notice",
        "post",
        lambda w: f"/api/v1/notices/{notice_to_a(w, publish=False).pk}/publish",
        None,
        [200, 404, 404, 404, 404, 401],
    ),
    (
        "api-v1:receive_notice",
        "post",
        lambda w: f"/api/v1/notices/{notice_to_a(w).pk}/units/{w.unit_a.pk}/receive",
        None,
        [200, 200, 404, 404, 404, 401],
    ),
    (
        "api-v1:file_report",
        "post",
        lambda w: f"/api/v1/notices/{notice_to_a(w).pk}/units/{w.unit_a.pk}/report",
        {"text": "已落实"},
        [200, 200, 404, 404, 404, 401],
    ),
    ("api-v1:published_articles", "get", lambda w: "/api/v1/articles", None, [200] * 6),
    (
        "api-v1:write_article",
        "post",
        lambda w: "/api/v1/articles",
        lambda w: {
            "author_id": talent_person(w).pk,
            "campaign_id": current_campaign(w).pk,
            "category": "knowledge",
            "title": "防护",
            "body": "勤洗手",
        },
        [201, 201, 422, 201, 422, 401],
    ),
    (
        "api-v1:submit_article",
        "post",
        lambda w: f"/api/v1/articles/{article_of_talent(w).pk}/submit",
        None,
        [422, 422, 404, 422, 404, 401],
    ),
    (
        "api-v1:review_article",
        "post",
        lambda w: f"/api/v1/articles/{article_of_talent(w).pk}/review",
        {"publish": True},
        [200, 200, 404, 403, 404, 401],
    ),
    ("api-v1:list_proposals", "get", lambda w: "/api/v1/proposals", None, [200] * 5 + [401]),
    (
        "api-v1:submit_proposal",
        "post",
        lambda w: "/api/v1/proposals",
        lambda w: {
            "campaign_id": current_campaign(w).pk,
            "topic": "建议",
            "problem": "问题",
            "suggestion": "对策",
        },
        [201] * 5 + [401],
    ),
    (
        "api-v1:decide_proposal",
        "post",
        lambda w: f"/api/v1/proposals/{proposal_of_talent(w).pk}/decide",
        {"decision": "noted", "feedback": "已阅"},
        [200, 403, 404, 403, 404, 401],
    ),
    ("api-v1:list_key_problems", "get", lambda w: "/api/v1/key-problems", None, [200] * 5 + [401]),
    (
        "api-v1:publish_key_problem",
        "post",
        lambda w: "/api/v1/key-problems",
        lambda w: {"campaign_id": current_campaign(w).pk, "title": "问题", "description": "说明"},
        [201, 403, 403, 403, 403, 401],
    ),
    (
        "api-v1:volunteer_for_key_problem",
        "post",
        lambda w: f"/api/v1/key-problems/{key_problem(w).pk}/volunteer",
        None,
        [201] * 5 + [401],
    ),
    (
        "api-v1:report_key_problem_progress",
        "post",
        lambda w: f"/api/v1/key-problems/{key_problem(w).pk}/progress",
        {"text": "进展"},
        [403] * 5 + [401],
    ),
    ("api-v1:list_teaching", "get", lambda w: "/api/v1/teaching", None, [200] * 5 + [401]),
    (
        "api-v1:record_teaching",
        "post",
        lambda w: "/api/v1/teaching",
        lambda w: {
            "person_id": talent_person(w).pk,
            "campaign_id": current_campaign(w).pk,
            "kind": "qa",
            "held_on": date.today().isoformat(),
            "course": "冶金原理",
        },
        [201, 201, 422, 201, 422, 401],
    ),
    (
        "api-v1:verify_teaching",
        "post",
        lambda w: f"/api/v1/teaching/{teaching_of_talent(w).pk}/verify",
        None,
        [200, 200, 404, 403, 404, 401],
    ),
    (
        "api-v1:teaching_coverage",
        "get",
        lambda w: "/api/v1/teaching/coverage",
        None,
        [200, 200, 200, 403, 403, 401],
    ),
    ("api-v1:list_pledges", "get", lambda w: "/api/v1/pledges", None, [200] * 5 + [401]),
    (
        "api-v1:publish_pledge",
        "post",
        lambda w: "/api/v1/pledges",
        lambda w: {"campaign_id": current_campaign(w).pk, "title": "承诺书", "items": "减少外出"},
        [201, 403, 403, 403, 403, 401],
    ),
    (
        "api-v1:sign_pledge",
        "post",
        lambda w: f"/api/v1/pledges/{pledge(w).pk}/sign",
        None,
        [201] * 5 + [401],
    ),
    (
        "api-v1:pledge_coverage",
        "get",
        lambda w: f"/api/v1/pledges/{pledge(w).pk}/coverage",
        None,
        [200, 200, 200, 403, 403, 401],
    ),
    (
        "api-v1:list_vanguard_acts",
        "get",
        lambda w: "/api/v1/vanguard-acts",
        None,
        [200] * 5 + [401],
    ),
    (
        "api-v1:record_vanguard_act",
        "post",
        lambda w: "/api/v1/vanguard-acts",
        lambda w: {
            "person_id": talent_person(w).pk,
            "campaign_id": current_campaign(w).pk,
            "done_on": date.today().isoformat(),
            "description": "卡口值守",
        },
        [201, 201, 422, 201, 422, 401],
    ),
    (
        "api-v1:review_vanguard_act",
        "post",
        lambda w: f"/api/v1/vanguard-acts/{vanguard_act_of_talent(w).pk}/review",
        {"verify": True},
        [200, 200, 404, 403, 404, 401],
    ),
    ("api-v1:my_consents", "get", lambda w: "/api/v1/consents", None, [200] * 5 + [401]),
    (
        "api-v1:give_consent",
        "post",
        lambda w: "/api/v1/consents",
        {"purpose": "health", "version": 1},
        [200] * 5 + [401],
    ),
    (
        "api-v1:withdraw_consent",
        "post",
        lambda w: "/api/v1/consents/whereabouts/withdraw",
        None,
        [200] * 5 + [401],
    ),
]


def _cases(matrix):
    cases = []
    for name, method, url, body, expected in matrix:
        for persona, status in zip(PERSONAS, expected, strict=True):
            cases.append(pytest.param(method, url, body, persona, status, id=f"{name}-{persona}"))
    return cases


def _request(client, method, url, body):
    if method == "get":
        return client.get(url)
    if method == "multipart":
        return client.post(url, body)
    if url.startswith("/api/"):
        return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")
    return getattr(client, method)(url, body or {})


@pytest.mark.parametrize(("method", "url", "body", "persona", "expected"), _cases(PAGE_MATRIX))
def test_page_access(world, method, url, body, persona, expected):
    response = _request(client_for(world, persona), method, url(world), body)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("method", "url", "body", "persona", "expected"), _cases(API_MATRIX))
def test_api_access(world, method, url, body, persona, expected):
    body = body(world) if callable(body) else body
    response = _request(client_for(world, persona), method, url(world), body)
    assert response.status_code == expected, response.content


def _url_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_page_and_endpoint_has_a_persona_row():
    covered = {row[0] for row in PAGE_MATRIX + API_MATRIX}
    # Django's own admin (superusers only) and the language switch's GET-less twin are not ours.
    ours = {
        name
        for name in _url_names(get_resolver())
        if not name.startswith("admin:") and name != "api-v1:api-root"
    }
    assert ours - covered == set()
