"""The matching engine alone: no database, no Django."""

import csv
from pathlib import Path

from qunce.matching import Expert, MatchIndex
from qunce.matching.affinity import INDUSTRY_DISCIPLINES
from qunce.matching.tokenize import terms, words


def _index():
    index = MatchIndex()
    index.add(
        Expert(
            id="metal",
            discipline="冶金工程",
            keywords=["高炉炼铁", "余热回收"],
            works=["高炉煤气余热回收关键技术研究", "转炉炼钢节能工艺"],
        )
    )
    index.add(
        Expert(
            id="chem",
            discipline="化学工程与技术",
            keywords=["消毒剂", "次氯酸钠"],
            works=["次氯酸钠消毒液稳定性研究"],
        )
    )
    index.add(
        Expert(
            id="farm",
            discipline="植物保护",
            keywords=["病虫害防治", "设施农业"],
            works=["大棚蔬菜病虫害绿色防控技术"],
        )
    )
    return index


def test_the_package_imports_nothing_from_django():
    package = Path(__file__).resolve().parent.parent
    for source in package.glob("*.py"):
        assert "django" not in source.read_text(encoding="utf-8"), source.name


def test_domain_terms_are_kept_whole_and_stopwords_dropped():
    found = words("高炉炼铁复工复产技术研究")
    assert "高炉炼铁" in found and "复工复产" in found
    assert "研究" not in found and "技术" not in found
    assert "b:炼铁" in terms("高炉炼铁")


def test_the_right_expert_comes_first_with_reasons():
    matches = _index().search("钢厂高炉复产后煤气余热回收不稳定")
    assert matches[0].expert_id == "metal"
    assert "高炉" in matches[0].matched_terms or "余热回收" in matches[0].matched_terms
    assert matches[0].reasons[0].startswith("专长匹配：")


def test_nothing_matches_nothing():
    assert _index().search("") == []
    assert _index().search("！？") == []


def test_profiles_update_without_a_rebuild():
    index = _index()
    assert index.search("口罩机调试")[:1] == []
    index.add(
        Expert(id="mech", discipline="机械工程", keywords=["口罩机"], works=["口罩机调试与维修"])
    )
    assert index.search("口罩机调试")[0].expert_id == "mech"
    index.remove("mech")
    assert all(match.expert_id != "mech" for match in index.search("口罩机调试"))
    assert len(index) == 3


def test_replacing_a_profile_forgets_its_old_words():
    index = _index()
    index.add(
        Expert(id="metal", discipline="冶金工程", keywords=["湿法冶金"], works=["铜湿法冶金"])
    )
    assert all(match.expert_id != "metal" for match in index.search("高炉煤气余热回收"))


def test_busy_and_loaded_experts_drop_below_an_equal_free_one():
    index = MatchIndex()
    for expert_id, busy, load in (("free", False, 0), ("busy", True, 0), ("loaded", False, 3)):
        index.add(
            Expert(
                id=expert_id,
                discipline="冶金工程",
                keywords=["高炉炼铁"],
                works=["高炉炼铁工艺"],
                busy=busy,
                open_requests=load,
            )
        )
    ranked = [match.expert_id for match in index.search("高炉炼铁")]
    assert ranked[0] == "free"
    assert set(ranked[1:]) == {"busy", "loaded"}
    reasons = {match.expert_id: match.reasons for match in index.search("高炉炼铁")}
    assert "当前繁忙" in reasons["busy"] and "在办需求 3 项" in reasons["loaded"]


def test_industry_affinity_lifts_experts_of_related_disciplines():
    index = MatchIndex()
    index.add(Expert(id="metal", discipline="冶金工程", works=["生产线节能改造"]))
    index.add(Expert(id="food", discipline="食品科学与工程", works=["生产线节能改造"]))
    lifted = index.search("生产线节能", discipline_affinity={"冶金工程": 1.0})
    assert lifted[0].expert_id == "metal"
    assert "学科相关：冶金工程" in lifted[0].reasons


def test_the_affinity_table_names_real_codes():
    data = Path(__file__).resolve().parents[2] / "codes" / "data"

    def codes(filename, level):
        with open(data / filename, encoding="utf-8") as handle:
            rows = csv.DictReader(line for line in handle if not line.startswith("#"))
            return {row["code"] for row in rows if row["level"] in level}

    industries = codes("gbt4754-2017.csv", {"大类"})
    disciplines = codes("moe-disciplines-2022.csv", {"一级学科", "专业学位类别"})
    assert set(INDUSTRY_DISCIPLINES) <= industries
    for industry, weights in INDUSTRY_DISCIPLINES.items():
        assert set(weights) <= disciplines, industry
        assert all(0 < weight <= 1 for weight in weights.values())
    assert INDUSTRY_DISCIPLINES["31"]["0806"] == 1.0
