"""Tagger: normalise -> one dictionary pass -> rules, sentiment -> PII -> TagResult.

Two engines compute the same thing: the C engine (native/) for speed, in batches, and the pure-Python
reference (match.py), which specifies it and runs where no C compiler was found. PII detection is
specified by redact.py's patterns; the engine implements the same detector. Redaction itself is Python.
"""
from __future__ import annotations

import gc
import logging
from functools import cached_property
from itertools import islice
from typing import Iterable, Iterator

import orjson

from . import native
from .match import Reference
from .normalize import normalize, warm_up
from .redact import apply as apply_redaction, pii_spans
from .result import Evidence, TagResult
from .rules import RuleSet
from .sentiment import LABELS, rounded
from .taxonomy import Taxonomy

log = logging.getLogger(__name__)

SPEAKERS = ("customer", "agent")
BATCH = 2048
_AGENT = {"customer": 0, "agent": 1}


def _agent_flags(speakers: list[str]) -> bytes:
    """1 per agent, 0 per customer; anything else is an error naming the value."""
    try:
        return bytes(map(_AGENT.__getitem__, speakers))
    except (KeyError, TypeError):
        bad = next(s for s in speakers if not isinstance(s, str) or s not in _AGENT)
        raise ValueError(f"speaker must be customer or agent, got {bad!r}") from None


class Tagger:
    """engine: "native", "python", or None for VOC_TAGGER_ENGINE (default auto: native when it builds)."""

    def __init__(self, taxonomy: Taxonomy, engine: str | None = None):
        self.taxonomy = taxonomy
        self.version = taxonomy.version
        self.rules = RuleSet(taxonomy)
        warm_up()
        choice = engine or native.wanted()
        self.native: native.NativeEngine | None = None
        if choice != "python":
            try:
                self.native = native.NativeEngine(self.rules)
            except native.EngineUnavailable as exc:
                if choice == "native":
                    raise
                log.warning("voc tagger: C engine unavailable (%s); using the pure-Python reference path", exc)
        self.engine = "native" if self.native else "python"
        self._codes = self.rules.codes

    @cached_property
    def reference(self) -> Reference:
        """The pure-Python matcher (built on first use: the fast path never needs it)."""
        return Reference(self.rules)

    @classmethod
    def load(cls, version: int | None = None, engine: str | None = None) -> "Tagger":
        return cls(Taxonomy.load(version), engine)

    @property
    def keywords(self) -> frozenset[str]:
        """Every word a rule matches on (topics the taxonomy already covers)."""
        return frozenset(self.rules.keywords)

    # -- public API --------------------------------------------------------------------------
    def tag(self, text: str, speaker: str = "customer", channel: str | None = None) -> TagResult:
        # channel is accepted for the API's sake: no v1 rule depends on it (a ticket is not a complaint).
        return next(self.tag_many([(text, speaker, channel)]))

    def tag_many(self, items: Iterable[tuple[str, str, str | None]]) -> Iterator[TagResult]:
        """Stream: one result per (text, speaker, channel), in order; at most BATCH held at a time."""
        it = iter(items)
        while batch := list(islice(it, BATCH)):
            yield from self._results([item[0] for item in batch], _agent_flags([item[1] for item in batch]))

    def tag_jsonl(self, items: list[tuple[bytes, str, int]]) -> list[bytes]:
        """`voc tag` output lines for (id as JSON, text, agent 0/1): what jsonl.py writes, newline included."""
        if self.native is not None:
            return self.native.tag_jsonl([t for _, t, _ in items], bytes(a for _, _, a in items),
                                         [i for i, _, _ in items])
        return [self.jsonl_line(rid, self._reference_result(text, bool(agent))) for rid, text, agent in items]

    @staticmethod
    def jsonl_line(rid: bytes, r: TagResult) -> bytes:
        """The reference form of a `voc tag` output line (the C engine writes the same bytes)."""
        body = orjson.dumps({
            "tags": r.tags,
            "sentiment": r.sentiment,
            "pii": [{"type": p.type, "start": p.start, "end": p.end} for p in r.pii],
            "redacted_text": r.redacted_text,
            "evidence": [{"code": e.code, "start": e.start, "end": e.end, "rule": e.rule} for e in r.evidence],
        })
        return b'{"id":' + rid + b"," + body[1:] + b"\n"  # id first, whatever JSON value it is

    def tag_reference(self, text: str, speaker: str = "customer") -> TagResult:
        """The pure-Python path, whatever the engine (for comparing the two)."""
        return self._reference_result(text, bool(_agent_flags([speaker])[0]))

    # -- internals ---------------------------------------------------------------------------
    def _results(self, texts: list[str], agents: bytes) -> Iterator[TagResult]:
        if self.native is None:
            for text, agent in zip(texts, agents):
                yield self._reference_result(text, bool(agent))
            return
        # The engine builds the TagResult tuples itself. They hold no reference cycles, so the cyclic GC is
        # paused meanwhile (it would otherwise rescan the young objects again and again).
        paused = gc.isenabled()
        gc.disable()
        try:
            results = self.native.tag_objects(texts, agents)
        finally:
            if paused:
                gc.enable()
        yield from results

    def _reference_result(self, text: str, agent: bool) -> TagResult:
        norm = normalize(text)
        label, value, intensity, ev = self.reference.analyse(norm, agent)
        pii = pii_spans(text, norm)
        redacted = apply_redaction(text, pii) if pii else text
        codes, names = self._codes, self.rules.evidence_names
        evidence = [Evidence(codes[c], s, e, names[name]) for c, s, e, name in ev]
        tags = [codes[c] for c in sorted({item[0] for item in ev})]
        return TagResult(tags, LABELS[label], rounded(value), rounded(intensity), pii, redacted, evidence,
                         self.version)

