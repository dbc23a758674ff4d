"""Length-preserving text normalisation: NFKC per character, Traditional -> Simplified, NULs out.

Matching runs on the normalised text while every span we report (evidence, PII) must point into the
text as received. Normalising character by character (one char in, one char out) keeps offsets equal;
the only length change we allow is dropping NUL/control bytes, and then an offset map is returned.
Per-character T2S loses OpenCC's phrase-level choices, which never matter for our keywords.

Full-width punctuation (，。？！：；（）) is deliberately left alone: the rule automaton knows both widths,
and skipping it lets most utterances (simplified text, CJK punctuation) bypass translation entirely.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Full-width punctuation kept as is (see module doc); the rules treat both widths alike.
KEEP = frozenset("，？！：；（）～")

# Characters removed outright (NUL and C0 controls except tab/newline/carriage return).
_DROP = frozenset(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") | {"\x7f"}


class Normalized(NamedTuple):
    text: str
    # offmap[i] = index in the original text of normalised char i; None when lengths are equal.
    offmap: list[int] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back to the original text."""
        if self.offmap is None:
            return start, end
        return self.offmap[start], self.offmap[end - 1] + 1


@lru_cache(maxsize=1)
def _tables() -> tuple[list[str], re.Pattern[str]]:
    """One-char -> one-char map for every BMP char that NFKC or T2S changes, and a regex finding them."""
    import opencc  # imported lazily: only the first normalisation pays for it

    nfkc: dict[str, str] = {}
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        out = unicodedata.normalize("NFKC", ch)
        if len(out) == 1:
            nfkc[ch] = out
    nfkc["\u3000"] = " "  # ideographic space; NFKC already does this, kept explicit for readers
    # T2S only for CJK blocks; one OpenCC call over a newline-separated list keeps start-up cheap.
    cjk = [chr(cp) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for cp in range(*r)]
    cjk = [nfkc.get(c, c) for c in cjk]
    converted = opencc.OpenCC("t2s").convert("\n".join(cjk)).split("\n")
    t2s = dict(zip(cjk, converted)) if len(converted) == len(cjk) else {}
    table: dict[int, str] = {}
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        out = nfkc.get(ch, ch)
        simp = t2s.get(out, out)
        if len(simp) == 1:
            out = simp
        if out != ch and len(out) == 1 and ch not in KEEP:
            table[cp] = out
    pattern = re.compile("[" + "".join(_ranges(sorted(table))) + "]")
    # A list indexed by code point is the fastest mapping str.translate accepts (no KeyError per char);
    # astral chars (emoji) fall off the end and are kept unchanged.
    lookup = [chr(cp) for cp in range(0x10000)]
    for cp, out in table.items():
        lookup[cp] = out
    return lookup, pattern


def _ranges(cps: list[int]) -> list[str]:
    out, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = re.escape(chr(cps[i])), re.escape(chr(cps[j]))
        out.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return out


def warm_up() -> None:
    """Build the tables now (about a second) instead of on the first utterance."""
    _tables()


def normalize(text: str) -> Normalized:
    table, needs = _tables()
    offmap = None
    if not text.isprintable() and any(c in _DROP for c in text):
        offmap = [i for i, c in enumerate(text) if c not in _DROP]
        text = "".join(text[i] for i in offmap)
    # Most utterances are already simplified, half-width text: one regex scan proves it.
    if needs.search(text) is not None:
        text = text.translate(table)
    return Normalized(text, offmap)


if __name__ == "__main__":  # pragma: no cover - manual check
    print(normalize(sys.argv[1]).text)
