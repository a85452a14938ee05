"""What happens around the check-ins: alerts followed up, dashboards, reminders, privacy."""

import datetime
import io
import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from qunce.conftest import RobotEndpoint, client_for
from qunce.core.delivery import delivery_attempt
from qunce.core.models import AuditEvent, Delivery, GroupRobot, InboxMessage, StateEvent
from qunce.health import selectors, services
from qunce.health.models import Checkin, CheckinAccess, CheckinRevision, HealthAlert
from qunce.org.models import Campaign
from qunce.org.tests.factories import PersonFactory, UserFactory

from .conftest import healthy_answers


def fever_alert(world, policy):
    services.checkin_submit(
        person=world.users.talent.person,
        policy=policy,
        answers=healthy_answers(temperature="38.2"),
    )
    return HealthAlert.objects.get()


def followed_up_fever_alert(world, policy):
    alert = fever_alert(world, policy)
    services.alert_advance(
        alert=alert, to_state="acknowledged", acting_user=world.users.unit_admin_a, note="已联系"
    )
    return alert


def at(hour, minute=0):
    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(hour, minute))
    )


def test_an_alert_is_acknowledged_with_a_note_then_closed_each_step_signed(world, policy):
    alert = fever_alert(world, policy)
    admin = client_for(world, "unit_admin_a")
    page = admin.get(f"/health/alerts/{alert.pk}/").content.decode()
    assert "38.2" in page and "体温异常" in page
    # Acknowledging needs the follow-up; closing before acknowledging is not a step.
    response = admin.post(f"/health/alerts/{alert.pk}/", {"to_state": "acknowledged"})
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    response = admin.post(f"/health/alerts/{alert.pk}/", {"to_state": "closed"})
    assert "不能从" in response.content.decode()
    admin.post(
        f"/health/alerts/{alert.pk}/",
        {"to_state": "acknowledged", "note": "已电话联系，建议到校医院发热门诊"},
    )
    admin.post(f"/health/alerts/{alert.pk}/", {"to_state": "closed", "note": "复测 36.6"})
    alert.refresh_from_db()
    assert alert.status == "closed"
    assert alert.acknowledged_by == alert.closed_by == world.users.unit_admin_a
    assert alert.acknowledged_at <= alert.closed_at
    assert "发热门诊" in alert.follow_up and "36.6" in alert.follow_up
    events = StateEvent.objects.filter(target_type="health.healthalert", target_id=str(alert.pk))
    assert [(e.from_state, e.to_state) for e in events] == [
        ("open", "acknowledged"),
        ("acknowledged", "closed"),
    ]


def test_who_may_see_and_follow_up_an_alert(world, policy):
    alert = fever_alert(world, policy)
    url = f"/health/alerts/{alert.pk}/"
    for persona in ("unit_admin_b", "counsellor"):
        assert client_for(world, persona).get(url).status_code == 404
    talent = client_for(world, "talent")
    assert talent.get(url).status_code == 200  # their own alert
    assert talent.post(url, {"to_state": "acknowledged", "note": "x"}).status_code == 403
    api = "/api/v1/health/alerts"
    assert client_for(world, "unit_admin_b").get(api).json()["items"] == []
    response = client_for(world, "unit_admin_b").post(
        f"{api}/{alert.pk}/acknowledge", json.dumps({"note": "x"}), content_type="application/json"
    )
    assert response.status_code == 404
    response = client_for(world, "org_admin").post(
        f"{api}/{alert.pk}/acknowledge", json.dumps({"note": ""}), content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "note"]
    assert HealthAlert.objects.get().status == "open"


