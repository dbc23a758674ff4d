"""Tagger: normalise -> one automaton pass -> rules, sentiment, PII -> TagResult."""
from __future__ import annotations

from typing import Iterable, Iterator

from .normalize import normalize, warm_up
from .redact import apply as apply_redaction, pii_spans
from .result import Evidence, TagResult
from .rules import Matcher, to_bytes_str
from .sentiment import score
from .taxonomy import Taxonomy

SPEAKERS = ("customer", "agent")


class Tagger:
    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.version = taxonomy.version
        self.matcher = Matcher(taxonomy)
        self._implies = {k: tuple(v) for k, v in taxonomy.implies.items()}
        # a tag's sentiment weight includes the tags it implies (fee_high carries value_doubt)
        self._polarity = {
            code: taxonomy.polarity_of(code) + sum(taxonomy.polarity_of(i) for i in self._implies.get(code, ()))
            for code in taxonomy.codes
        }
        warm_up()

    @classmethod
    def load(cls, version: int | None = None) -> "Tagger":
        return cls(Taxonomy.load(version))

    def tag(self, text: str, speaker: str = "customer", channel: str | None = None) -> TagResult:
        # channel is accepted for the API's sake: no v1 rule depends on it (a ticket is not a complaint).
        if speaker == "customer":
            agent = False
        elif speaker == "agent":
            agent = True
        else:
            raise ValueError(f"speaker must be customer or agent, got {speaker!r}")
        norm = normalize(text)
        ntext = norm.text
        ascii_only = ntext.isascii()
        fired, deferred, scan = self.matcher.match(ntext if ascii_only else to_bytes_str(ntext), agent, ntext)
        if fired:
            polarity = self._polarity
            label, value, intensity = score(scan, sum([polarity[c] for c in {r.code for r, _, _ in fired}]), agent)
        else:
            label, value, intensity = score(scan, 0.0, agent)
        if deferred and label == "negative":
            fired += deferred
        spans = pii_spans(text, norm)
        redacted = apply_redaction(text, spans) if spans else text
        if not fired:
            return TagResult([], label, value, intensity, spans, redacted, [], self.version)
        codes, evidence = self._evidence(fired, ntext, ascii_only, norm)
        return TagResult(codes, label, value, intensity, spans, redacted, evidence, self.version)

    def _evidence(self, fired: list, ntext: str, ascii_only: bool, norm) -> tuple[list[str], list[Evidence]]:
        """Evidence spans in input offsets (bytes -> normalised chars -> input chars), plus implied tags."""
        raw = ntext.encode("utf-8") if not ascii_only else b""
        seen: dict[tuple[str, int, int], str] = {}
        for rule, s, e in fired:
            if raw:
                s, e = len(raw[:s].decode("utf-8")), len(raw[:e].decode("utf-8"))
            if norm.offmap is not None:
                s, e = norm.span(s, e)
            key = (rule.code, s, e)
            if key not in seen:
                seen[key] = rule.id
                for implied in self._implies.get(rule.code, ()):
                    seen.setdefault((implied, s, e), f"{rule.id}=>{implied}")
        evidence = [Evidence(code, s, e, rule) for (code, s, e), rule in seen.items()]
        if len(evidence) > 1:
            evidence.sort(key=_by_position)
        return sorted({ev.code for ev in evidence}), evidence

    def tag_many(self, items: Iterable[tuple[str, str, str | None]]) -> Iterator[TagResult]:
        """Stream: one result per (text, speaker, channel), in order, nothing held back."""
        tag = self.tag
        for text, speaker, channel in items:
            yield tag(text, speaker, channel)


def _by_position(ev: Evidence) -> tuple[int, int, str]:
    return ev.start, ev.end, ev.code
