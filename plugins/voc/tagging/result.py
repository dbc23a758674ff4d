"""Value types the tagger returns. Offsets are Python str offsets into the input text, end exclusive."""
from __future__ import annotations

from typing import NamedTuple


class PiiSpan(NamedTuple):
    type: str  # cn_resident_id | cn_mobile | bank_card | email
    start: int
    end: int


class Evidence(NamedTuple):
    code: str
    start: int
    end: int
    rule: str  # id of the rule that fired, e.g. "objection.refusal.not_needed#1"


class TagResult(NamedTuple):
    # NamedTuple rather than a dataclass: built once per utterance on the hot path, and cheap to pickle
    # across --processes workers.
    tags: list[str]
    sentiment: str
    sentiment_score: float
    emotion_intensity: float
    pii: list[PiiSpan]
    redacted_text: str
    evidence: list[Evidence]
    version: int