def test_reading_alerts_through_the_api_is_logged_per_person(world, policy):
    fever_alert(world, policy)
    items = client_for(world, "unit_admin_a").get("/api/v1/health/alerts").json()["items"]
    assert [item["reasons"] for item in items] == [["fever"]]
    read = CheckinAccess.objects.get()
    assert read.viewer == world.users.unit_admin_a and read.what == "api"
    assert read.person_number == read.person_id == items[0]["person_id"]
    assert abs(read.at - timezone.now()) < datetime.timedelta(minutes=1)
    # The person reading their own alert is no read of someone else's.
    client_for(world, "talent").get("/api/v1/health/alerts")
    assert CheckinAccess.objects.count() == 1
    response = client_for(world, "org_admin").get("/api/v1/health/alerts?page=0")
    assert response.status_code == 422


def test_a_new_reason_after_the_unit_followed_up_opens_a_new_alert(world, policy):
    followed_up_fever_alert(world, policy)
    services.checkin_submit(
        person=world.users.talent.person,
        policy=policy,
        answers=healthy_answers(temperature="38.2", health_code="red"),
    )
    newest = HealthAlert.objects.order_by("-pk").first()
    assert HealthAlert.objects.count() == 2 and newest.status == "open"
    assert "health_code" in newest.reasons
    assert world.users.unit_admin_a.inbox.count() == 2


def test_nobody_follows_up_their_own_alert(world, policy):
    services.checkin_submit(
        person=world.users.unit_admin_a.person,
        policy=policy,
        answers=healthy_answers(temperature="38.6"),
    )
    alert = HealthAlert.objects.get()
    response = client_for(world, "unit_admin_a").post(
        f"/health/alerts/{alert.pk}/", {"to_state": "acknowledged", "note": "我没事"}
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="本人"):
        services.alert_advance(
            alert=alert, to_state="acknowledged", acting_user=world.users.unit_admin_a, note="x"
        )


def test_a_replacement_widens_the_open_alert_instead_of_adding_one(world, policy):
    alert = fever_alert(world, policy)
    services.checkin_submit(
        person=world.users.talent.person,
        policy=policy,
        answers=healthy_answers(temperature="38.2", health_code="yellow"),
    )
    alert.refresh_from_db()
    assert HealthAlert.objects.count() == 1 and alert.reasons == ["fever", "health_code"]


def test_the_dashboard_counts_reports_per_unit_and_lists_non_reporters(world, policy):
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers(temperature="38")
    )
    services.checkin_submit(
        person=world.users.unit_admin_b.person, policy=policy, answers=healthy_answers()
    )
    page = client_for(world, "org_admin").get("/health/dashboard/").content.decode()
    # Five people have accounts: one reported in A's branch, one in B.
    assert "<dd>5</dd>" in page and "<dd>2 <small>40.0%</small></dd>" in page
    assert "unit_admin_a本人" in page and "trend-data" in page and "echarts.min.js" in page
    admin_a = client_for(world, "unit_admin_a")
    page = admin_a.get("/health/dashboard/").content.decode()
    assert "甲学院第一党支部" in page and "乙学院" not in page
    # A's own alert line and a non-reporter's line with the phone to call, each escaped.
    alert = HealthAlert.objects.get(person=world.users.talent.person)
    assert (
        f'<a href="/health/alerts/{alert.pk}/">{world.users.talent.person.name}</a>'
        f" · {world.users.talent.person.unit.name} · {alert.day:%m-%d} · "
        '<span class="alert-text">体温异常</span> · 待处理'
    ) in page
    admin = world.users.unit_admin_a.person
    admin.mobile, admin.name = "13800000001", "<b>甲</b>"
    admin.save()
    page = admin_a.get("/health/dashboard/").content.decode()
    assert (
        f"<tr><td>&lt;b&gt;甲&lt;/b&gt;</td><td>{admin.staff_no}</td><td>{admin.unit.name}</td>"
        '<td><a href="tel:13800000001">13800000001</a></td></tr>'
    ) in page
    assert admin_a.get(f"/health/dashboard/?unit={world.unit_b.pk}").status_code == 404
    assert client_for(world, "talent").get("/health/dashboard/").status_code == 403
    stats = client_for(world, "unit_admin_a").get("/api/v1/health/stats").json()
    assert stats["total"]["expected"] == 2 and stats["total"]["reported"] == 1
    assert stats["total"]["fever"] == 1 and stats["total"]["open_alerts"] == 1
    assert len(stats["trend"]) == 14 and stats["trend"][-1]["reported"] == 1
    assert client_for(world, "talent").get("/api/v1/health/stats").status_code == 403
    # The alert shown on the dashboard is a read of the talent's record.
    assert CheckinAccess.objects.filter(
        viewer=world.users.unit_admin_a, person=world.users.talent.person
    ).exists()


