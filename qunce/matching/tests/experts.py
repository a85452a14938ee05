"""Three experts of different fields, the engine tests' small registry."""

from qunce.matching import Expert, MatchIndex

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


def three_expert_index():
    return MatchIndex.build([Expert(**vars(expert)) for expert in EXPERTS])
