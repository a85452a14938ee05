"""Chinese text to index terms: jieba words (with a domain dictionary) plus character bigrams.

Words carry meaning when jieba knows them; bigrams still match where it cuts a technical term
differently in a query and in a profile."""

import logging
import re
import unicodedata
from functools import cache
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

logging.getLogger("jieba").setLevel(logging.WARNING)


@cache
def _tokenizer():
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if DOMAIN_DICTIONARY.exists():
        tokenizer.load_userdict(str(DOMAIN_DICTIONARY))
    return tokenizer


def normalize(text):
    return unicodedata.normalize("NFKC", text or "").lower()


def words(text):
    """Meaningful jieba words (search mode: long words and their parts)."""
    text = normalize(text)
    found = [
        word
        for word in _tokenizer().cut_for_search(text)
        if len(word) > 1 and word not in STOPWORDS and not word.isspace()
    ]
    found.extend(ASCII_TOKEN.findall(text))
    return found


def bigrams(text):
    """Character bigrams of each run of Chinese characters, skipping those inside stopwords."""
    grams = []
    for run in CJK.findall(normalize(text)):
        grams.extend(run[i : i + 2] for i in range(len(run) - 1) if run[i : i + 2] not in STOPWORDS)
    return grams


def terms(text):
    """Index terms of a text: words prefixed 'w:', bigrams 'b:' (they are weighted apart)."""
    return [f"w:{word}" for word in words(text)] + [f"b:{gram}" for gram in bigrams(text)]