def test_the_first_non_reporters_are_the_head_of_the_whole_list_found_unit_by_unit(
    world, policy, monkeypatch
):
    """With one unit asked at a time and a list of three, the walk crosses units and batches;
    what it finds is what the one query over the whole university would put first."""
    monkeypatch.setattr(selectors, "FIRST_PEOPLE_ASKED", 1)
    for unit in (world.unit_a, world.branch_a, world.unit_b, world.branch_b):
        for number in range(2):
            PersonFactory(unit=unit, staff_no=f"{unit.code}-{number}", user=UserFactory())
    services.checkin_submit(
        person=world.users.unit_admin_a.person, policy=policy, answers=healthy_answers()
    )
    day, scope = timezone.localdate(), world.unit_a.get_root()
    whole = list(
        selectors.non_reporters(campaign=policy.campaign, day=day).filter(
            unit__path__startswith=scope.path
        )
    )
    for limit in (1, 3, 7, len(whole) + 5):
        first = selectors.scope_non_reporters_first(
            policy=policy, scope=scope, day=day, limit=limit
        )
        assert [person.pk for person in first] == [person.pk for person in whole[:limit]]
        assert [(person.name, person.unit_name) for person in first] == [
            (person.name, person.unit.name) for person in whole[:limit]
        ]
    assert world.users.unit_admin_a.person not in whole


def test_the_head_count_per_unit_leaves_out_people_without_or_with_a_switched_off_account(
    world, policy
):
    PersonFactory(unit=world.unit_a, user=None)
    PersonFactory(unit=world.unit_a, user=UserFactory(is_active=False))
    PersonFactory(unit=world.branch_b, user=UserFactory(is_active=False))
    world.users.talent.is_active = False
    world.users.talent.save()
    expected = {}
    for unit_id in selectors.expected_people().values_list("unit_id", flat=True):
        expected[unit_id] = expected.get(unit_id, 0) + 1
    counted = selectors._expected_per_unit()
    assert {unit: n for unit, n in counted.items() if n} == expected
    assert counted.get(world.branch_b.pk, 0) == expected.get(world.branch_b.pk, 0)


