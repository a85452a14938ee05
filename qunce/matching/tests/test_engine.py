"""The matching engine alone: no database, no Django."""

import csv
from pathlib import Path

from qunce.matching import Expert, MatchIndex
from qunce.matching.affinity import INDUSTRY_DISCIPLINES
from qunce.matching.tokenize import terms, words

EXPERTS = [
    Expert(
        id="metal",
        discipline="冶金工程",
        keywords=["高炉炼铁", "余热回收"],
        works=["高炉煤气余热回收关键技术研究", "转炉炼钢节能工艺"],
    ),
    Expert(
        id="chem",
        discipline="化学工程与技术",
        keywords=["消毒剂", "次氯酸钠"],
        works=["次氯酸钠消毒液稳定性研究"],
    ),
    Expert(
        id="farm",
        discipline="植物保护",
        keywords=["病虫害防治", "设施农业"],
        works=["大棚蔬菜病虫害绿色防控技术"],
    ),
]


def _index():
    return MatchIndex.build([Expert(**vars(expert)) for expert in EXPERTS])


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


def test_bad_queries_get_no_suggestions_and_a_reason():
    index = _index()
    for text in ("", "   ", "！？。，", "的 与 研究 基于", None):
        result = index.search(text)
        assert result.matches == [] and result.reason, text
    assert "词语" in index.search("研究的方法").reason


def test_a_query_of_twenty_thousand_characters_is_answered():
    result = _index().search("大棚蔬菜病虫害" + "啊" * 20_000)
    assert result.matches[0].expert_id == "farm"


def test_english_and_mixed_script_queries_match_ascii_terms():
    index = MatchIndex.build(
        [
            *EXPERTS,
            Expert(
                id="plc", discipline="控制科学与工程", keywords=["PLC"], works=["PLC控制系统改造"]
            ),
        ]
    )
    assert index.search("PLC program fault")[0].expert_id == "plc"
    assert index.search("Siemens PLC 控制柜报警")[0].expert_id == "plc"
    assert index.search("hello world").matches == []


def test_an_empty_index_says_so():
    result = MatchIndex.build([]).search("高炉")
    assert result.matches == [] and "人才库" in result.reason


def test_profiles_without_fields_or_id_do_not_break_the_build():
    index = MatchIndex.build([*EXPERTS, Expert(id=""), Expert(id="blank")])
    assert len(index) == 4
    assert index.search("高炉炼铁")[0].expert_id == "metal"


def test_profiles_update_without_a_rebuild():
    index = _index()
    index.upsert(
        [Expert(id="mech", discipline="机械工程", keywords=["消毒剂"], works=["消毒剂灌装机"])]
    )
    assert "mech" in index and len(index) == 4
    assert "mech" in [match.expert_id for match in index.search("消毒剂灌装")]
    index.remove(["mech"])
    assert all(match.expert_id != "mech" for match in index.search("消毒剂灌装"))
    assert len(index) == 3 and "mech" not in index


def test_a_removed_profile_of_the_build_leaves_the_results():
    index = _index()
    index.remove(["metal"])
    assert all(match.expert_id != "metal" for match in index.search("高炉煤气余热回收"))
    assert len(index) == 2


def test_a_search_keeps_to_the_groups_it_names_built_upserted_and_stored():
    index = MatchIndex.build(
        [Expert(**{**vars(expert), "group": "north"}) for expert in EXPERTS]
        + [
            Expert(
                id="metal-south",
                discipline="冶金工程",
                keywords=["高炉炼铁"],
                works=["高炉煤气余热回收系统优化"],
                group="south",
            )
        ]
    )
    index.upsert(
        [
            Expert(
                id="mech",
                discipline="机械工程",
                keywords=["高炉"],
                works=["高炉炉顶设备"],
                group="east",
            )
        ]
    )
    text = "高炉煤气余热回收"

    def found(groups, among=index):
        return {match.expert_id for match in among.search(text, groups=groups)}

    assert {"metal", "metal-south", "mech"} <= found(None)
    assert found({"south"}) == {"metal-south"}
    assert found({"north", "east"}) >= {"metal", "mech"} and "metal-south" not in found(
        {"north", "east"}
    )
    assert found(set()) == set()
    stored = MatchIndex.from_bytes(index.to_bytes())
    assert found({"south"}, stored) == {"metal-south"} and found({"east"}, stored) == {"mech"}


