"""What the demo shows an office worker: every help request its seed makes is answered by experts
whose expertise names the problem, of disciplines that fit it (issue 12's walk through the demo
found seven of twenty requests with nobody, and a sanitizer gel sent to feed-formula experts)."""

import pytest

from qunce.assistance import services
from qunce.assistance.demo import ASKS
from qunce.assistance.matching import experts_for
from qunce.codes.models import Industry, Region
from qunce.org import demo
from qunce.talents.demo import build_demo_profiles
from qunce.talents.models import TalentProfile

from .conftest import request_values

# Requests whose right answer is plain from the problem: the disciplines the first three
# suggestions must come from (GB/T 13745 / the MOE catalogue's first-level codes).
FITTING_DISCIPLINES = {
    "湿法炼锌浸出率下降": {"0805", "0806", "0856"},
    "球墨铸铁件气孔缺陷多": {"0805", "0806", "0856"},
    "需要自制免洗手消毒凝胶": {"0703", "0817", "0830"},
    "常减压装置换热网络结垢": {"0703", "0817", "0830"},
    "大棚黄瓜叶片出现黄斑": {"0901", "0902", "0904", "0905"},
    "单晶硅片切割损耗高": {"0802", "0855"},
    "红外测温仪订单激增": {"0702"},
}


@pytest.fixture
def demo_answers(db):
    """The first three suggestions for each request the demo seeds, with their profiles."""
    demo.build_demo_university(people=900)
    build_demo_profiles()
    answers = {}
    for number, (kind, organization, category, industry, region, description) in enumerate(ASKS):
        help_request, _ = services.help_request_submit(
            **request_values(
                requester_type=kind,
                organization=organization,
                mobile=f"138{number:08d}",
                region=Region.objects.get(code=region),
                industry=Industry.objects.get(code=industry),
                category=category,
                description=description,
            )
        )
        answers[description] = [
            (match, TalentProfile.objects.get(person_id=int(match.expert_id)))
            for match in experts_for(help_request)[:3]
        ]
    return answers


def test_each_demo_request_gets_experts_whose_expertise_names_it(demo_answers):
    unanswered = [text for text, answer in demo_answers.items() if not answer]
    assert not unanswered
    for text, answer in demo_answers.items():
        for match, profile in answer:
            expertise = f"{profile.keywords} {profile.works} {profile.summary}"
            assert any(word in expertise for word in match.matched_terms), (text, match)


def test_demo_requests_go_to_the_disciplines_that_fit_them(demo_answers):
    for opening, fitting in FITTING_DISCIPLINES.items():
        (text,) = [text for text in demo_answers if text.startswith(opening)]
        for _, profile in demo_answers[text]:
            codes = {discipline.code for discipline in profile.disciplines.all()}
            assert codes & fitting, (text, profile.keywords, codes)
