"""Rule compilation: the taxonomy's rules and cue lexicon -> one dictionary of words with roles.

Both matchers (the pure-Python reference in match.py and the C engine in native/) read the text
leftmost-longest against this dictionary, like dictionary max-match segmentation: a word inside a
longer dictionary word is not seen (看不懂 hides 不懂, 非常 hides 非, 什么 hides 么), which is how `except`
words and the negation/question exemptions work without any post-filtering. To keep overlapping
vocabularies independent, a long word inherits the roles of its own max-match segmentation: 说了不需要还打
still carries 不需要's refusal, 产品太少 still counts as negative, and an except word hides only its own
rule's trigger (保本型 is no promise, but still a customer's 保本 preference). Not inherited: a trigger
whose rule lists the long word under `except`, or that a negation earlier in the long word negates
(不专业 ≠ 专业); and nothing by the negation/question exemptions, which exist to hide the cue inside.

A word's roles:
  TRIG     a rule trigger (rule index, offset of the trigger inside the word, its length)
  BREAK    clause / sentence / question end;  QUOTE  toggle / open / close
  NEG      a negation cue: plain (不 没 无) or prohibitive (别 不要 甭: "don't"), see below
  QCUE TAGQ  question and tag-question cues;  SENT  a sentiment weight
  INTENS SARC INSULT  intensifier, sarcasm marker, insult
Each trigger is then checked against cheap scopes (see match.py):
  speaker    leaf speaker; resolved here (one role list per speaker)
  question   block (statements only; default), require (question clauses only), any
  negation   a negation cue ending at most NEG_WINDOW chars before the trigger, same clause, blocks it;
             a prohibitive one does not block a negative tag (别再天天打电话 still dislikes the calls)
  quoted     words inside quotes are someone else's (or sarcasm) and are blocked by default
  reported   after 朋友说/听说… in the same clause the speaker asserts nothing (blocked by default)
  with*/without*  word groups that must (not) occur in the clause / sentence / utterance
Word groups and reported-speech markers are plain substring tests (any occurrence inside the scope),
kept apart from the max-match dictionary.

All offsets and windows are in characters of the normalised text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .patterns import expand_all
from .taxonomy import Taxonomy

PLAIN, PROHIBITIVE = 0, 1  # NEG kinds
NEG_WINDOW = 4  # chars between a negation cue and the word it negates: 不想要保本 (不…保本 = 2)
SENT_NEG_WINDOW = 3
INTENS_WINDOW = 2
TAGQ_WINDOW = 1  # 是真的吗 at most this far into a clause turns the clause before it into the question

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
SPEAKER_SIDES = {"customer": (True, False), "agent": (False, True), "any": (True, True)}


@dataclass(slots=True)
class Rule:
    id: str
    code: str
    speaker: str
    question: int
    negation: int
    quoted: int
    reported: int
    conds: tuple[tuple[int, int, bool], ...]  # (group index, scope, must be present)
    needs_negative: bool
    negative: bool  # the leaf's polarity is negative: a prohibition (别…) does not negate it
    exclaim: int  # >0: fires on a run of that many exclamation marks instead of words


class RuleSet:
    """Everything both matchers need, compiled once per taxonomy version."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        lex = taxonomy.lexicon
        self._aliases: dict[str, list[str]] = lex.get("aliases", {})
        # word -> (customer roles, agent roles); a word with no roles only reserves its span
        self.words: dict[str, tuple[list[tuple], list[tuple]]] = {}
        self.rules: list[Rule] = []
        self.groups: list[tuple[str, ...]] = []
        self._group_index: dict[tuple[str, ...], int] = {}
        self.keywords: set[str] = set()  # all rule words, for the emerging-topic filter
        self.exclaim_rules: list[int] = []
        self._except: dict[int, set[str]] = {}  # rule index -> words that hide its triggers
        self._except_words: set[str] = set()  # they hide only their own rule's triggers
        self.reported = tuple(sorted(self._words(lex["reported"]), key=len, reverse=True))
        self._compile_lexicon(lex)
        for code, specs in taxonomy.rules.items():
            for i, spec in enumerate(specs, 1):
                self._compile_rule(code, i, spec)
        self._inherit()
        self._inherit_into_except_words()
        self.codes = sorted(taxonomy.codes)
        self.code_index = {c: i for i, c in enumerate(self.codes)}
        self.implies = {k: tuple(v) for k, v in taxonomy.implies.items()}
        # a tag's sentiment weight includes the tags it implies (fee_high carries value_doubt)
        self.polarity = {
            code: taxonomy.polarity_of(code) + sum(taxonomy.polarity_of(i) for i in self.implies.get(code, ()))
            for code in taxonomy.codes
        }
        # what evidence says fired it: a rule's id, or "<id>=><implied code>" for the tags it implies;
        # rule i is name i, its implied names start at implied_name[i]
        self.evidence_names = [r.id for r in self.rules]
        self.implied_name: list[int] = []
        for r in self.rules:
            self.implied_name.append(len(self.evidence_names))
            self.evidence_names.extend(f"{r.id}=>{c}" for c in self.implies.get(r.code, ()))

    # -- compilation -------------------------------------------------------------------------
    def _add(self, words: list[str], role: tuple | None, customer: bool = True, agent: bool = True) -> None:
        """Register words; role None only reserves the word so it hides the words inside it."""
        for w in words:
            cust, ag = self.words.setdefault(w, ([], []))
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
        self._add(self._words(lex["negation"]), (NEG, PLAIN))
        self._add(self._words(lex.get("prohibition", [])), (NEG, PROHIBITIVE))
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

    def _group(self, patterns: list[str]) -> int:
        words = tuple(sorted(set(self._words(patterns)), key=lambda w: (-len(w), w)))
        gi = self._group_index.get(words)
        if gi is None:
            gi = self._group_index[words] = len(self.groups)
            self.groups.append(words)
            self.keywords.update(words)
        return gi

    def _compile_rule(self, code: str, index: int, spec: dict[str, Any]) -> None:
        unknown = set(spec) - _RULE_KEYS
        if unknown:
            raise ValueError(f"taxonomy v{self.taxonomy.version} rule {code}#{index}: unknown keys {sorted(unknown)}")
        is_question = code.startswith("feedback.question.")
        conds = []
        for key, scope, need in _SCOPES:
            value = spec.get(key)
            if value:
                groups = value if isinstance(value[0], list) else [value]  # a flat list is one group
                conds.extend((self._group(g), scope, need) for g in groups)
        modes = {}
        # a question keeps its topic whatever negation it contains (这个是不是不保本的？ asks about risk)
        for key, default in (("question", "any" if is_question else "block"),
                             ("negation", "ignore" if is_question else "block"),
                             ("quoted", "block"), ("reported", "allow" if is_question else "block")):
            value = spec.get(key, default)
            if value not in _MODES:
                raise ValueError(f"taxonomy v{self.taxonomy.version} rule {code}#{index}: {key} must be one of "
                                 f"{sorted(_MODES)}, got {value!r}")
            modes[key] = _MODES[value]
        rule = Rule(
            id=spec.get("id", f"{code}#{index}"),
            code=code,
            speaker=self.taxonomy.speaker(code),
            conds=tuple(conds),
            needs_negative=spec.get("sentiment") == "negative",
            negative=self.taxonomy.polarity_of(code) < 0,
            exclaim=int(spec.get("exclaim", 0)),
            **modes,
        )
        ri = len(self.rules)
        self.rules.append(rule)
        if rule.exclaim:
            self.exclaim_rules.append(ri)
        if spec.get("except"):
            words = self._words(spec["except"])
            self._except[ri] = set(words)
            self._except_words.update(words)
            self._add(words, None)
        if spec.get("any"):
            customer, agent = SPEAKER_SIDES[rule.speaker]
            words = self._words(spec["any"])
            self.keywords.update(words)
            for w in words:
                self._add([w], (TRIG, (ri, 0, len(w))), customer=customer, agent=agent)

    def _inherit(self) -> None:
        """Give each word the roles of its own max-match segmentation (see the module doc)."""
        roles = self.words
        longest: dict[str, int] = {}  # per first character, the longest word starting with it
        for w in roles:
            if len(w) > longest.get(w[0], 0):
                longest[w[0]] = len(w)
        updates: dict[str, tuple[list, list]] = {}
        for word, (cust, ag) in roles.items():
            if len(word) < 2 or not (cust or ag):
                continue  # role-less words are exemptions/except words: see _inherit_into_except_words
            add_c: list[tuple] = []
            add_a: list[tuple] = []
            i = 0
            neg_at = -99  # char offset just after the last negation seen inside the word
            prohibitive = False
            quoted = False  # inside a quote opened within the word (真“好用”)
            while i < len(word):
                for size in range(min(longest.get(word[i], 0), len(word) - i, len(word) - 1), 0, -1):
                    sub = word[i:i + size]
                    if sub in roles:
                        break
                else:
                    i += 1
                    continue
                sub_c, sub_a = roles[sub]
                for src, dst, own in ((sub_c, add_c, cust), (sub_a, add_a, ag)):
                    for kind, arg in src:
                        if kind == NEG:
                            neg_at, prohibitive = i + len(sub), arg == PROHIBITIVE
                        elif kind == QUOTE and src is sub_c:
                            quoted = (not quoted) if arg == Q_TOGGLE else arg == Q_OPEN
                        if kind not in _INHERITED:
                            continue
                        if kind == TRIG:
                            ri = arg[0]
                            rule = self.rules[ri]
                            if word in self._except.get(ri, ()) or any(k == TRIG and a[0] == ri for k, a in own):
                                continue
                            if (rule.negation == BLOCK and i - NEG_WINDOW <= neg_at <= i
                                    and not (prohibitive and rule.negative)):
                                continue
                            if quoted and rule.quoted == BLOCK:
                                continue
                            role = (TRIG, (ri, i + arg[1], arg[2]))
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

    def _inherit_into_except_words(self) -> None:
        """An except word hides only its own rule's triggers: it takes every other trigger found anywhere
        inside it (多久到账 is no term question, but still asks about redemption; 又打不开 is no complaint
        about calls, but still about the app). Exemptions (不错, 什么的) stay inert."""
        roles = self.words
        for word in self._except_words:
            if roles[word][0] or roles[word][1]:
                continue  # also a word in its own right: _inherit gave it its segmentation's roles
            for side in (0, 1):
                dst = roles[word][side]
                for i in range(len(word)):
                    for j in range(i + 1, len(word) + (i > 0)):
                        sub = roles.get(word[i:j])
                        if sub is None:
                            continue
                        for kind, arg in sub[side]:
                            if kind != TRIG:
                                continue
                            ri, off, size = arg
                            if word in self._except.get(ri, ()) or self._negated_inside(word, i + off, ri, side):
                                continue
                            role = (TRIG, (ri, i + off, size))
                            if role not in dst:
                                dst.append(role)

    def _negated_inside(self, word: str, pos: int, ri: int, side: int) -> bool:
        """A negation cue inside `word` ending within NEG_WINDOW before `pos` that blocks rule ri."""
        rule = self.rules[ri]
        if rule.negation != BLOCK:
            return False
        for e in range(max(0, pos - NEG_WINDOW), pos + 1):
            for s0 in range(e):
                for kind, arg in self.words.get(word[s0:e], ((), ()))[side]:
                    if kind == NEG and not (arg == PROHIBITIVE and rule.negative):
                        return True
        return False

    # -- read-only views both matchers use ----------------------------------------------------
    def group_regex(self, gi: int) -> re.Pattern[str]:
        """A word group as one alternation, longest first (searched over a scope of the text)."""
        return re.compile("|".join(map(re.escape, self.groups[gi])))