def test_the_stored_index_answers_as_the_built_one():
    index = _index()
    index.upsert(
        [Expert(id="mech", discipline="机械工程", keywords=["消毒剂"], works=["消毒剂灌装机"])]
    )
    index.remove(["chem"])
    loaded = MatchIndex.from_bytes(index.to_bytes())
    for text in ("高炉煤气余热回收", "消毒剂灌装", "大棚蔬菜病虫害"):
        assert [m.expert_id for m in loaded.search(text)] == [
            m.expert_id for m in index.search(text)
        ]
    assert len(loaded) == len(index) == 3


def test_a_stored_index_of_another_format_is_refused():
    import io

    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, format=np.array([1]))
    try:
        MatchIndex.from_bytes(buffer.getvalue())
    except ValueError as error:
        assert "rebuild" in str(error)
    else:
        raise AssertionError("an old index was loaded")


def test_replacing_a_profile_forgets_its_old_words():
    index = _index()
    index.upsert([Expert(id="metal", discipline="冶金工程", keywords=["消毒剂"], works=["消毒剂"])])
    assert all(match.expert_id != "metal" for match in index.search("高炉煤气余热回收"))


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
    index = _index()
    guesses = index.search("隧道窑窑车烧成温度不均匀，耐火砖开裂，车间每天消毒")
    assert guesses.matches and not any(match.strong for match in guesses)
    assert index.search("次氯酸钠消毒液稳定性差")[0].strong


def _learning_pool():
    """Enough profiles with two works each for the engine to learn its ranker from the pool:
    each discipline's profiles combine that discipline's topic words two at a time."""
    topics = {
        "冶金工程": ["高炉", "铁水", "转炉", "烧结矿", "连铸坯", "炉渣", "焦炭", "球团"],
        "植物保护": ["霜霉病", "蚜虫", "白粉病", "稻瘟病", "锈病", "线虫", "杂草", "赤霉病"],
        "化学工程与技术": [
            "催化剂",
            "精馏塔",
            "萃取剂",
            "反应釜",
            "聚合物",
            "膜分离",
            "吸附剂",
            "结晶器",
        ],
        "法学": [
            "合同法",
            "物权",
            "侵权责任",
            "行政诉讼",
            "刑事证据",
            "仲裁",
            "知识产权",
            "婚姻家庭",
        ],
    }
    experts = []
    for discipline, topic_words in topics.items():
        triples = [
            (a, b, c)
            for a in topic_words
            for b in topic_words
            for c in topic_words
            if len({a, b, c}) == 3
        ]
        for first, second, third in triples[::7]:
            experts.append(
                Expert(
                    id=f"{discipline}-{len(experts)}",
                    discipline=discipline,
                    works=[f"{first}与{second}的协同机理", f"{second}与{third}的调控方法"],
                )
            )
    return experts


def test_the_pool_teaches_a_ranker_that_the_stored_index_keeps():
    index = MatchIndex.build(_learning_pool())
    assert index.training_queries >= 150
    loaded = MatchIndex.from_bytes(index.to_bytes())
    for text in ("高炉铁水的协同机理", "霜霉病与蚜虫", "合同法与仲裁"):
        built = [(m.expert_id, m.score) for m in index.search(text)]
        assert built and [(m.expert_id, m.score) for m in loaded.search(text)] == built
    top = index.search("高炉与铁水的协同机理").matches[:3]
    assert all(match.expert_id.startswith("冶金工程") for match in top)


def test_shared_meaningful_units_count_only_specific_ones():
    from qunce.matching.engine import _query, _unit_features

    experts = [
        Expert(id="both", discipline="冶金工程", works=["高炉铁水预处理研究"]),
        Expert(id="one", discipline="冶金工程", works=["高炉煤气研究"]),
        *(
            Expert(id=f"filler-{n}", discipline="法学", works=[f"高炉合同第{n}条研究"])
            for n in range(60)
        ),
    ]
    index = MatchIndex.build(experts, learn=False)
    query, _ = _query(index._analyzer, index._statistics, "高炉铁水的研究")
    # 高炉 is in almost every title of this pool: it tells nothing apart, so it counts nothing.
    rows = [index._base.ids.index("both"), index._base.ids.index("one")]
    count, idf, rank = _unit_features(index._base, index._statistics, query, rows)
    assert count.tolist() == [2, 0]
    assert idf[0] > 0 and idf[1] == 0
    assert rank.tolist() == [1, 2]
