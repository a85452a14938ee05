"""How a query and a profile become terms: domain words whole, stopwords dropped, ASCII kept; and
the engine stands alone, without Django."""

from pathlib import Path

from qunce.matching import Expert, MatchIndex
from qunce.matching.tests.experts import EXPERTS
from qunce.matching.tokenize import terms, words


def test_the_package_imports_nothing_from_django():
    package = Path(__file__).resolve().parent.parent
    for source in package.glob("*.py"):
        assert "django" not in source.read_text(encoding="utf-8"), source.name


def test_domain_terms_are_kept_whole_and_stopwords_dropped():
    found = words("高炉炼铁复工复产技术研究")
    assert "高炉炼铁" in found and "复工复产" in found
    assert "研究" not in found and "技术" not in found
    assert "b:炼铁" in terms("高炉炼铁")


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
