"""Rule compilation and matching: one Aho-Corasick pass over the normalised text, then scope checks.

The automaton holds every rule trigger plus the cues that give it scope: punctuation (clauses and
sentences), negation and question cues, quotes, reported-speech markers and sentiment words. It is
read leftmost-longest, like dictionary max-match segmentation: a word inside a longer dictionary word
is not seen (看不懂 hides 不懂, 非常 hides 非, 什么 hides 么), which is how `except` words and the
negation/question exemptions work without any post-filtering. To keep overlapping vocabularies
independent, a long word inherits the roles of its own max-match segmentation: 说了不需要还打 still
carries 不需要's refusal, 产品太少 still counts as negative. Not inherited: a trigger whose rule lists
the long word under `except`, or that a negation earlier in the long word negates (不专业 ≠ 专业).

The scan runs over the UTF-8 bytes of the text (as a latin-1 str, which pyahocorasick accepts):
the trie's first level then has a handful of lead bytes instead of ~500 first characters, and
children are inserted in character-frequency order (charrank.py). Together that halves the scan
time. UTF-8 is self-synchronising, so a keyword can only match on character boundaries; offsets and
windows below are therefore in bytes, and callers convert the few evidence spans back to chars.

Each trigger is then checked against cheap scopes:
  speaker    leaf speaker; resolved at compile time (one role list per speaker)
  question   block (statements only; default), require (question clauses only), any
  negation   a negation cue ending at most NEG_WINDOW chars before the trigger, same clause, blocks it
  quoted     words inside quotes are someone else's (or sarcasm) and are blocked by default
  reported   after 朋友说/听说… in the same clause the speaker asserts nothing (blocked by default)
  with*/without*  word groups that must (not) occur in the clause / sentence / utterance
Reported-speech markers and word groups are searched (one compiled regex each, over the unicode text)
only when a trigger needs them, so they cost nothing on utterances without candidate tags.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import ahocorasick

from .charrank import char_rank
from .patterns import expand_all
from .taxonomy import Taxonomy

# Windows are in UTF-8 bytes: 3 per Chinese character.
NEG_WINDOW = 12  # 4 chars between a negation cue and the word it negates: 不想要保本 (不…保本 = 2)
SENT_NEG_WINDOW = 9
INTENS_WINDOW = 6

# role kinds
TRIG, NEG, QCUE, BREAK, QUOTE, SENT, INTENS, SARC, INSULT, TAGQ = range(10)
CLAUSE_END, SENTENCE_END, QUESTION_END = 0, 1, 2
Q_TOGGLE, Q_OPEN, Q_CLOSE = 0, 1, 2
CLAUSE, SENTENCE, UTTERANCE = 0, 1, 2
BLOCK, REQUIRE, ANY = 0, 1, 2
_MODES = {"block": BLOCK, "require": REQUIRE, "any": ANY, "allow": ANY, "ignore": ANY}
_SCOPES = (
    ("with", CLAUSE, True), ("with_sentence", SENTENCE, True), ("with_utterance", UTTERANCE, True),
    ("without", CLAUSE, False), ("without_sentence", SENTENCE, False), ("without_utterance", UTTERANCE, False),
)
_RULE_KEYS = {"id", "any", "exclaim", "except", "question", "negation", "quoted", "reported", "sentiment", "note"}
_RULE_KEYS |= {k for k, _, _ in _SCOPES}
# roles a longer word takes over from the words inside it
_INHERITED = (TRIG, QCUE, SENT, SARC, INSULT, TAGQ)


def to_bytes_str(text: str) -> str:
    """The UTF-8 bytes of text as a latin-1 str: the form the automaton sees."""
    return text.encode("utf-8").decode("latin-1")


_FULL_BANG = to_bytes_str("！")
_BANG_RUN = re.compile("(?:!|%s){2,}" % re.escape(_FULL_BANG))


@dataclass(slots=True)
class Rule:
    id: str
    code: str
    speaker: str
    question: int
    negation: int
    quoted: int
    reported: int
    conds: tuple[tuple[re.Pattern[str], int, bool], ...]  # (group regex, scope, must be present)
    needs_negative: bool
    exclaim: int  # >0: fires on a run of that many exclamation marks instead of words


class Scan(NamedTuple):
    """Everything sentiment scoring needs from the same pass."""
    positive: float
    negative: float
    negative_words: int
    negations: int
    sarcasm: int
    quoted_positive: int
    insults: int
    bangs: int
    bang_runs: int


class Matcher:
    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        lex = taxonomy.lexicon
        self._aliases: dict[str, list[str]] = lex.get("aliases", {})
        self._roles: dict[str, tuple[list[tuple], list[tuple]]] = {}
        self._groups: dict[tuple[str, ...], re.Pattern[str]] = {}
        self.rules: list[Rule] = []
        self.keywords: set[str] = set()  # all rule words, for the emerging-topic filter
        self._exclaim_rules: list[int] = []
        self._except: dict[int, set[str]] = {}  # rule index -> words that hide its triggers
        reported = sorted(self._words(lex["reported"]), key=len, reverse=True)
        self._reported = re.compile("|".join(map(re.escape, reported)))
        # every reported-speech marker contains one of these, so most texts skip the regex entirely
        self._reported_keys = tuple({ch for w in reported for ch in w if ch in "说讲告传"})
        self._compile_lexicon(lex)
        for code, specs in taxonomy.rules.items():
            for i, spec in enumerate(specs, 1):
                self._compile_rule(code, i, spec)
        self._inherit()
        rank = char_rank()
        unranked = len(rank)
        self._automaton = ahocorasick.Automaton()
        for word in sorted(self._roles, key=lambda w: (rank.get(w[0], -1 if w[0].isascii() else unranked), w)):
            cust, agent = self._roles[word]
            key = to_bytes_str(word)
            self._automaton.add_word(key, (len(key), tuple(cust), tuple(agent)))
        self._automaton.make_automaton()

    # -- compilation -------------------------------------------------------------------------
    def _add(self, words: list[str], role: tuple | None, customer: bool = True, agent: bool = True) -> None:
        """Register words; role None only reserves the word so it hides the words inside it."""
        for w in words:
            cust, ag = self._roles.setdefault(w, ([], []))
            if role is None:
                continue
            if customer and role not in cust:
                cust.append(role)
            if agent and role not in ag:
                ag.append(role)

    def _words(self, patterns: list[str]) -> list[str]:
        return expand_all(list(patterns), self._aliases)

    def _compile_lexicon(self, lex: dict[str, Any]) -> None:
        breaks = lex["breaks"]
        self._add(list(breaks["clause"]), (BREAK, CLAUSE_END))
        self._add(list(breaks["sentence"]), (BREAK, SENTENCE_END))
        self._add(list(breaks["question"]), (BREAK, QUESTION_END))
        self._add(list(lex["quotes"]["toggle"]), (QUOTE, Q_TOGGLE))
        self._add(list(lex["quotes"]["open"]), (QUOTE, Q_OPEN))
        self._add(list(lex["quotes"]["close"]), (QUOTE, Q_CLOSE))
        self._add(self._words(lex["negation"]), (NEG, 0))
        self._add(self._words(lex["question"]), (QCUE, 0))
        self._add(self._words(lex["tag_question"]), (TAGQ, 0))
        sent = lex["sentiment"]
        for weight, words in sent["words"].items():
            w = float(weight)
            self._add(self._words(words), (SENT, w) if w else None)
        self._add(self._words(sent["intensifiers"]), (INTENS, 0))
        self._add(self._words(sent["sarcasm"]), (SARC, 0))
        self._add(self._words(sent["insults"]), (INSULT, 0))
        # exemptions are plain dictionary words: being longer, they hide the cue inside them
        self._add(self._words(lex["negation_exempt"]), None)
        self._add(self._words(lex["question_exempt"]), None)

    def _group(self, patterns: list[str]) -> re.Pattern[str]:
        words = tuple(sorted(set(self._words(patterns)), key=lambda w: (-len(w), w)))
        rx = self._groups.get(words)
        if rx is None:
            # searched in the unicode text: there the first character discriminates, so re's
            # first-character prefilter skips most positions (in UTF-8 every CJK char starts alike)
            rx = self._groups[words] = re.compile("|".join(map(re.escape, words)))
            self.keywords.update(words)
        return rx

    def _compile_rule(self, code: str, index: int, spec: dict[str, Any]) -> None:
        unknown = set(spec) - _RULE_KEYS
        if unknown:
            raise ValueError(f"rule {code}#{index}: unknown keys {sorted(unknown)}")
        is_question = code.startswith("feedback.question.")
        conds = []
        for key, scope, need in _SCOPES:
            value = spec.get(key)
            if value:
                groups = value if isinstance(value[0], list) else [value]  # a flat list is one group
                conds.extend((self._group(g), scope, need) for g in groups)
        rule = Rule(
            id=spec.get("id", f"{code}#{index}"),
            code=code,
            speaker=self.taxonomy.speaker(code),
            question=_MODES[spec.get("question", "any" if is_question else "block")],
            negation=_MODES[spec.get("negation", "block")],
            quoted=_MODES[spec.get("quoted", "block")],
            reported=_MODES[spec.get("reported", "allow" if is_question else "block")],
            conds=tuple(conds),
            needs_negative=spec.get("sentiment") == "negative",
            exclaim=int(spec.get("exclaim", 0)),
        )
        ri = len(self.rules)
        self.rules.append(rule)
        if rule.exclaim:
            self._exclaim_rules.append(ri)
        if spec.get("except"):
            words = self._words(spec["except"])
            self._except[ri] = set(words)
            self._add(words, None)
        if spec.get("any"):
            words = self._words(spec["any"])
            self.keywords.update(words)
            for w in words:
                self._add([w], (TRIG, (ri, 0, len(w.encode("utf-8")))),
                          customer=rule.speaker != "agent", agent=rule.speaker != "customer")

    def _inherit(self) -> None:
        """Give each word the roles of its own max-match segmentation (see the module doc)."""
        roles = self._roles
        longest = max(map(len, roles))
        updates: dict[str, tuple[list, list]] = {}
        for word, (cust, ag) in roles.items():
            if len(word) < 2 or not (cust or ag):
                continue  # role-less words are exemptions/except words: they must stay inert
            add_c: list[tuple] = []
            add_a: list[tuple] = []
            i = 0
            neg_at = -99  # byte offset just after the last negation seen inside the word
            quoted = False  # inside a quote opened within the word (真“好用”)
            while i < len(word):
                for size in range(min(longest, len(word) - i, len(word) - 1), 0, -1):
                    sub = word[i:i + size]
                    if sub in roles:
                        break
                else:
                    i += 1
                    continue
                off = len(word[:i].encode("utf-8"))
                sub_c, sub_a = roles[sub]
                for src, dst, own in ((sub_c, add_c, cust), (sub_a, add_a, ag)):
                    for kind, arg in src:
                        if kind == NEG:
                            neg_at = off + len(sub.encode("utf-8"))
                        elif kind == QUOTE and src is sub_c:
                            quoted = (not quoted) if arg == Q_TOGGLE else arg == Q_OPEN
                        if kind not in _INHERITED:
                            continue
                        if kind == TRIG:
                            ri = arg[0]
                            rule = self.rules[ri]
                            if word in self._except.get(ri, ()) or any(k == TRIG and a[0] == ri for k, a in own):
                                continue
                            if rule.negation == BLOCK and off - NEG_WINDOW <= neg_at <= off:
                                continue
                            if quoted and rule.quoted == BLOCK:
                                continue
                            role = (TRIG, (ri, off + arg[1], arg[2]))
                        elif any(k == kind for k, _ in own):
                            continue  # the word's own sentiment/question role wins
                        else:
                            role = (kind, arg)
                        if role not in dst:
                            dst.append(role)
                i += len(sub)
            if add_c or add_a:
                updates[word] = (add_c, add_a)
        for word, (add_c, add_a) in updates.items():
            roles[word][0].extend(add_c)
            roles[word][1].extend(add_a)

    # -- matching ----------------------------------------------------------------------------
    def match(self, text: str, agent: bool, utext: str | None = None
              ) -> tuple[list[tuple[Rule, int, int]], list[tuple[Rule, int, int]], Scan]:
        """text: to_bytes_str(normalised text); utext: the normalised text itself (derived if omitted).
        -> (fired rules as (rule, start, end) byte offsets, rules that fire only if the utterance
        turns out negative, sentiment features)."""
        # Hot loop: plain locals, checks that are known at hit time done at hit time.
        sel = 2 if agent else 1
        rules = self.rules
        trig = []
        clause_start = [0]
        sentence_start = [0]
        qclause: set[int] = set()
        clause = sentence = 0
        quote = False
        neg_end = neg_clause = -99
        intens_end = -99
        positive = negative = 0.0
        negative_words = negations = sarcasm = quoted_positive = insults = 0
        for end, payload in self._automaton.iter_long(text):
            roles = payload[sel]
            if not roles:
                continue
            stop = end + 1
            start = stop - payload[0]
            for kind, arg in roles:
                if kind == TRIG:
                    ri, off, size = arg
                    r = rules[ri]
                    s0 = start + off
                    if quote and r.quoted == BLOCK:
                        continue
                    if r.negation == BLOCK and neg_clause == clause and s0 - NEG_WINDOW <= neg_end:
                        continue
                    trig.append((r, s0, s0 + size, clause, sentence))
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
                        w = -0.6 * w  # 不满意 is milder than 差劲
                    if w > 0:
                        if quote:
                            quoted_positive += 1  # “流畅” in quotes is sarcasm, not praise
                        else:
                            positive += w
                    else:
                        negative += w
                        negative_words += 1
                elif kind == NEG:
                    neg_end = stop
                    neg_clause = clause
                    negations += 1
                elif kind == QCUE:
                    qclause.add(clause)
                elif kind == QUOTE:
                    quote = (not quote) if arg == Q_TOGGLE else arg == Q_OPEN
                elif kind == INTENS:
                    intens_end = stop
                elif kind == TAGQ:
                    # 是真的吗 / 对吗 opening a clause turns the clause before it into the question
                    if clause and start - clause_start[clause] <= 3:
                        qclause.add(clause - 1)
                    qclause.add(clause)
                elif kind == SARC:
                    sarcasm += 1
                elif kind == INSULT:
                    insults += 1

        bangs = bang_runs = 0
        if "!" in text or _FULL_BANG in text:
            bangs = text.count("!") + text.count(_FULL_BANG)
            bang_runs = sum(len(m.group().replace(_FULL_BANG, "!")) - 1 for m in _BANG_RUN.finditer(text))
        scan = Scan(positive, negative, negative_words, negations, sarcasm, quoted_positive, insults, bangs, bang_runs)
        fired: list[tuple[Rule, int, int]] = []
        deferred: list[tuple[Rule, int, int]] = []
        if not trig:
            if bang_runs and self._exclaim_rules:
                self._exclaim(text, agent, fired, deferred)
            return fired, deferred, scan
        if utext is None:
            utext = text.encode("latin-1").decode("utf-8")
        n = len(utext)
        if n == len(text):
            def char(b: int) -> int:
                return b
        else:
            raw = text.encode("latin-1")

            def char(b: int) -> int:
                return len(raw[:b].decode("utf-8"))
        last_clause = clause
        clause_bounds: dict[int, tuple[int, int]] = {}
        sentence_bounds: dict[int, tuple[int, int]] = {}
        reported: dict[int, int] = {}
        maybe_reported = any(k in utext for k in self._reported_keys)
        for r, s, e, c, sn in trig:
            if r.question != ANY and (c in qclause) != (r.question == REQUIRE):
                continue
            if r.reported == BLOCK and maybe_reported:
                # 朋友说… earlier in the clause: reported speech, not the speaker's own claim
                at = reported.get(c)
                if at is None:
                    lo, hi = clause_bounds.get(c) or clause_bounds.setdefault(
                        c, (char(clause_start[c]), char(clause_start[c + 1]) if c < last_clause else n))
                    m = self._reported.search(utext, lo, hi)
                    at = reported[c] = m.end() if m else n + 1
                if at <= char(s):
                    continue
            if r.conds:
                for rx, scope, need in r.conds:
                    if scope == CLAUSE:
                        lo, hi = clause_bounds.get(c) or clause_bounds.setdefault(
                            c, (char(clause_start[c]), char(clause_start[c + 1]) if c < last_clause else n))
                        found = rx.search(utext, lo, hi)
                    elif scope == SENTENCE:
                        lo, hi = sentence_bounds.get(sn) or sentence_bounds.setdefault(
                            sn, (char(sentence_start[sn]), char(sentence_start[sn + 1]) if sn < sentence else n))
                        found = rx.search(utext, lo, hi)
                    else:
                        found = rx.search(utext)
                    if (found is None) == need:
                        break
                else:
                    (deferred if r.needs_negative else fired).append((r, s, e))
                continue
            (deferred if r.needs_negative else fired).append((r, s, e))
        if bang_runs and self._exclaim_rules:
            self._exclaim(text, agent, fired, deferred)
        return fired, deferred, scan

    def _exclaim(self, text: str, agent: bool, fired: list, deferred: list) -> None:
        for ri in self._exclaim_rules:
            r = self.rules[ri]
            if r.speaker == ("customer" if agent else "agent"):
                continue
            for m in _BANG_RUN.finditer(text):
                if len(m.group().replace(_FULL_BANG, "!")) >= r.exclaim:
                    (deferred if r.needs_negative else fired).append((r, m.start(), m.end()))
                    break
