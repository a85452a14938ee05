"""What the pool teaches: a learned ranker trained on pairs from the pool, which the stored index
keeps."""

from qunce.matching import Expert, MatchIndex


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
