import datetime
import json
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from qunce.conftest import client_for
from qunce.health import services
from qunce.health.models import Checkin, CheckinReceipt, CheckinRevision, Field, HealthAlert

from .conftest import healthy_answers, healthy_form

API = "/api/v1/health/checkins"


def post_json(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def test_a_talent_checks_in_on_the_page_and_sees_the_day_in_the_calendar(world, policy):
    talent = client_for(world, "talent")
    assert "今日尚未打卡" in talent.get("/health/").content.decode()
    response = talent.post("/health/", healthy_form(idempotency_key="page-key-0001"))
    assert response.status_code == 302
    checkin = Checkin.objects.get()
    assert checkin.person == world.users.talent.person
    assert checkin.day == timezone.localdate()
    assert checkin.region_id == "210211" and checkin.on_campus is True
    assert checkin.temperature == Decimal("36.5") and checkin.symptoms == ["none"]
    assert checkin.unit == world.branch_a and checkin.alert_reasons == []
    page = talent.get("/health/").content.decode()
    assert "今日已打卡" in page and "已连续打卡 1 天" in page
    today = timezone.localdate()
    assert f'<td class="done" title="{today.isoformat()}">{today.day}</td>' in page
    assert page.count('class="done"') == 1
    tomorrow = today + datetime.timedelta(days=1)
    if tomorrow.weekday() != 0:  # the calendar ends with this week
        assert f'<td class="future" title="{tomorrow.isoformat()}">' in page


def test_the_form_is_prefilled_from_yesterday_and_one_tap_repeats_it(world, policy):
    person = world.users.talent.person
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    Checkin.objects.update(day=yesterday)
    talent = client_for(world, "talent")
    page = talent.get("/health/").content.decode()
    assert 'value="36.5"' in page and "与昨日相同，一键提交" in page
    # Yesterday's place, province to district (Dalian's Ganjingzi), and no other place chosen.
    chosen = re.findall(r'<option value="(\d{6})" selected>', page)
    assert chosen == ["210000", "210200", "210211"]
    assert '<option value="210202">中山区</option>' in page
    talent.post("/health/same/", {"campaign": policy.campaign_id})
    today = Checkin.objects.get(day=timezone.localdate())
    assert today.region_id == "210211" and today.temperature == Decimal("36.5")
    assert "已连续打卡 2 天" in talent.get("/health/").content.decode()


HTMX = {"HX-Request": "true"}


def oob_part(page, element_id):
    """The content an htmx answer swaps into the element with this id."""
    match = re.search(rf'<(\w+) id="{element_id}"[^>]*hx-swap-oob="[^"]+"[^>]*>', page)
    assert match, element_id
    return page[match.end() : page.index(f"</{match.group(1)}>", match.end())]


def test_with_htmx_a_saved_check_in_answers_with_only_what_changes(world, policy):
    talent = client_for(world, "talent")
    first = talent.post("/health/", healthy_form(idempotency_key="htmx-key-0001"), headers=HTMX)
    assert first.status_code == 200 and "checkin-saved" in json.loads(first["HX-Trigger"])
    answer = first.content.decode()
    assert "<main" not in answer  # not a second page
    assert "今日健康打卡已提交，谢谢。" in oob_part(answer, "checkin-status")
    assert "今日已打卡" in oob_part(answer, "checkin-status")
    today = timezone.localdate()
    assert f'<td class="done" title="{today.isoformat()}">' in oob_part(answer, "checkin-calendar")
    assert re.search(r'id="checkin-submit"[^>]*hx-swap-oob="true">修改今日打卡<', answer)
    # A fresh key, so that a correction is a new submission and not a replay of this one.
    (key,) = re.findall(r'name="idempotency_key" id="checkin-key" value="(\w+)" hx-swap', answer)
    assert key != "htmx-key-0001"
    talent.post("/health/", healthy_form(temperature="36.8", idempotency_key=key), headers=HTMX)
    checkin = Checkin.objects.get()
    assert checkin.version == 2 and checkin.temperature == Decimal("36.8")
    # The thanks was shown in the card, not kept for the next page.
    assert "谢谢" not in talent.get("/health/").content.decode()


def test_with_htmx_a_field_to_correct_is_left_to_the_page_without_script(world, policy):
    response = client_for(world, "talent").post(
        "/health/", healthy_form(temperature="43.5"), headers=HTMX
    )
    # No saved event: the page's script posts the form again without htmx, whose page shows it.
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert "34.0–43.0" in response.content.decode()
    assert not Checkin.objects.exists()


def test_with_htmx_one_tap_answers_with_the_status_card(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    talent = client_for(world, "talent")
    tap = talent.post("/health/same/", {"campaign": policy.campaign_id}, headers=HTMX)
    assert "checkin-saved" in json.loads(tap["HX-Trigger"])
    status = oob_part(tap.content.decode(), "checkin-status")
    assert "已按昨日情况提交今日健康打卡。" in status and "已连续打卡 2 天" in status
    assert Checkin.objects.filter(day=timezone.localdate()).count() == 1


def test_without_script_a_check_in_for_a_chosen_campaign_returns_to_that_campaign(world, policy):
    talent = client_for(world, "talent")
    chosen = f"/health/?campaign={policy.campaign_id}"
    assert talent.post(chosen, healthy_form())["Location"] == chosen
    # A one tap with no day before it to repeat is refused, and returns to that campaign too.
    Checkin.objects.all().delete()
    refused = talent.post("/health/same/", {"campaign": policy.campaign_id})
    assert refused["Location"] == chosen
    assert "没有以往的打卡记录" in talent.get(chosen).content.decode()


def test_a_second_submission_replaces_the_day_and_keeps_the_first_in_history(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    services.checkin_submit(
        person=person, policy=policy, answers=healthy_answers(temperature="36.8")
    )
    # Sending the same answers again changes nothing and adds no version.
    services.checkin_submit(
        person=person, policy=policy, answers=healthy_answers(temperature="36.8")
    )
    checkin = Checkin.objects.get()
    assert checkin.version == 2 and checkin.temperature == Decimal("36.8")
    (revision,) = CheckinRevision.objects.all()
    assert revision.version == 1 and revision.answers["temperature"] == "36.5"


def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer(world, policy):
    talent = client_for(world, "talent")
    first = post_json(talent, API, healthy_answers(), **{"Idempotency-Key": "retry-key-0001"})
    retry = post_json(talent, API, healthy_answers(), **{"Idempotency-Key": "retry-key-0001"})
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert CheckinReceipt.objects.count() == 1 and not CheckinRevision.objects.exists()
    # The same key with other answers is a client's mistake, not a retry: refused, not replayed.
    other = post_json(
        talent, API, healthy_answers(temperature="37.0"), **{"Idempotency-Key": "retry-key-0001"}
    )
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["body", "idempotency_key"]
    assert Checkin.objects.get().temperature == Decimal("36.5")
    later = post_json(talent, API, healthy_answers(temperature="36.6"))
    assert later.status_code == 200 and later.json()["version"] == 2


def test_a_key_used_yesterday_is_not_answered_with_yesterdays_record(world, policy):
    talent = client_for(world, "talent")
    post_json(talent, API, healthy_answers(), **{"Idempotency-Key": "daily-key-0001"})
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    again = post_json(talent, API, healthy_answers(), **{"Idempotency-Key": "daily-key-0001"})
    assert again.status_code == 422
    assert not Checkin.objects.filter(day=timezone.localdate()).exists()


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_identical_submissions_leave_one_record(code_lists, world, policy):
    person = world.users.talent.person

    def submit(index):
        try:
            return services.checkin_submit(
                person=person,
                policy=policy,
                answers=healthy_answers(),
                idempotency_key="same-tap-0001" if index % 2 else "",
            ).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(submit, range(50)))
    assert set(codes) <= {200, 201} and codes.count(201) >= 1
    assert Checkin.objects.count() == 1
    assert CheckinReceipt.objects.count() == 1
    assert not CheckinRevision.objects.exists()


def test_outside_the_window_nothing_is_stored(world, policy):
    policy.opens_at, policy.deadline = datetime.time(0, 0), datetime.time(11, 0)
    policy.save()
    noon = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
    with pytest.raises(ValidationError, match="不在填报时间内"):
        services.checkin_submit(
            person=world.users.talent.person, policy=policy, answers=healthy_answers(), now=noon
        )
    assert not Checkin.objects.exists()


def test_the_page_refuses_a_submission_outside_the_window(world, policy):
    now = timezone.localtime().time()
    # A window that excludes the present hour, whatever it is.
    if now.hour < 12:
        policy.opens_at, policy.deadline = datetime.time(13), datetime.time(23)
    else:
        policy.opens_at, policy.deadline = datetime.time(0), datetime.time(11)
    policy.save()
    response = client_for(world, "talent").post("/health/", healthy_form())
    assert response.status_code == 200 and "不在填报时间内" in response.content.decode()
    assert not Checkin.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"temperature": "abc"}, "temperature", "体温应为数字"),
        ({"temperature": "33.9"}, "temperature", "34.0–43.0"),
        ({"temperature": "43.1"}, "temperature", "34.0–43.0"),
        ({"temperature": "NaN"}, "temperature", "体温应为数字"),
        ({"pledged": False}, "pledged", "本人承诺"),
        ({"region": "999999"}, "region", "不存在"),
        ({"symptoms": ["none", "dry_cough"]}, "symptoms", "无"),
        ({"symptoms": ["sneezing"]}, "symptoms", "没有这一症状"),
        ({"contact": "confirmed", "contact_on": "2999-01-01"}, "contact_on", "不能晚于今天"),
        ({"isolation": "home", "isolation_since": ""}, "isolation_since", "请填写日期"),
        ({"health_code": "purple"}, "health_code", "没有这一选项"),
    ],
)
def test_bad_input_is_named_at_its_field_and_nothing_is_stored(
    world, policy, changes, field, message
):
    response = post_json(client_for(world, "talent"), API, healthy_answers(**changes))
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", field] and message in error["msg"]
    assert not Checkin.objects.exists()


