import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from qunce.articles import services
from qunce.articles.models import Article
from qunce.conftest import client_for
from qunce.core.models import StateEvent
from qunce.ledger import services as ledger_services
from qunce.ledger.models import LedgerEntry
from qunce.org.models import Campaign


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(
        name="2020 新冠肺炎疫情防控", starts_on=date(2020, 1, 25), status=Campaign.Status.ACTIVE
    )


def draft(world, campaign, **changes):
    values = {
        "acting_user": world.users.talent,
        "author": world.users.talent.person,
        "campaign": campaign,
        "category": "knowledge",
        "title": "居家办公如何做好个人防护",
        "body": "一、勤洗手。\n\n二、常通风。",
        **changes,
    }
    return services.article_save(**values)


def test_written_submitted_published_and_public_with_a_ledger_entry(world, campaign):
    talent = client_for(world, "talent")
    response = talent.post(
        "/articles/new/",
        {
            "author": world.users.talent.person.pk,
            "category": "knowledge",
            "title": "居家办公如何做好个人防护",
            "body": "一、勤洗手。\n\n二、常通风。",
            "campaign": campaign.pk,
        },
    )
    article = Article.objects.get()
    assert response["Location"] == f"/articles/{article.pk}/"
    talent.post(f"/articles/{article.pk}/submit/")
    assert Client().get(f"/articles/{article.pk}/").status_code == 404  # not public yet
    assert world.users.unit_admin_a.inbox.filter(subject__contains="待审核").exists()
    client_for(world, "unit_admin_a").post(
        f"/articles/{article.pk}/review/", {"decision": "publish"}
    )
    article.refresh_from_db()
    assert article.status == "published" and article.reviewed_by == world.users.unit_admin_a
    public = Client().get("/articles/?category=knowledge").content.decode()
    assert "居家办公如何做好个人防护" in public
    entry = LedgerEntry.objects.get()
    assert entry.role == "publicist" and entry.person == world.users.talent.person
    states = StateEvent.objects.filter(target_type="articles.article").values_list(
        "to_state", flat=True
    )
    assert list(states) == ["submitted", "published"]


def test_sent_back_with_a_reason_then_edited_and_resubmitted(world, campaign):
    article = draft(world, campaign)
    services.article_submit(article=article, acting_user=world.users.talent)
    with pytest.raises(ValidationError, match="退回理由"):
        services.article_review(
            article=article, acting_user=world.users.unit_admin_a, publish=False
        )
    services.article_review(
        article=article, acting_user=world.users.unit_admin_a, publish=False, reason="请补充来源"
    )
    page = client_for(world, "talent").get(f"/articles/{article.pk}/").content.decode()
    assert "请补充来源" in page and "提交审核" in page
    article.refresh_from_db()
    draft(world, campaign, article=article, body="一、勤洗手（来源：国家卫健委）。")
    services.article_submit(article=article, acting_user=world.users.talent)
    assert Article.objects.get().status == "submitted"


def test_who_may_review(world, campaign):
    article = draft(world, campaign)
    services.article_submit(article=article, acting_user=world.users.talent)
    url = f"/articles/{article.pk}/review/"
    assert client_for(world, "unit_admin_b").post(url, {"decision": "publish"}).status_code == 404
    assert client_for(world, "talent").post(url, {"decision": "publish"}).status_code == 403
    assert Article.objects.get().status == "submitted"  # the author cannot publish their own
    own = draft(
        world,
        campaign,
        acting_user=world.users.unit_admin_a,
        author=world.users.unit_admin_a.person,
        title="本单位防控要求",
        category="requirements",
    )
    services.article_submit(article=own, acting_user=world.users.unit_admin_a)
    with pytest.raises(ValidationError, match="不能审核自己"):
        services.article_review(article=own, acting_user=world.users.unit_admin_a, publish=True)


