import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qunce.conftest import client_for
from qunce.ledger.models import LedgerEntry
from qunce.org.models import Campaign
from qunce.teaching import services
from qunce.teaching.models import TeachingRecord


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(
        name="2020 新冠肺炎疫情防控", starts_on=date(2020, 1, 25), status=Campaign.Status.ACTIVE
    )


def course(world, campaign, days_ago=1, **changes):
    values = {
        "acting_user": world.users.talent,
        "person": world.users.talent.person,
        "campaign": campaign,
        "kind": "course",
        "held_on": timezone.localdate() - timedelta(days=days_ago),
        "course": "冶金原理",
        "platform": "rain_classroom",
        "sessions": 4,
        "students_reached": 62,
        **changes,
    }
    return services.teaching_record(**values)


def supervision(world, campaign, student, days_ago):
    return services.teaching_record(
        acting_user=world.users.talent,
        person=world.users.talent.person,
        campaign=campaign,
        kind="supervision",
        held_on=timezone.localdate() - timedelta(days=days_ago),
        student=student,
        topic="学位论文实验方案",
        mode="video",
    )


def test_a_talent_logs_a_course_and_the_unit_verifies_it_into_the_ledger(world, campaign):
    talent = client_for(world, "talent")
    talent.post(
        "/teaching/",
        {
            "person": world.users.talent.person.pk,
            "campaign": campaign.pk,
            "kind": "course",
            "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "course": "冶金原理",
            "platform": "rain_classroom",
            "sessions": 4,
            "students_reached": 62,
        },
    )
    record = TeachingRecord.objects.get()
    assert record.unit == world.branch_a and record.students_reached == 62
    assert client_for(world, "talent").post(f"/teaching/{record.pk}/verify/").status_code == 403
    client_for(world, "unit_admin_a").post(f"/teaching/{record.pk}/verify/")
    record.refresh_from_db()
    assert record.status == "verified"
    entry = LedgerEntry.objects.get()
    assert entry.role == "educator" and entry.people_served == 62


def test_the_unit_sees_which_courses_and_students_have_gone_quiet(world, campaign):
    course(world, campaign, days_ago=20)
    course(world, campaign, days_ago=2, course="钢铁冶金学")
    supervision(world, campaign, "王同学", days_ago=3)
    supervision(world, campaign, "赵同学", days_ago=16)
    page = client_for(world, "unit_admin_a").get("/teaching/coverage/").content.decode()
    assert page.index("冶金原理") < page.index("钢铁冶金学")  # the longest gap first
    api = client_for(world, "unit_admin_a").get("/api/v1/teaching/coverage").json()
    assert api["lapsed_courses"] == 1 and api["lapsed_students"] == 1
    assert [row["name"] for row in api["students"] if row["lapsed"]] == ["赵同学"]
    assert (
        client_for(world, "unit_admin_b").get("/api/v1/teaching/coverage").json()["courses"] == []
    )
    assert client_for(world, "talent").get("/teaching/coverage/").status_code == 403


def test_nobody_logs_teaching_for_another_units_people(world, campaign):
    with pytest.raises(ValidationError, match="本单位"):
        course(world, campaign, acting_user=world.users.unit_admin_b)
    response = client_for(world, "unit_admin_b").post(
        "/api/v1/teaching",
        json.dumps(
            {
                "person_id": world.users.talent.person.pk,
                "campaign_id": campaign.pk,
                "kind": "qa",
                "held_on": timezone.localdate().isoformat(),
                "course": "冶金原理",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "person_id"]
    assert not TeachingRecord.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"course": ""}, "course"),
        ({"platform": ""}, "platform"),
        ({"sessions": 0}, "sessions"),
        ({"held_on": date(2999, 1, 1)}, "held_on"),
        ({"held_on": date(2019, 12, 1)}, "held_on"),
        ({"kind": "lecture"}, "kind"),
    ],
)
def test_bad_records_write_nothing(world, campaign, changes, field):
    with pytest.raises(ValidationError) as error:
        course(world, campaign, **changes)
    assert field in error.value.message_dict
    assert not TeachingRecord.objects.exists()


def test_a_supervision_meeting_needs_the_student_topic_and_mode(world, campaign):
    with pytest.raises(ValidationError) as error:
        course(world, campaign, kind="supervision", course="")
    assert {"student", "topic", "mode"} <= set(error.value.message_dict)


def test_whoever_recorded_it_does_not_verify_it(world, campaign):
    record = course(world, campaign, acting_user=world.users.unit_admin_a)
    with pytest.raises(ValidationError, match="自己登记"):
        services.teaching_verify(record=record, acting_user=world.users.unit_admin_a)
    services.teaching_verify(record=record, acting_user=world.users.org_admin)
    assert TeachingRecord.objects.get().status == "verified"
