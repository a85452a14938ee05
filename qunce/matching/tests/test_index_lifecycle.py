"""The index over its life: built from odd profiles, updated and pruned without a rebuild, stored
and loaded again, searched by group."""

from qunce.matching import Expert, MatchIndex
from qunce.matching.tests.experts import EXPERTS, three_expert_index


def test_profiles_without_fields_or_id_do_not_break_the_build():
    index = MatchIndex.build([*EXPERTS, Expert(id=""), Expert(id="blank")])
    assert len(index) == 4
    assert index.search("高炉炼铁")[0].expert_id == "metal"


def test_profiles_update_without_a_rebuild():
    index = three_expert_index()
    index.upsert(
        [Expert(id="mech", discipline="机械工程", keywords=["消毒剂"], works=["消毒剂灌装机"])]
    )
    assert "mech" in index and len(index) == 4
    assert "mech" in [match.expert_id for match in index.search("消毒剂灌装")]
    index.remove(["mech"])
    assert all(match.expert_id != "mech" for match in index.search("消毒剂灌装"))
    assert len(index) == 3 and "mech" not in index


def test_a_removed_profile_of_the_build_leaves_the_results():
    index = three_expert_index()
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
    index = three_expert_index()
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
    index = three_expert_index()
    index.upsert([Expert(id="metal", discipline="冶金工程", keywords=["消毒剂"], works=["消毒剂"])])
    assert all(match.expert_id != "metal" for match in index.search("高炉煤气余热回收"))
