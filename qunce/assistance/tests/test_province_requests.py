"""Help requests in a province: two universities under one root (seed_province). A request names
the university it hopes for, or waits for the province admin to route it; the university's own
组织部 triages it; experts are matched across the universities that share theirs."""

import pytest
from django.test import Client

from qunce.assistance import services
from qunce.assistance.models import HelpRequest, Invitation
from qunce.assistance.tests.conftest import api_payload, request_values
from qunce.conftest import signed_in
from qunce.core.models import AuditEvent, InboxMessage, StateEvent
from qunce.org.models import Person
from qunce.talents.models import TalentProfile

pytestmark = pytest.mark.django_db

BLAST_FURNACE = "复产后高炉煤气余热回收系统运行不稳定，温度波动大"


def expert_of(university, *, keywords, works, discipline):
    """A teacher of `university` whose profile says what they know."""
    person = (
        Person.objects.filter(unit__path__startswith=university.path, user__isnull=False)
        .order_by("pk")
        .last()
    )
    profile, _ = TalentProfile.objects.update_or_create(
        person=person, defaults={"keywords": keywords, "works": works}
    )
    profile.disciplines.set([discipline])
    return person


@pytest.fixture
def experts(province):
    """The province's universities keep their experts to themselves until a test says so; the
    second has a metallurgist, the first a chemist."""
    for university in (province["first"], province["second"]):
        sharing(university, False)
    province["metallurgist"] = expert_of(
        province["second"],
        keywords="高炉炼铁、余热回收",
        works="高炉煤气余热回收关键技术",
        discipline="0806",
    )
    province["chemist"] = expert_of(
        province["first"],
        keywords="消毒液、次氯酸钠",
        works="次氯酸钠消毒液生产工艺",
        discipline="0817",
    )
    return province


def submitted_to(university, **overrides):
    help_request, _token = services.help_request_submit(
        **request_values(university=university, **overrides)
    )
    return help_request


def sharing(university, shares=True):
    university.shares_experts = shares
    university.save(update_fields=["shares_experts"])


def suggested(client, help_request):
    page = client.get(f"/assistance/{help_request.pk}/")
    assert page.status_code == 200
    return page.content.decode()


# -- the public form -----------------------------------------------------------------------


def test_the_public_form_offers_the_provinces_universities_and_tells_that_office(province):
    page = Client().get("/help/")
    html = page.content.decode()
    assert "希望对接的高校" in html and "不限，由省里统筹分派" in html
    assert province["first"].name in html and province["second"].name in html
    help_request = submitted_to(province["first"])
    assert help_request.university == province["first"]
    told = set(
        InboxMessage.objects.filter(link=f"/assistance/{help_request.pk}/").values_list(
            "recipient", flat=True
        )
    )
    assert province["first_admin"].pk in told
    assert province["second_admin"].pk not in told and province["overseer"].pk not in told


