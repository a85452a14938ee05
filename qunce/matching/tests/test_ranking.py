"""Who comes first for a query, and why: the words, the availability factors and the industry-to-
discipline affinity; a guess is not a suggestion."""

import csv
from pathlib import Path

from qunce.matching import Expert, MatchIndex
from qunce.matching.affinity import INDUSTRY_DISCIPLINES
from qunce.matching.tests.experts import three_expert_index


def test_the_right_expert_comes_first_with_reasons():
    matches = three_expert_index().search("钢厂高炉复产后煤气余热回收不稳定")
    assert matches[0].expert_id == "metal"
    assert "高炉" in matches[0].matched_terms or "余热回收" in matches[0].matched_terms
    assert matches[0].reasons[0].startswith("专长匹配：")


def test_bad_queries_get_no_suggestions_and_a_reason():
    index = three_expert_index()
    for text in ("", "   ", "！？。，", "的 与 研究 基于", None):
        result = index.search(text)
        assert result.matches == [] and result.reason, text
    assert "词语" in index.search("研究的方法").reason


def test_a_query_of_twenty_thousand_characters_is_answered():
    result = three_expert_index().search("大棚蔬菜病虫害" + "啊" * 20_000)
    assert result.matches[0].expert_id == "farm"


def test_an_empty_index_says_so():
    result = MatchIndex.build([]).search("高炉")
    assert result.matches == [] and "人才库" in result.reason


def test_busy_and_loaded_experts_drop_below_an_equal_free_one():
    index = MatchIndex.build(
        [
            Expert(
                id=expert_id,
                discipline="冶金工程",
                keywords=["高炉炼铁"],
                works=["高炉炼铁工艺"],
                busy=busy,
                open_requests=load,
            )
            for expert_id, busy, load in (
                ("free", False, 0),
                ("busy", True, 0),
                ("loaded", False, 3),
            )
        ]
    )
    ranked = [match.expert_id for match in index.search("高炉炼铁")]
    assert ranked[0] == "free"
    assert set(ranked[1:]) == {"busy", "loaded"}
    reasons = {match.expert_id: match.reasons for match in index.search("高炉炼铁")}
    assert "当前繁忙" in reasons["busy"] and "在办需求 3 项" in reasons["loaded"]


def test_industry_affinity_lifts_experts_of_related_disciplines():
    index = MatchIndex.build(
        [
            Expert(id="metal", discipline="冶金工程", works=["生产线节能改造"]),
            Expert(id="food", discipline="食品科学与工程", works=["生产线节能改造"]),
        ]
    )
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


# The 学科门类 whose disciplines should lead for each GB/T 4754 门类 of the table.
SERVING_CATEGORIES = {
    "A": {"09"},
    "B": {"08"},
    "C": {"08", "10"},
    "D": {"08"},
    "E": {"08"},
    "F": {"12", "02"},
    "G": {"08"},
    "I": {"08"},
    "J": {"02"},
    "L": {"12", "02", "03"},
    "N": {"08", "07"},
    "P": {"04"},
    "Q": {"10"},
}


def test_each_industry_leads_with_disciplines_of_the_category_that_serves_it():
    data = Path(__file__).resolve().parents[2] / "codes" / "data"
    with open(data / "gbt4754-2017.csv", encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        section_of = {row["code"]: row["parent_code"] for row in rows if row["level"] == "大类"}
    for industry, weights in INDUSTRY_DISCIPLINES.items():
        section = section_of[industry]
        leading = [code for code, weight in weights.items() if weight == max(weights.values())]
        assert section in SERVING_CATEGORIES, (industry, section)
        assert {code[:2] for code in leading} <= SERVING_CATEGORIES[section], (industry, leading)


def test_one_shared_word_among_many_specific_ones_is_a_guess_not_a_suggestion():
    index = three_expert_index()
    guesses = index.search("隧道窑窑车烧成温度不均匀，耐火砖开裂，车间每天消毒")
    assert guesses.matches and not any(match.strong for match in guesses)
    assert index.search("次氯酸钠消毒液稳定性差")[0].strong