def test_script_in_the_text_is_shown_as_text(world, campaign):
    article = draft(world, campaign, body='<script>alert("x")</script><b>注意</b>')
    services.article_submit(article=article, acting_user=world.users.talent)
    services.article_review(article=article, acting_user=world.users.org_admin, publish=True)
    page = Client().get(f"/articles/{article.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>注意</b>" not in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"body": "  "}, "body"), ({"title": ""}, "title"), ({"category": "gossip"}, "category")],
)
def test_bad_articles_write_nothing(world, campaign, changes, field):
    with pytest.raises(ValidationError) as error:
        draft(world, campaign, **changes)
    assert field in error.value.message_dict
    assert not Article.objects.exists()


def test_an_ended_campaign_takes_no_new_articles(world, campaign):
    campaign.ends_on = date(2020, 6, 30)
    campaign.save()
    with pytest.raises(ValidationError) as error:
        draft(world, campaign)
    assert "进行中" in error.value.message_dict["campaign"][0]


def test_nobody_writes_for_another_units_people(world, campaign):
    with pytest.raises(ValidationError, match="本单位人员"):
        draft(world, campaign, acting_user=world.users.unit_admin_b)
    assert not Article.objects.exists()


def test_an_exemplary_story_links_to_its_commendation(world, campaign):
    commendation = ledger_services.commendation_propose(
        acting_user=world.users.unit_admin_a,
        person=world.users.talent.person,
        campaign=campaign,
        title="疫情防控先进个人",
        citation="远程指导企业复产",
        awarded_on=date(2020, 7, 1),
        awarding_body="校党委",
    )
    with pytest.raises(ValidationError, match="已批准"):
        draft(world, campaign, category="exemplars", commendation=commendation)
    ledger_services.commendation_decide(
        commendation=commendation, acting_user=world.users.org_admin, approve=True
    )
    commendation.refresh_from_db()
    article = draft(world, campaign, category="exemplars", commendation=commendation)
    services.article_submit(article=article, acting_user=world.users.talent)
    services.article_review(article=article, acting_user=world.users.org_admin, publish=True)
    page = Client().get(f"/articles/{article.pk}/").content.decode()
    assert f"/commendations/{commendation.pk}/" in page


def test_the_api_lists_published_articles_without_a_login(world, campaign):
    article = draft(world, campaign)
    response = client_for(world, "talent").post(
        f"/api/v1/articles/{article.pk}/submit", "{}", content_type="application/json"
    )
    assert response.status_code == 200
    assert Client().get("/api/v1/articles").json()["count"] == 0
    review = client_for(world, "unit_admin_a").post(
        f"/api/v1/articles/{article.pk}/review",
        json.dumps({"publish": True}),
        content_type="application/json",
    )
    assert review.status_code == 200 and review.json()["status"] == "published"
    assert Client().get("/api/v1/articles").json()["count"] == 1


def test_an_admin_who_wrote_an_article_for_someone_does_not_publish_it(world, campaign):
    article = draft(world, campaign, acting_user=world.users.unit_admin_a)
    services.article_submit(article=article, acting_user=world.users.unit_admin_a)
    with pytest.raises(ValidationError, match="自己撰写"):
        services.article_review(article=article, acting_user=world.users.unit_admin_a, publish=True)
    services.article_review(article=article, acting_user=world.users.org_admin, publish=True)
    assert Article.objects.get().status == "published"


def test_the_api_does_not_tell_a_talent_of_someone_elses_pending_commendation(world, campaign):
    pending = ledger_services.commendation_propose(
        acting_user=world.users.unit_admin_b,
        person=world.person_b,
        campaign=campaign,
        title="疫情防控先进个人",
        citation="社区值守",
        awarded_on=date(2020, 7, 1),
        awarding_body="校党委",
    )
    response = client_for(world, "talent").post(
        "/api/v1/articles",
        json.dumps(
            {
                "author_id": world.users.talent.person.pk,
                "campaign_id": campaign.pk,
                "category": "exemplars",
                "title": "先进事迹",
                "body": "正文",
                "commendation_id": pending.pk,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "没有这项表彰。"
