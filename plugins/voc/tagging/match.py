"""The reference matcher: one leftmost-longest pass over the normalised text, then scope checks.

This is the specification the C engine (native/engine.c) implements for speed; the two must agree on
every utterance (tests/tagging/test_engines.py compares them on the gold set and a generated corpus).
It also runs where no C compiler was available to build the engine.

analyse() -> Analysis: sentiment label/score/intensity and the evidence as
(code index, start, end, evidence name index) in input offsets, deduplicated and sorted.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .normalize import Normalized
from .rules import (
    ANY, BLOCK, BREAK, CLAUSE, INSULT, INTENS, INTENS_WINDOW, NEG, NEG_WINDOW, PROHIBITIVE, Q_OPEN, Q_TOGGLE, QCUE,
    QUESTION_END, QUOTE, REQUIRE, SARC, SENT, SENT_NEG_WINDOW, SENTENCE, TAGQ, TAGQ_WINDOW, TRIG, RuleSet,
)
from .sentiment import NEGATIVE, Scan, score

_BANG_RUN = re.compile("[!！]{2,}")
_END = object()  # trie key of a word's payload (no character equals it)


class Analysis(NamedTuple):
    label: int  # index into sentiment.LABELS
    value: float  # unrounded score in [-1, 1]
    intensity: float  # unrounded emotion intensity
    evidence: list[tuple[int, int, int, int]]  # (code index, start, end, RuleSet.evidence_names index)


class Reference:
    """The pure-Python matcher over a RuleSet."""

    def __init__(self, rs: RuleSet):
        self.rs = rs
        self._trie: dict = {}
        for word, (cust, agent) in rs.words.items():
            node = self._trie
            for ch in word:
                node = node.setdefault(ch, {})
            node[_END] = (len(word), tuple(cust), tuple(agent))
        self._groups = [rs.group_regex(gi) for gi in range(len(rs.groups))]
        self._reported = re.compile("|".join(map(re.escape, rs.reported)))

    # -- the pass ---------------------------------------------------------------------------
    def words(self, text: str):
        """Leftmost-longest dictionary words: (start, stop, (length, customer roles, agent roles))."""
        root, n, i = self._trie, len(text), 0
        while i < n:
            node, j, best = root, i, None
            while j < n:
                node = node.get(text[j])
                if node is None:
                    break
                j += 1
                payload = node.get(_END)
                if payload is not None:
                    best = payload
            if best is None:
                i += 1
                continue
            yield i, i + best[0], best
            i += best[0]

    def match(self, text: str, agent: bool) -> tuple[list, list, Scan]:
        """-> (fired (rule index, start, end), rules that fire only if the utterance is negative, features)."""
        sel = 2 if agent else 1
        rules = self.rs.rules
        trig = []
        clause_start = [0]
        sentence_start = [0]
        qclause: set[int] = set()
        clause = sentence = 0
        quote = False
        neg_end = neg_clause = -99
        prohibitive = False  # the last negation was 别/不要 ("don't"), not 不/没 ("not")
        intens_end = -99
        positive = negative = 0.0
        negative_words = negations = sarcasm = quoted_positive = insults = 0
        for start, stop, payload in self.words(text):
            for kind, arg in payload[sel]:
                if kind == TRIG:
                    ri, off, size = arg
                    r = rules[ri]
                    s0 = start + off
                    if quote and r.quoted == BLOCK:
                        continue
                    if (r.negation == BLOCK and neg_clause == clause and s0 - NEG_WINDOW <= neg_end
                            and not (prohibitive and r.negative)):
                        continue
                    trig.append((ri, s0, s0 + size, clause, sentence))
                elif kind == BREAK:
                    if arg == QUESTION_END:
                        qclause.add(clause)
                    clause += 1
                    clause_start.append(stop)
                    if arg:
                        sentence += 1
                        sentence_start.append(stop)
                elif kind == SENT:
                    w = arg * 1.5 if start - INTENS_WINDOW <= intens_end else arg
                    if neg_clause == clause and start - SENT_NEG_WINDOW <= neg_end:
                        # 不满意 is milder than 差劲; 别着急 reassures (别骚扰我 is carried by its tag)
                        w = 0.0 if prohibitive and w < 0 else -0.6 * w
                    if w > 0:
                        if quote:
                            quoted_positive += 1  # “流畅” in quotes is sarcasm, not praise
                        else:
                            positive += w
                    elif w < 0:
                        negative += w
                        negative_words += 1
                elif kind == NEG:
                    neg_end = stop
                    neg_clause = clause
                    prohibitive = arg == PROHIBITIVE
                    negations += 1
                elif kind == QCUE:
                    qclause.add(clause)
                elif kind == QUOTE:
                    quote = (not quote) if arg == Q_TOGGLE else arg == Q_OPEN
                elif kind == INTENS:
                    intens_end = stop
                elif kind == TAGQ:
                    # 是真的吗 / 对吗 opening a clause turns the clause before it into the question
                    if clause and start - clause_start[clause] <= TAGQ_WINDOW:
                        qclause.add(clause - 1)
                    qclause.add(clause)
                elif kind == SARC:
                    sarcasm += 1
                elif kind == INSULT:
                    insults += 1

        runs = [m.span() for m in _BANG_RUN.finditer(text)]
        bangs = text.count("!") + text.count("！")
        bang_runs = sum(e - s - 1 for s, e in runs)
        scan = Scan(positive, negative, negative_words, negations, sarcasm, quoted_positive, insults, bangs, bang_runs)
        fired: list[tuple[int, int, int]] = []
        deferred: list[tuple[int, int, int]] = []
        n = len(text)
        last_clause = clause

        def clause_bounds(c: int) -> tuple[int, int]:
            return clause_start[c], clause_start[c + 1] if c < last_clause else n

        def sentence_bounds(sn: int) -> tuple[int, int]:
            return sentence_start[sn], sentence_start[sn + 1] if sn < sentence else n

        reported: dict[int, int] = {}
        for ri, s, e, c, sn in trig:
            r = rules[ri]
            if r.question != ANY and (c in qclause) != (r.question == REQUIRE):
                continue
            if r.reported == BLOCK:
                # 朋友说… earlier in the clause: reported speech, not the speaker's own claim
                at = reported.get(c)
                if at is None:
                    at = reported[c] = self._reported_end(text, *clause_bounds(c))
                if at <= s:
                    continue
            ok = True
            for gi, scope, need in r.conds:
                if scope == CLAUSE:
                    found = self._groups[gi].search(text, *clause_bounds(c))
                elif scope == SENTENCE:
                    found = self._groups[gi].search(text, *sentence_bounds(sn))
                else:
                    found = self._groups[gi].search(text)
                if (found is None) == need:
                    ok = False
                    break
            if ok:
                (deferred if r.needs_negative else fired).append((ri, s, e))
        if runs:
            for ri in self.rs.exclaim_rules:
                r = rules[ri]
                if r.speaker == ("customer" if agent else "agent"):
                    continue
                for s, e in runs:
                    if e - s >= r.exclaim:
                        (deferred if r.needs_negative else fired).append((ri, s, e))
                        break
        return fired, deferred, scan

    def _reported_end(self, text: str, lo: int, hi: int) -> int:
        """Where the leftmost reported-speech marker in [lo, hi) ends (len + 1 if none). A marker followed by
        得 judges how someone speaks (经理讲得很专业), so that start does not count."""
        pos = lo
        while (m := self._reported.search(text, pos, hi)) is not None:
            if m.end() < len(text) and text[m.end()] == "得":
                pos = m.start() + 1
                continue
            return m.end()
        return len(text) + 1

    # -- one utterance ------------------------------------------------------------------------
    def analyse(self, norm: Normalized, agent: bool) -> Analysis:
        rs = self.rs
        fired, deferred, scan = self.match(norm.text, agent)
        codes = sorted({rs.rules[ri].code for ri, _, _ in fired})
        label, value, intensity = score(scan, sum(rs.polarity[c] for c in codes), agent)
        if deferred and label == NEGATIVE:
            fired += deferred
        return Analysis(label, value, intensity, evidence(rs, fired, norm))


def evidence(rs: RuleSet, fired: list[tuple[int, int, int]], norm: Normalized) -> list[tuple]:
    """Fired rules -> (code index, start, end, evidence name) in input offsets, with implied tags,
    first rule per (code, span) kept, ordered by span then code."""
    seen: dict[tuple[int, int, int], int] = {}
    for ri, s, e in fired:
        if norm.offmap is not None:
            s, e = norm.span(s, e)
        code = rs.rules[ri].code
        key = (rs.code_index[code], s, e)
        if key not in seen:
            seen[key] = ri
            for k, implied in enumerate(rs.implies.get(code, ())):
                seen.setdefault((rs.code_index[implied], s, e), rs.implied_name[ri] + k)
    return [(c, s, e, name) for (c, s, e), name in sorted(seen.items(), key=_by_span)]


def _by_span(item) -> tuple[int, int, int]:
    (c, s, e), _ = item
    return s, e, c
