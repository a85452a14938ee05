import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from qunce.accounts.models import ApiToken
from qunce.assistance.models import HelpRequest
from qunce.codes.models import Discipline
from qunce.consents.models import Consent, ConsentDecision
from qunce.demo.province import apportion, expertise_by_discipline, province_token
from qunce.health.models import Checkin, HealthAlert
from qunce.health.partitions import Month
from qunce.health.tests.conftest import healthy_answers
from qunce.org.models import Person, Role, RoleGrant, Unit
from qunce.talents.models import TalentProfile

pytestmark = pytest.mark.django_db


def indexes_and_foreign_keys_of(*tables):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION ALL SELECT conrelid::regclass::text, conname || pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [list(tables), list(tables)],
        )
        return sorted(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rebuilt on PostgreSQL only")
def test_the_indexes_and_foreign_keys_dropped_for_the_load_are_all_made_again(db):
    tables = ("health_checkin", "org_person")
    before = indexes_and_foreign_keys_of(*tables)
    call_command("seed_province", universities=2, people=100, seed=1, stdout=None)
    after = indexes_and_foreign_keys_of(*tables)
    assert after == before and len([row for row in before if "FOREIGN KEY" in row[1]]) >= 6
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid")
        assert cursor.fetchall() == []
        # Each month's partition has every index of the whole table.
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = %s",
            [Month.of(timezone.localdate()).table],
        )
        assert cursor.fetchone()[0] == len(
            [row for row in before if row[0] == "health_checkin" and "INDEX" in row[1]]
        )


@pytest.fixture
def province(capsys):
    call_command("seed_province", universities=3, people=900, seed=7)
    return capsys.readouterr().out


def test_a_province_root_holds_universities_of_different_sizes_with_every_person_placed(
    province,
):
    root = Unit.objects.get(depth=1)
    assert root.kind == Unit.Kind.PROVINCE and root.numchild == 3
    universities = list(Unit.objects.filter(depth=2).order_by("path"))
    assert [u.kind for u in universities] == [Unit.Kind.UNIVERSITY] * 3
    assert len({u.name for u in universities}) == 3
    sizes = [Person.objects.filter(unit__path__startswith=u.path).count() for u in universities]
    assert sum(sizes) == Person.objects.count() == 900 and len(set(sizes)) == 3
    # The tree is whole: treebeard's own counts agree with what is under each node.
    for unit in Unit.objects.filter(depth__lt=4):
        children = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        assert unit.numchild == children.count() > 0
    assert "people: 900" in province and "seconds:" in province


def test_teachers_have_disciplines_of_the_catalogue_and_everyone_an_account(province):
    assert not Person.objects.filter(user__isnull=True).exists()
    profiles = TalentProfile.objects.annotate(n=Count("disciplines"))
    assert profiles.exists() and not profiles.filter(n=0).exists()
    linked = set(TalentProfile.disciplines.through.objects.values_list("discipline_id", flat=True))
    assert linked <= set(Discipline.objects.values_list("code", flat=True))
    assert Consent.objects.count() == 2 * Person.objects.count() == ConsentDecision.objects.count()


def test_a_teachers_expertise_is_of_their_disciplines_and_found_by_the_registry(province):
    expertise = expertise_by_discipline()
    described = TalentProfile.objects.exclude(keywords="").prefetch_related("disciplines")
    assert described.exists()
    for profile in described[:50]:
        words = {
            word
            for discipline in profile.disciplines.all()
            for word in expertise.get(discipline.code, ([], []))[0]
        }
        assert set(profile.keywords.split("、")) <= words, profile.keywords
        assert profile.works and profile.search_text.startswith(profile.keywords.lower())


def test_the_province_has_requests_waiting_for_it_and_universities_that_share(province):
    waiting = HelpRequest.objects.filter(university__isnull=True, status="submitted")
    named = HelpRequest.objects.filter(university__kind=Unit.Kind.UNIVERSITY)
    assert waiting.count() == 4 and named.count() == 4
    assert Unit.objects.filter(kind=Unit.Kind.UNIVERSITY, shares_experts=True).exists()
    assert "sharing_universities:" in province and "help_requests: 8" in province


def test_fourteen_days_of_check_ins_before_today_one_a_person_a_day(province):
    today = timezone.localdate()
    days = Checkin.objects.values("day").annotate(n=Count("id")).order_by("day")
    assert [row["day"] for row in days] == [
        today - datetime.timedelta(days=ago) for ago in range(14, 0, -1)
    ]
    for row in days:
        assert 0.9 * 900 <= row["n"] <= 900
    # Each check-in is in its person's unit and each alert points at a fever's check-in.
    assert not Checkin.objects.exclude(unit=F("person__unit")).exists()
    for alert in HealthAlert.objects.select_related("checkin"):
        assert alert.checkin.fever and alert.checkin.person_id == alert.person_id


def test_everyone_checks_in_today_with_the_token_the_seed_gives_them(province, client):
    person = Person.objects.order_by("?").first()
    token = province_token(7, person.staff_no)
    usual_place = Checkin.objects.filter(person=person).values_list("region", flat=True)[0]
    assert ApiToken.objects.filter(user=person.user).count() == 1
    response = client.post(
        "/api/v1/health/checkins",
        json.dumps(healthy_answers(region=usual_place)),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content
    assert Checkin.objects.get(person=person, day=timezone.localdate())
    wrong = client.get("/api/v1/health/checkins", headers={"Authorization": "Bearer qc_nope"})
    assert wrong.status_code == 401


def test_each_university_has_an_admin_who_sees_only_it(province, client):
    grants = RoleGrant.objects.filter(role=Role.UNIT_ADMIN).select_related("unit", "user")
    assert sorted(g.unit.code for g in grants) == ["LNU01", "LNU02", "LNU03"]
    grant = grants.get(unit__code="LNU02")
    assert grant.user.check_password("qunce2020")
    client.force_login(grant.user)
    page = client.get("/talents/people/")
    assert page.status_code == 200
    theirs = Person.objects.filter(unit__path__startswith=grant.unit.path).first()
    others = Person.objects.exclude(unit__path__startswith=grant.unit.path).first()
    assert client.get(f"/talents/people/{theirs.pk}/").status_code == 200
    assert client.get(f"/talents/people/{others.pk}/").status_code == 404


def test_a_second_run_is_refused(province):
    with pytest.raises(CommandError, match="空数据库"):
        call_command("seed_province", universities=2, people=100)


def test_too_few_people_for_the_universities_is_refused(db):
    with pytest.raises(CommandError, match="每所至少 20 人"):
        call_command("seed_province", universities=10, people=50)
    assert not Unit.objects.exists()


def test_apportion_gives_whole_numbers_that_add_up():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(apportion(1_000_003, [1.6, 0.35, 2.0, 0.7])) == 1_000_003
