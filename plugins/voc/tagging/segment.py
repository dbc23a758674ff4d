"""jieba, used only where word boundaries matter (emerging-topic keywords), never on the hot path.

A private jieba.Tokenizer (not the global one, which other code may configure) loaded once with the
finance user dictionary so 大额存单 / 申购费 / 手机银行 stay whole words.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

FINANCE_DICT = Path(__file__).resolve().parent.parent / "taxonomy" / "finance_dict.txt"


@lru_cache(maxsize=1)
def tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.load_userdict(str(FINANCE_DICT))
    return tok


def cut(text: str) -> list[str]:
    return tokenizer().lcut(text)
