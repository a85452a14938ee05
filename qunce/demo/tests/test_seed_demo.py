import pytest
from django.core.management import CommandError, call_command

from qunce.accounts.models import User
from qunce.org import demo, selectors
from qunce.org.access import access_for
from qunce.org.models import Campaign, Person, PoliticalStatus, Unit
from qunce.rights import audit
from qunce.rights.selectors import audited_people


@pytest.mark.django_db
def test_seed_demo_builds_a_believable_university_once(capsys):
    call_command("seed_demo", people=400)
    first = (Unit.objects.count(), Person.objects.count(), User.objects.count())
    call_command("seed_demo", people=400)
    assert (Unit.objects.count(), Person.objects.count(), User.objects.count()) == first
    output = capsys.readouterr().out
    for username in demo.DEMO_LOGINS:
        assert username in output
    assert "qunce2020" in output
    assert "Content-Type:" not in output and "封通知邮件，未发送" in output

    assert Unit.objects.filter(depth=2).count() == len(demo.UNITS)
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert {"committee", "general_branch", "direct_branch", "branch"} <= kinds
    assert Person.objects.filter(political_status=PoliticalStatus.CPC_MEMBER).count() > 100
    assert Person.objects.values("name").distinct().count() > 300

    # The next campaign is planned from the 2020 one's settings, check-in questions included.
    planned = Campaign.objects.get(name=demo.NEXT_CAMPAIGN)
    running = Campaign.objects.get(status=Campaign.Status.ACTIVE)
    assert planned.status == Campaign.Status.PLANNED and planned.roles == running.roles
    assert planned.checkin.fields == running.checkin.fields
    assert len(Campaign.objects.get(name="2019 汛期防汛抗旱").roles) == 4

    # The talent's unit admin finds the org admin's reads of the talent in the audit log.
    within = audited_people(access_for(User.objects.get(username="unitadmin")))
    rows = audit.search(kinds=["health", "person"], within=within)
    talent = User.objects.get(username="talent").person
    assert {(row.kind, row.whom) for row in rows if "orgadmin" in row.who} == {
        ("health", talent.name),
        ("person", talent.name),
    }


@pytest.mark.django_db
def test_demo_logins_hold_their_roles():
    demo.build_demo_university(people=200)
    for username in demo.DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        assert not user.must_change_password
    unitadmin = User.objects.get(username="unitadmin")
    metallurgy = Unit.objects.get(code=demo.METALLURGY_CODE)
    visible = selectors.people_visible_to(unitadmin)
    assert visible.count() == Person.objects.filter(unit__path__startswith=metallurgy.path).count()
    assert selectors.people_visible_to(User.objects.get(username="orgadmin")).count() == (
        Person.objects.count()
    )
    assert selectors.people_visible_to(User.objects.get(username="talent")).count() == 1


@pytest.mark.django_db
def test_default_demo_has_about_two_thousand_people():
    counts = demo.build_demo_university()
    assert 1900 <= counts["people"] <= 2100
    assert counts["units"] >= 60


@pytest.mark.django_db
def test_the_demos_check_ins_for_today_are_never_later_than_now(monkeypatch):
    import datetime

    from django.utils import timezone

    from qunce.health.demo import build_demo_checkins
    from qunce.health.models import Checkin

    demo.build_demo_university(people=150)
    eight_oclock = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(8, 0))
    )
    monkeypatch.setattr(timezone, "now", lambda: eight_oclock)
    build_demo_checkins(seed=1)
    today = Checkin.objects.filter(day=timezone.localdate())
    assert today.exists()
    assert not today.filter(submitted_at__gt=eight_oclock).exists()


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo", people=50)
    assert not Unit.objects.exists()
