"""Emerging topics: frequent words in negative feedback that the taxonomy's tags do not explain.

Pure function over texts (the caller picks which ones: typically negative utterances whose tags are
empty or cover none of their complaint). Words that are already rule keywords, stop words, numbers
and single characters are dropped; what is left, counted once per text, is ranked.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Iterable

from .normalize import normalize
from .segment import cut

STOPWORDS = frozenset(
    "的 了 是 我 你 他 她 它 们 我们 你们 他们 这 那 这个 那个 就 都 也 还 又 很 太 真 吗 呢 吧 啊 呀 哦 嗯 哈 么 "
    "和 跟 与 及 或 在 从 到 对 把 被 让 给 为 说 要 会 能 可以 没有 没 不 有 一个 一下 什么 怎么 为什么 现在 今天 昨天 "
    "时候 已经 还是 就是 但是 因为 所以 如果 然后 而且 一直 还有 这样 那样 银行 贵行 客户 您 请 谢谢 问题 一次 时间 "
    "自己 知道 觉得 感觉 真的 这么 那么 多少 几 个 次 天 年 月 号".split()
)


@lru_cache(maxsize=4)
def _covered_words(version: int | None) -> frozenset[str]:
    from .rules import RuleSet
    from .taxonomy import Taxonomy

    return frozenset(RuleSet(Taxonomy.load(version)).keywords)


def emerging_keywords(texts: Iterable[str], top_n: int = 20, exclude: Iterable[str] | None = None,
                      min_count: int = 2, taxonomy_version: int | None = None) -> list[tuple[str, int]]:
    """-> [(word, number of texts containing it)], most frequent first, at most top_n.

    exclude defaults to every keyword of the rules of taxonomy_version (default: the active one)."""
    known = frozenset(exclude) if exclude is not None else _covered_words(taxonomy_version)
    counts: Counter[str] = Counter()
    for text in texts:
        words = {
            w for w in cut(normalize(text).text)
            if len(w) > 1 and w not in STOPWORDS and w not in known and not _numeric(w) and not w.isspace()
        }
        counts.update(words)
    ranked = sorted(((w, c) for w, c in counts.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0]))
    return ranked[:top_n]


def _numeric(word: str) -> bool:
    return all(ch.isdigit() or ch in ".%+-:/" for ch in word) or not any(ch.isalnum() for ch in word)