def test_the_trend_counts_past_days_once_and_today_live(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    admin = client_for(world, "unit_admin_a")
    trend = admin.get("/api/v1/health/stats").json()["trend"]
    assert [point["reported"] for point in trend[-2:]] == [1, 0]
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    trend = admin.get("/api/v1/health/stats").json()["trend"]
    assert [point["reported"] for point in trend[-2:]] == [1, 1]
    assert trend[-1]["rate"] == 50.0  # two people with accounts in unit A


def test_todays_counts_are_kept_a_short_while_only_once_counting_them_is_slow(
    world, policy, monkeypatch
):
    """A province's morning: counting the day took longer than the threshold, so the next
    dashboards within the interval read the kept counts; a university's small day stays live."""
    admin = client_for(world, "unit_admin_a")
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    monkeypatch.setattr(selectors, "TODAY_COUNT_SLOW_SECONDS", -1)
    assert admin.get("/api/v1/health/stats").json()["trend"][-1]["reported"] == 1
    services.checkin_submit(
        person=world.users.unit_admin_a.person, policy=policy, answers=healthy_answers()
    )
    assert admin.get("/api/v1/health/stats").json()["trend"][-1]["reported"] == 1
    kept = selectors._today_key(
        policy.campaign_id, timezone.localdate(), selectors._block_of(world.unit_a)
    )
    assert cache.get(kept) is not None
    cache.delete(kept)  # the interval has passed
    monkeypatch.setattr(selectors, "TODAY_COUNT_SLOW_SECONDS", 60)
    assert admin.get("/api/v1/health/stats").json()["trend"][-1]["reported"] == 2
    assert cache.get(kept) is None


def test_yesterday_is_left_to_the_pages_until_its_last_check_ins_have_committed(
    world, policy, monkeypatch
):
    """A check-in sent at 23:59:59 may commit after midnight: until YESTERDAY_SETTLED_AFTER,
    the job keeps the days before yesterday and leaves yesterday to be counted when asked."""
    monkeypatch.setattr(selectors, "YESTERDAY_SETTLED_AFTER", datetime.time(23, 59, 59, 999999))
    today = timezone.localdate()
    for back in (2, 1):
        services.checkin_submit(
            person=world.users.talent.person, policy=policy, answers=healthy_answers()
        )
        Checkin.objects.filter(day=today).update(day=today - datetime.timedelta(days=back))
    selectors.dashboard_counts_keep()
    yesterday = selectors._reports_key(policy.campaign_id, today - datetime.timedelta(1))
    day_before = selectors._reports_key(policy.campaign_id, today - datetime.timedelta(2))
    assert cache.get(yesterday) is None
    assert cache.get(day_before)


def test_the_dashboards_counts_are_counted_ahead_each_minute_where_counting_is_slow(
    world, policy, monkeypatch
):
    """The scheduler's job leaves every block's slice of today, the head count and the past
    days in the cache; pages read them instead of counting. Where today's count is cheap it
    leaves today to the pages, which stay live."""
    # Yesterday is settled whatever the hour this test runs at (the first minutes after
    # midnight are the next test's).
    monkeypatch.setattr(selectors, "YESTERDAY_SETTLED_AFTER", datetime.time(0, 0))
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    admin = client_for(world, "unit_admin_a")
    today = timezone.localdate()
    assert selectors.dashboard_counts_keep() == []
    assert cache.get(selectors.EXPECTED_KEY) == selectors._expected_counted()
    assert cache.get(selectors._reports_key(policy.campaign_id, today - datetime.timedelta(1)))
    blocks = [world.root, world.unit_a, world.unit_b]
    assert all(
        cache.get(selectors._today_key(policy.campaign_id, today, block.path)) is None
        for block in blocks
    )
    monkeypatch.setattr(selectors, "TODAY_COUNT_SLOW_SECONDS", -1)
    assert selectors.dashboard_counts_keep() == [policy.campaign.name]
    kept = {
        block.name: cache.get(selectors._today_key(policy.campaign_id, today, block.path))
        for block in blocks
    }
    talent_unit = world.users.talent.person.unit_id
    assert kept == {
        world.root.name: {talent_unit: (1, 0)},
        world.unit_a.name: {talent_unit: (1, 0)},
        world.unit_b.name: {},
    }
    services.checkin_submit(
        person=world.users.unit_admin_a.person, policy=policy, answers=healthy_answers()
    )
    trend = admin.get("/api/v1/health/stats").json()["trend"]
    assert [point["reported"] for point in trend[-2:]] == [1, 1]  # the kept count, not 2


def test_the_excel_export_colours_non_reporters_fevers_and_moves(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers(region="210102"))
    services.checkin_submit(
        person=world.users.org_admin.person,
        policy=policy,
        answers=healthy_answers(temperature="39"),
    )
    response = client_for(world, "org_admin").get("/health/dashboard/export/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=3) if row[1].value}
    assert rows["talent本人"][0].fill.fgColor.rgb.endswith("FFC000")
    assert rows["org_admin本人"][0].fill.fgColor.rgb.endswith("FF7C80")
    assert rows["counsellor本人"][0].fill.fgColor.rgb.endswith("FFFF00")
    assert rows["counsellor本人"][4].value == "未填报"
    whose = set(CheckinAccess.objects.filter(what="export").values_list("person__name", flat=True))
    assert whose == {"talent本人"}  # the admin's own row is no read of someone else's


def test_reading_someones_history_is_logged_and_they_can_see_it(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    admin = client_for(world, "unit_admin_a")
    assert admin.get(f"/health/people/{person.pk}/").status_code == 200
    assert client_for(world, "unit_admin_b").get(f"/health/people/{person.pk}/").status_code == 404
    read = CheckinAccess.objects.get(what="history")
    assert read.viewer == world.users.unit_admin_a
    # The refused attempt is kept too: the person learns who tried.
    assert CheckinAccess.objects.get(what="refused").viewer == world.users.unit_admin_b
    # Looking at one's own records is no access to log.
    client_for(world, "talent").get(f"/health/people/{person.pk}/")
    assert CheckinAccess.objects.count() == 2
    document = json.loads(client_for(world, "talent").get("/health/mine/export/").content)
    assert document["checkins"][0]["temperature"] == "36.5"
    assert {read["by"] for read in document["reads_by_others"]} == {"unit_admin_a", "unit_admin_b"}


def test_records_older_than_the_retention_period_are_purged(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers(temperature="39"))
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    old_day = timezone.localdate() - datetime.timedelta(days=policy.campaign.retention_days + 1)
    Checkin.objects.update(day=old_day)
    services.checkin_reads_log(
        viewer=world.users.unit_admin_a, people=[person], what="history", detail=""
    )
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    assert services.checkins_purge() == {policy.campaign.name: 1}
    assert list(Checkin.objects.values_list("day", flat=True)) == [timezone.localdate()]
    assert not CheckinRevision.objects.exists() and not HealthAlert.objects.exists()
    assert CheckinAccess.objects.count() == 1
    assert AuditEvent.objects.get(action="health.purge").changes["deleted"] == 1
    assert services.checkins_purge() == {}


def test_every_dashboards_kept_counts_of_a_purged_day_are_forgotten(
    world, policy, django_capture_on_commit_callbacks
):
    """A university's and a college's dashboards each keep their slice of the past days'
    counts; a purge inside the trend's fourteen days empties both."""
    Campaign.objects.filter(pk=policy.campaign_id).update(retention_days=3)
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=5))
    readers = [client_for(world, "org_admin"), client_for(world, "unit_admin_a")]

    def reported_five_days_ago():
        return [r.get("/api/v1/health/stats").json()["trend"][-6]["reported"] for r in readers]

    assert reported_five_days_ago() == [1, 1]
    with django_capture_on_commit_callbacks() as forgetting:
        assert services.checkins_purge() == {policy.campaign.name: 1}
        # Until the purge commits, the kept counts stand: forgotten before, a page counting in
        # between would have kept the purged rows again.
        assert reported_five_days_ago() == [1, 1]
    assert len(forgetting) == 1
    forgetting[0]()
    assert reported_five_days_ago() == [0, 0]


def test_the_dashboard_lists_unhandled_alerts_before_followed_up_ones(world, policy):
    followed_up = followed_up_fever_alert(world, policy)
    services.checkin_submit(
        person=world.users.unit_admin_b.person,
        policy=policy,
        answers=healthy_answers(temperature="38.5"),
    )
    HealthAlert.objects.filter(pk=followed_up.pk).update(opened_at=timezone.now())  # newer
    lines = selectors.scope_open_alerts(policy=policy, scope=world.root, limit=50)
    assert [line.status for line in lines] == ["待处理", "已跟进"]
    assert lines[0].person_name == world.users.unit_admin_b.person.name


def test_the_minute_job_leaves_yesterday_to_the_pages_just_after_midnight(
    world, policy, monkeypatch
):
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Checkin.objects.update(day=yesterday)
    key = selectors._reports_key(policy.campaign_id, yesterday)
    just_after_midnight, later = at(0, 3), at(0, 12)
    monkeypatch.setattr(timezone, "now", lambda: just_after_midnight)
    selectors.dashboard_counts_keep()
    assert cache.get(key) is None
    monkeypatch.setattr(timezone, "now", lambda: later)
    selectors.dashboard_counts_keep()
    assert cache.get(key) == {world.users.talent.person.unit_id: (1, 0)}


def test_reminders_reach_only_non_reporters_once_per_time_on_every_channel(
    world, policy, robot_server, django_capture_on_commit_callbacks
):
    policy.deadline = datetime.time(11)
    policy.reminder_times = ["09:00", "10:30"]
    policy.save()
    world.users.counsellor.person.email = "counsellor@example.edu.cn"
    world.users.counsellor.person.save()
    GroupRobot.objects.create(
        unit=world.unit_b, kind="wecom", name="乙学院群", webhook_url=f"{robot_server}/wecom"
    )
    services.checkin_submit(
        person=world.users.talent.person,
        policy=policy,
        answers=healthy_answers(),
        now=at(8),
    )
    assert services.checkin_reminders_send(now=at(8, 30)) == 0  # before the first time
    with django_capture_on_commit_callbacks(execute=True):  # e-mail goes after the commit
        first = services.checkin_reminders_send(now=at(9, 5))
    assert first == 5  # four people in the inbox, one group message
    assert services.checkin_reminders_send(now=at(9, 20)) == 0
    reminded = set(
        InboxMessage.objects.filter(subject="请完成今日健康打卡").values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"org_admin", "unit_admin_a", "unit_admin_b", "counsellor"}
    (email,) = mail.outbox
    assert email.to == ["counsellor@example.edu.cn"]
    ((path, message),) = RobotEndpoint.received
    assert path == "/wecom" and message["msgtype"] == "text"
    assert "unit_admin_b本人" in message["text"]["content"]
    assert "counsellor本人" in message["text"]["content"]
    assert message["text"]["mentioned_mobile_list"]
    assert Delivery.objects.filter(channel="webhook", outcome="sent").count() == 1
    assert Delivery.objects.filter(channel="email").count() == 1
    assert services.checkin_reminders_send(now=at(10, 40)) == 5  # the second time
    assert services.checkin_reminders_send(now=at(10, 50)) == 0


def test_after_the_deadline_each_unit_admin_gets_the_non_reporters_with_phones(world, policy):
    policy.deadline = datetime.time(11)
    policy.reminder_times = []
    policy.save()
    extra = PersonFactory(unit=world.branch_a, name="未报者", mobile="13912345678")
    extra.user = UserFactory(username="late")
    extra.save()
    assert services.checkin_reminders_send(now=at(11, 5)) == 2
    assert services.checkin_reminders_send(now=at(11, 35)) == 0
    message = world.users.unit_admin_a.inbox.get()
    assert "未报者" in message.body and "13912345678" in message.body
    assert "unit_admin_b本人" not in message.body
    assert "unit_admin_b本人" in world.users.unit_admin_b.inbox.get().body


def test_a_failing_robot_is_retried_with_pauses_then_marked_failed_never_in_a_loop(
    world, policy, settings, django_capture_on_commit_callbacks
):
    policy.reminder_times = ["00:00"]
    policy.save()
    GroupRobot.objects.create(
        unit=world.root,
        kind="dingtalk",
        name="全校群",
        webhook_url="http://127.0.0.1:9/robot/send",
        secret="SEC123",
    )
    settings.DELIVERY_RETRY_DELAYS = [60, 300]
    with django_capture_on_commit_callbacks(execute=True):
        services.checkin_reminders_send(now=at(9))
    delivery = Delivery.objects.get(channel="webhook")
    assert (delivery.outcome, delivery.attempts) == ("pending", 1) and "refused" in delivery.error
    services.checkin_reminders_send(now=at(9, 10))  # the job again: no second message
    assert Delivery.objects.filter(channel="webhook").count() == 1
    # Not before its pause is over, then once per pause, then given up with the reason.
    assert delivery_attempt(delivery.pk) == ""
    later = delivery.next_attempt_at + datetime.timedelta(seconds=1)
    assert delivery_attempt(delivery.pk, now=later) == "pending"
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    later = delivery.next_attempt_at + datetime.timedelta(seconds=1)
    assert delivery_attempt(delivery.pk, now=later) == "failed"
    delivery.refresh_from_db()
    assert (delivery.outcome, delivery.attempts) == ("failed", 3)
    assert delivery.error and delivery.payload == {} and delivery.finished_at
    assert delivery_attempt(delivery.pk, now=later) == ""


def test_the_org_admin_sets_which_questions_and_when(world, policy):
    url = f"/health/settings/{policy.campaign_id}/"
    assert client_for(world, "unit_admin_a").get(url).status_code == 403
    admin = client_for(world, "org_admin")
    response = admin.post(
        url,
        {
            "enabled": "on",
            "fields": ["temperature", "symptoms"],
            "fever_threshold": "37.5",
            "opens_at": "06:00",
            "deadline": "10:00",
            "reminder_times": "08:00，09:30",
        },
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.fields == ["temperature", "symptoms"] and str(policy.fever_threshold) == "37.5"
    assert policy.reminder_times == ["08:00", "09:30"]
    response = admin.post(
        url,
        {
            "fields": ["temperature"],
            "fever_threshold": "37.5",
            "opens_at": "10:00",
            "deadline": "09:00",
            "reminder_times": "25:00",
        },
    )
    page = response.content.decode()
    assert "截止时间应晚于开放时间" in page
    policy.refresh_from_db()
    assert policy.opens_at == datetime.time(6)


def test_a_refused_look_at_someones_check_ins_is_logged(world, policy):
    target = world.person_b
    response = client_for(world, "unit_admin_a").get(f"/health/people/{target.pk}/")
    assert response.status_code == 404
    row = CheckinAccess.objects.get(person=target)
    assert row.viewer == world.users.unit_admin_a and row.what == "refused"
    assert client_for(world, "unit_admin_a").get("/health/people/99999999/").status_code == 404
    assert CheckinAccess.objects.count() == 1


def test_the_purge_keeps_who_followed_an_alert_up_but_not_what_they_wrote(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers(temperature="39"))
    alert = HealthAlert.objects.get()
    StateEvent.objects.create(
        actor=world.users.unit_admin_a,
        target_type="health.healthalert",
        target_id=str(alert.pk),
        from_state="open",
        to_state="acknowledged",
        note="已电话联系，体温 39 度，已去发热门诊",
    )
    old_day = timezone.localdate() - datetime.timedelta(days=policy.campaign.retention_days + 1)
    Checkin.objects.update(day=old_day)
    services.checkins_purge()
    assert not HealthAlert.objects.exists()
    kept = StateEvent.objects.get(target_type="health.healthalert", target_id=str(alert.pk))
    assert kept.actor == world.users.unit_admin_a and kept.note == ""


def test_reads_of_a_persons_check_ins_outlive_the_person(world, policy):
    person = world.person_a
    services.checkin_reads_log(viewer=world.users.unit_admin_a, people=[person], what="history")
    person_id = person.pk
    person.delete()
    row = CheckinAccess.objects.get()
    # The row is never updated: it keeps the id of the person who is gone.
    assert row.person_id == person_id and row.person_number == person_id
    assert row.viewer == world.users.unit_admin_a


def test_opening_the_list_of_non_reporters_is_a_logged_read_of_each(world, policy):
    page = client_for(world, "unit_admin_a").get("/health/dashboard/", {"unit": world.unit_a.pk})
    assert page.status_code == 200
    shown = set(
        CheckinAccess.objects.filter(what="non_reporters").values_list("person_id", flat=True)
    )
    # Unit A's people with an account who have not checked in today (甲某 has no account and
    # is expected to report nothing); the admin's own row is no read of someone else.
    assert shown == {world.users.talent.person.pk}