def test_every_question_declares_its_answers_and_a_follow_up_date_is_read_only_when_it_applies(
    world, policy
):
    assert all(services.ANSWER_FIELDS[question] for question in Field)
    today = timezone.localdate()
    no_contact = services.checkin_answers_clean(
        policy=policy, answers=healthy_answers(contact_on="not a date"), today=today
    )
    assert no_contact["contact_on"] is None
    with pytest.raises(ValidationError) as refused:
        services.checkin_answers_clean(
            policy=policy,
            answers=healthy_answers(contact="confirmed", contact_on="not a date", temperature="x"),
            today=today,
        )
    assert set(refused.value.message_dict) == {"contact_on", "temperature"}


def test_bad_input_on_the_page_is_shown_at_the_field(world, policy):
    response = client_for(world, "talent").post(
        "/health/", healthy_form(temperature="43.5", pledged="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "34.0–43.0" in page and "请确认本人承诺" in page
    assert not Checkin.objects.exists()


def test_another_persons_id_in_the_payload_is_refused(world, policy):
    response = post_json(
        client_for(world, "talent"), API, healthy_answers(person_id=world.person_a.pk)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "person_id"]
    # On the page a person field is simply not read: the record is the signed-in person's.
    client_for(world, "talent").post("/health/", healthy_form(person=world.person_a.pk))
    assert Checkin.objects.get().person == world.users.talent.person


def test_a_ten_megabyte_body_is_refused_cleanly(world, policy):
    talent = client_for(world, "talent")
    huge = healthy_answers(note="x" * (10 * 1024 * 1024))
    response = post_json(talent, API, huge)
    assert response.status_code == 413 and response.json()["detail"][0]["loc"] == ["body"]
    page = talent.post("/health/", healthy_form(note="x" * (10 * 1024 * 1024)))
    assert page.status_code == 400
    assert not Checkin.objects.exists()


def test_an_idempotency_key_of_the_wrong_shape_is_refused(world, policy):
    response = post_json(
        client_for(world, "talent"), API, healthy_answers(), **{"Idempotency-Key": "<bad>"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "idempotency_key"]


def test_fields_the_campaign_turned_off_are_neither_asked_nor_kept(world, policy):
    policy.fields = [Field.TEMPERATURE, Field.SYMPTOMS]
    policy.save()
    page = client_for(world, "talent").get("/health/").content.decode()
    assert "健康码颜色" not in page and "当前所在地" not in page and "体温" in page
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    checkin = Checkin.objects.get()
    assert checkin.region is None and checkin.health_code == "" and checkin.vaccination == ""
    assert checkin.temperature == Decimal("36.5")


def test_the_api_lists_only_ones_own_check_ins(world, policy):
    services.checkin_submit(
        person=world.users.unit_admin_a.person, policy=policy, answers=healthy_answers()
    )
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    items = client_for(world, "talent").get(API).json()["items"]
    assert [item["id"] for item in items] == [
        Checkin.objects.get(person=world.users.talent.person).pk
    ]
    # An admin's own list is their own too, not their unit's.
    assert len(client_for(world, "unit_admin_a").get(API).json()["items"]) == 1


def test_a_fever_alerts_the_unit_admins(world, policy):
    services.checkin_submit(
        person=world.users.talent.person,
        policy=policy,
        answers=healthy_answers(temperature="37.3", symptoms=["dry_cough"]),
    )
    alert = HealthAlert.objects.get()
    assert alert.reasons == ["fever", "symptoms"] and alert.status == "open"
    inbox = world.users.unit_admin_a.inbox.get()
    assert inbox.link == f"/health/alerts/{alert.pk}/"
    # The message outlives the purge of health records: it names neither person nor reasons.
    assert "talent本人" not in inbox.subject + inbox.body and "体温" not in inbox.subject
    assert not world.users.unit_admin_b.inbox.exists()
    assert Checkin.objects.get().fever


def test_a_change_of_city_since_the_last_report_is_an_alert(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=2))
    # Another district of the same city is no change of city.
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers(region="210202"))
    assert not HealthAlert.objects.exists()
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers(region="210102"))
    alert = HealthAlert.objects.get()
    assert alert.reasons == ["location"] and Checkin.objects.get(day=alert.day).location_changed


def test_each_alert_reason(world, policy):
    person = world.users.talent.person
    services.checkin_submit(
        person=person,
        policy=policy,
        answers=healthy_answers(
            visited_risk_area=True,
            contact="asymptomatic",
            contact_on=timezone.localdate().isoformat(),
            isolation="centralized",
            isolation_since=timezone.localdate().isoformat(),
            health_code="yellow",
        ),
    )
    assert HealthAlert.objects.get().reasons == ["risk_area", "contact", "isolation", "health_code"]
