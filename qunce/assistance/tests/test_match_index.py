"""The matching index in the product: stored once for every process, kept current, and a request
that matches no one still has a way forward."""

from django.core.management import call_command
from django.urls import reverse

from qunce.assistance import matching, services
from qunce.assistance.matching import current_index, experts_for, reset_index
from qunce.assistance.models import MatchIndexSnapshot
from qunce.talents.models import TalentProfile

from .conftest import request_values


def test_the_first_search_builds_and_stores_the_index(experts, submitted):
    assert not MatchIndexSnapshot.objects.exists()
    experts_for(submitted)
    snapshot = MatchIndexSnapshot.objects.get()
    assert snapshot.profiles == 2 and len(snapshot.data) > 0


def test_another_process_loads_the_stored_index_instead_of_building(
    experts, submitted, monkeypatch
):
    experts_for(submitted)
    reset_index()  # a second web process: nothing in memory, the stored index in the database

    def no_build():
        raise AssertionError("the stored index should have been loaded")

    monkeypatch.setattr(matching, "build_index", no_build)
    assert experts_for(submitted)[0].expert_id == str(experts.users.talent.person.pk)


def test_an_index_stored_by_an_older_engine_is_rebuilt_not_a_failure(experts, submitted):
    import io

    import numpy as np

    older = io.BytesIO()
    np.savez(older, format=np.array([1]))
    stale = MatchIndexSnapshot.objects.create(
        profiles_as_of="2026-01-01T00:00+08:00", profiles=2, data=older.getvalue()
    )
    assert experts_for(submitted)[0].expert_id == str(experts.users.talent.person.pk)
    assert list(
        MatchIndexSnapshot.objects.exclude(pk=stale.pk).values_list("profiles", flat=True)
    ) == [2]
    assert not MatchIndexSnapshot.objects.filter(pk=stale.pk).exists()


def test_the_command_rebuilds_the_stored_index(experts, capsys):
    call_command("build_match_index")
    call_command("build_match_index")
    assert MatchIndexSnapshot.objects.count() == 1
    assert "2 份档案" in capsys.readouterr().out


def test_a_deleted_profile_leaves_the_index(experts, submitted, monkeypatch):
    assert str(experts.users.talent.person.pk) in current_index()
    TalentProfile.objects.filter(person=experts.users.talent.person).delete()
    monkeypatch.setattr(matching, "MEMBERSHIP_SECONDS", 0)
    assert str(experts.users.talent.person.pk) not in current_index()
    assert all(m.expert_id != str(experts.users.talent.person.pk) for m in experts_for(submitted))


def test_a_deactivated_account_leaves_the_index_and_comes_back(experts, submitted, monkeypatch):
    talent_id = str(experts.users.talent.person.pk)
    assert talent_id in current_index()
    monkeypatch.setattr(matching, "MEMBERSHIP_SECONDS", 0)
    user = experts.users.talent
    user.is_active = False
    user.save()
    assert talent_id not in current_index()
    user.is_active = True
    user.save()
    assert talent_id in current_index()


def test_a_request_that_matches_no_one_says_so(experts, campaign):
    help_request, _ = services.help_request_submit(
        **request_values(description="直播带货的短视频脚本怎么写", mobile="13812345679")
    )
    result = experts_for(help_request)
    assert result.matches == [] and "检索人才库" in result.reason


def test_the_office_finds_and_invites_anyone_visible_when_matching_has_no_one(
    client, experts, campaign
):
    help_request, _ = services.help_request_submit(
        **request_values(description="直播带货的短视频脚本怎么写", mobile="13812345679")
    )
    org_admin = experts.users.org_admin
    services.help_request_triage(
        help_request=help_request, acting_user=org_admin, category="management"
    )
    for profile in TalentProfile.objects.all():
        profile.refresh_search_text()
        profile.save()
    client.force_login(org_admin)
    url = reverse("assistance:detail", args=[help_request.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "请在下方按姓名、学科或关键词检索人才库并邀请" in page.content.decode()
    found = client.get(url, {"find": "消毒液"})
    assert experts.person_b.name in found.content.decode()
    by_discipline = client.get(url, {"discipline": "0806"}).content.decode()
    assert experts.users.talent.person.name in by_discipline
    assert experts.person_b.name not in by_discipline
    client.post(
        reverse("assistance:act", args=[help_request.pk]),
        {"action": "invite", "expert": [experts.users.talent.person.pk]},
    )
    assert help_request.invitations.filter(expert=experts.users.talent.person).exists()


def test_a_unit_admin_cannot_search_the_registry_from_a_request(client, experts, submitted):
    client.force_login(experts.users.unit_admin_a)
    page = client.get(reverse("assistance:detail", args=[submitted.pk]), {"find": "消毒液"})
    assert page.status_code in (403, 404) or experts.person_b.name not in page.content.decode()


def test_an_unknown_discipline_in_the_search_is_ignored(client, experts, submitted):
    services.help_request_triage(
        help_request=submitted, acting_user=experts.users.org_admin, category="resumption"
    )
    client.force_login(experts.users.org_admin)
    page = client.get(
        reverse("assistance:detail", args=[submitted.pk]), {"discipline": "9999", "find": "x" * 80}
    )
    assert page.status_code == 200


def test_the_category_does_not_decide_the_match(experts, campaign):
    """复工复产 in the category must not pull in whoever writes about 复工复产 policy."""
    economist = TalentProfile.objects.create(
        person=experts.person_a,
        keywords="复工复产政策、区域经济",
        works="复工复产政策研究",
    )
    economist.disciplines.set(["0202"])
    help_request, _ = services.help_request_submit(**request_values(category="resumption"))
    ranked = [match.expert_id for match in experts_for(help_request)]
    assert ranked[0] == str(experts.users.talent.person.pk)
