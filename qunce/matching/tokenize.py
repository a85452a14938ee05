"""Chinese text to index terms: jieba words (with a domain dictionary) plus character bigrams.

Words carry meaning when jieba knows them; bigrams still match where it cuts a technical term
differently in a query and in a profile. The dictionary is the shipped domain terms plus the
keywords the pool itself uses more than once (高炉, 铁水, 霜霉病 stay whole), so each index owns
an `Analyzer` built from its own pool."""

import logging
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import jieba

DOMAIN_DICTIONARY = Path(__file__).resolve().parent / "domain_terms.txt"
# Words that say nothing about a topic in research titles, profiles and help requests.
STOPWORDS = frozenset(
    [
        "研究",
        "基于",
        "机制",
        "分析",
        "影响",
        "作用",
        "问题",
        "方法",
        "应用",
        "及其",
        "及",
        "与",
        "和",
        "的",
        "对",
        "在",
        "中",
        "下",
        "为",
        "以",
        "等",
        "其",
        "于",
        "之",
        "视角",
        "视域",
        "背景",
        "理论",
        "实证",
        "探讨",
        "探索",
        "初探",
        "新",
        "我国",
        "中国",
        "若干",
        "相关",
        "关键",
        "路径",
        "策略",
        "模式",
        "构建",
        "建设",
        "发展",
        "体系",
        "技术",
        "系统",
        "过程",
        "特征",
        "效应",
        "调控",
        "评价",
        "设计",
        "实现",
        "优化",
        "基础",
        "条件",
        "因素",
        "作为",
        "面向",
        "结合",
        "利用",
        "通过",
        "一种",
        "以及",
        # generic in help requests
        "咨询",
        "需要",
        "希望",
        "如何",
        "怎么",
        "怎样",
        "指导",
        "帮助",
        "提供",
        "可以",
        "目前",
        "现在",
        "出现",
        "我们",
    ]
)
ASCII_TOKEN = re.compile(r"[a-z0-9][a-z0-9.+-]*")
CJK = re.compile(r"[\u4e00-\u9fff]+")
CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
# A pool keyword joins the dictionary when this many profiles use it (once may be a typo).
LEARNED_WORD_MIN_PROFILES = 2
LEARNED_WORD_FREQUENCY = 20_000

logging.getLogger("jieba").setLevel(logging.WARNING)
jieba.setLogLevel(logging.WARNING)


def normalize(text):
    return unicodedata.normalize("NFKC", text or "").lower()


def learned_words(keyword_lists):
    """Pool keywords worth keeping whole: Chinese, 2 to 8 characters, used by several profiles,
    and not a stopword."""
    profiles_using = Counter()
    for keywords in keyword_lists:
        profiles_using.update({normalize(word).strip() for word in keywords})
    return sorted(
        word
        for word, count in profiles_using.items()
        if count >= LEARNED_WORD_MIN_PROFILES and CJK_WORD.match(word) and word not in STOPWORDS
    )


@cache
def _base_tokenizer():
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if DOMAIN_DICTIONARY.exists():
        tokenizer.load_userdict(str(DOMAIN_DICTIONARY))
    return tokenizer


def _base_tokenizer_copy():
    """A tokenizer with jieba's dictionary and the shipped domain terms, copied from one loaded
    per process: loading the dictionary takes most of a second, copying it a few milliseconds."""
    base = _base_tokenizer()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(base.FREQ)
    tokenizer.total = base.total
    tokenizer.initialized = True
    return tokenizer


class Analyzer:
    """Turns text into index terms with one jieba dictionary: 'w:' words and 'b:' bigrams."""

    def __init__(self, extra_words=()):
        self.extra_words = list(extra_words)
        self._jieba = _base_tokenizer_copy()
        for word in self.extra_words:
            self._jieba.add_word(word, LEARNED_WORD_FREQUENCY)

    def words(self, text):
        """Meaningful jieba words (search mode: long words and their parts)."""
        text = normalize(text)
        found = [
            word
            for word in self._jieba.cut_for_search(text)
            if len(word) > 1 and word not in STOPWORDS and CJK.match(word)
        ]
        found.extend(ASCII_TOKEN.findall(text))
        return found

    def terms(self, text):
        return [f"w:{word}" for word in self.words(text)] + [f"b:{gram}" for gram in bigrams(text)]


def bigrams(text):
    """Character bigrams of each run of Chinese characters, skipping those inside stopwords."""
    grams = []
    for run in CJK.findall(normalize(text)):
        grams.extend(run[i : i + 2] for i in range(len(run) - 1) if run[i : i + 2] not in STOPWORDS)
    return grams


@lru_cache(maxsize=4)
def _analyzer(extra_words):
    return Analyzer(extra_words)


def analyzer_for(extra_words):
    """One shared analyzer per dictionary: loading jieba's takes most of a second."""
    return _analyzer(tuple(extra_words))


def default_analyzer():
    return analyzer_for(())


def words(text):
    return default_analyzer().words(text)


def terms(text):
    """Index terms of a text: words prefixed 'w:', bigrams 'b:' (they are weighted apart)."""
    return default_analyzer().terms(text)