def test_the_api_takes_a_university_by_its_code_and_names_a_wrong_one(province):
    client = Client()
    before = HelpRequest.objects.count()
    response = client.post(
        "/api/v1/help/requests",
        api_payload(university_code=province["second"].code),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert HelpRequest.objects.get(pk=response.json()["id"]).university == province["second"]
    for code in ("NO-SUCH-UNIT", province["root"].code):
        refused = client.post(
            "/api/v1/help/requests",
            api_payload(university_code=code, mobile="13700002222"),
            content_type="application/json",
        )
        assert refused.status_code in (400, 422)
        assert "university_code" in refused.content.decode()
    assert HelpRequest.objects.count() == before + 1


# -- who sees and handles what -------------------------------------------------------------


def test_a_universitys_office_handles_its_own_requests_and_never_sees_the_others(province):
    theirs = submitted_to(province["first"])
    other = submitted_to(province["second"], mobile="13900001111")
    first = signed_in(province["first_admin"])
    assert first.get(f"/assistance/{theirs.pk}/").status_code == 200
    assert first.get(f"/assistance/{other.pk}/").status_code == 404
    assert first.get(f"/api/v1/assistance/requests/{other.pk}").status_code == 404
    listed = first.get("/assistance/").content.decode()
    assert theirs.organization in listed and f"/assistance/{other.pk}/" not in listed
    assert "待分类的求助" in first.get("/").content.decode()
    first.post(f"/assistance/{theirs.pk}/act/", {"action": "triage", "category": "process"})
    theirs.refresh_from_db()
    assert theirs.status == HelpRequest.Status.TRIAGED
    # Another university's office may not triage it, even by the API.
    second = signed_in(province["second_admin"])
    response = second.post(
        f"/api/v1/assistance/requests/{theirs.pk}/actions",
        {"action": "reopen", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_province_admin_sees_a_waiting_request_without_its_contact_and_routes_it(province):
    waiting = submitted_to(None)
    assert waiting.university is None
    overseer = signed_in(province["overseer"])
    assert "待分派给高校的求助" in overseer.get("/").content.decode()
    html = overseer.get(f"/assistance/{waiting.pk}/").content.decode()
    assert waiting.organization in html
    assert waiting.mobile not in html and waiting.contact_name not in html
    assert "分派给高校" in html and province["second"].name in html
    for admin in ("first_admin", "second_admin"):
        assert signed_in(province[admin]).get(f"/assistance/{waiting.pk}/").status_code == 404
    # Only the university's office classifies it: not the province.
    assert (
        overseer.post(
            f"/assistance/{waiting.pk}/act/", {"action": "triage", "category": "process"}
        ).status_code
        == 403
    )

    overseer.post(
        f"/assistance/{waiting.pk}/act/",
        {"action": "route", "university": province["second"].pk, "reason": "该校冶金学科强"},
    )
    waiting.refresh_from_db()
    assert waiting.university == province["second"]
    assert waiting.status == HelpRequest.Status.SUBMITTED
    event = StateEvent.objects.filter(target_id=str(waiting.pk)).latest("pk")
    assert "该校冶金学科强" in event.note and province["second"].name in event.note
    assert InboxMessage.objects.filter(
        recipient=province["second_admin"], subject__contains="省级转来"
    ).exists()
    second = signed_in(province["second_admin"])
    assert second.get(f"/assistance/{waiting.pk}/").status_code == 200
    second.post(f"/assistance/{waiting.pk}/act/", {"action": "triage", "category": "process"})
    waiting.refresh_from_db()
    assert waiting.status == HelpRequest.Status.TRIAGED
    assert signed_in(province["first_admin"]).get(f"/assistance/{waiting.pk}/").status_code == 404

    # Routed on to the first university, it waits there to be triaged again.
    overseer.post(
        f"/assistance/{waiting.pk}/act/",
        {"action": "route", "university": province["first"].pk, "reason": "二校暂无空闲专家"},
    )
    waiting.refresh_from_db()
    assert (waiting.university, waiting.status) == (province["first"], "submitted")


def test_routing_refuses_bad_input_and_anyone_but_the_province(experts):
    province = experts
    help_request = submitted_to(province["first"])
    overseer = signed_in(province["overseer"])
    act = f"/api/v1/assistance/requests/{help_request.pk}/actions"

    def route(client, **body):
        return client.post(act, {"action": "route", **body}, content_type="application/json")

    no_reason = route(overseer, university_code=province["second"].code)
    assert no_reason.status_code in (400, 422) and "reason" in no_reason.content.decode()
    same = route(overseer, university_code=province["first"].code, reason="x")
    assert same.status_code in (400, 422) and "university" in same.content.decode()
    not_a_university = route(overseer, university_code=province["root"].code, reason="x")
    assert not_a_university.status_code in (400, 422)
    assert (
        route(
            signed_in(province["first_admin"]), university_code=province["second"].code, reason="x"
        ).status_code
        == 403
    )
    help_request.refresh_from_db()
    assert (help_request.university, help_request.status) == (province["first"], "submitted")
    # Once experts are invited, the request stays with the university that invited them.
    services.help_request_triage(help_request=help_request, acting_user=province["first_admin"])
    services.help_request_invite(
        help_request=help_request,
        experts=[province["chemist"]],
        acting_user=province["first_admin"],
    )
    late = route(overseer, university_code=province["second"].code, reason="x")
    assert late.status_code in (400, 422) and "status" in late.content.decode()
    help_request.refresh_from_db()
    assert help_request.university == province["first"]


# -- matching across the universities that share -------------------------------------------


def test_experts_of_another_university_are_suggested_only_when_both_share(experts):
    province = experts
    help_request = submitted_to(province["first"], description=BLAST_FURNACE)
    services.help_request_triage(help_request=help_request, acting_user=province["first_admin"])
    first = signed_in(province["first_admin"])
    metallurgist = province["metallurgist"]

    assert metallurgist.name not in suggested(first, help_request)
    sharing(province["second"])
    assert metallurgist.name not in suggested(first, help_request)  # the first does not share

    sharing(province["first"])
    html = suggested(first, help_request)
    assert metallurgist.name in html and province["second"].name in html.split("推荐专家")[1]
    found = first.get(f"/assistance/{help_request.pk}/", {"find": metallurgist.name})
    assert metallurgist.name in found.content.decode().split("检索人才库")[1]
    first.post(
        f"/assistance/{help_request.pk}/act/", {"action": "invite", "expert": [metallurgist.pk]}
    )
    invitation = Invitation.objects.get(request=help_request)
    assert invitation.expert == metallurgist
    # The expert sees the invitation; the first university's office still handles the request.
    expert = signed_in(metallurgist.user)
    assert expert.get(f"/assistance/{help_request.pk}/").status_code == 200
    expert.post(f"/assistance/{help_request.pk}/act/", {"action": "accept"})
    help_request.refresh_from_db()
    assert help_request.expert == metallurgist


def test_an_office_cannot_invite_a_non_sharing_universitys_expert_by_id(experts):
    province = experts
    help_request = submitted_to(province["first"], description=BLAST_FURNACE)
    services.help_request_triage(help_request=help_request, acting_user=province["first_admin"])
    sharing(province["first"])  # the second keeps its experts to itself
    response = signed_in(province["first_admin"]).post(
        f"/api/v1/assistance/requests/{help_request.pk}/actions",
        {"action": "invite", "expert_ids": [province["metallurgist"].pk]},
        content_type="application/json",
    )
    assert response.status_code in (400, 422) and "experts" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_universitys_office_joins_and_leaves_sharing_and_no_one_else_decides(experts):
    province = experts
    first, second = province["first"], province["second"]
    office = signed_in(province["first_admin"])
    listed = office.get("/assistance/").content.decode()
    assert "全省专家共享" in listed and "参与共享" in listed and second.name not in listed
    office.post(f"/org/units/{first.pk}/sharing/", {"sharing": "shares_experts", "shares": "1"})
    first.refresh_from_db()
    assert first.shares_experts
    assert AuditEvent.objects.filter(action="expert_sharing_set", target_id=str(first.pk)).exists()
    assert "退出共享" in office.get("/assistance/").content.decode()
    office.post(f"/org/units/{first.pk}/sharing/", {"sharing": "shares_experts", "shares": "0"})
    first.refresh_from_db()
    assert not first.shares_experts
    for outsider in ("second_admin", "overseer"):
        response = signed_in(province[outsider]).post(
            f"/org/units/{first.pk}/sharing/", {"sharing": "shares_experts", "shares": "1"}
        )
        assert response.status_code in (403, 404)
    first.refresh_from_db()
    assert not first.shares_experts
