"""Utterance sentiment from the same automaton pass that tags it.

raw = lexicon weights (negated words flip and soften, intensified ones grow by half)
      + the polarity of the tags that fired (a complaint is negative whatever the words)
      - sarcasm (quoted praise “流畅”; markers 呵呵/🙄 turn praise into its opposite) and insults,
scaled up by exclamation marks, then squashed into [-1, 1]. Mild words alone stay neutral; mixed
utterances land near zero, which is what annotators call neutral (收益确实不低，就是波动太大了).
"""
from __future__ import annotations

from typing import NamedTuple

POSITIVE_AT = 1.0
NEGATIVE_AT = -1.0
LABELS = ("negative", "neutral", "positive")
NEGATIVE, NEUTRAL, POSITIVE = range(3)


class Scan(NamedTuple):
    """Everything sentiment scoring needs from the matcher's pass."""
    positive: float
    negative: float
    negative_words: int
    negations: int
    sarcasm: int
    quoted_positive: int
    insults: int
    bangs: int
    bang_runs: int


def rounded(x: float) -> float:
    """4 decimals, half to even on the binary value (the C engine does rint(x * 1e4) / 1e4, the same)."""
    return round(x * 10000.0) / 10000.0


def score(scan: Scan, tag_polarity: float, agent: bool = False) -> tuple[int, float, float]:
    """-> (label index into LABELS, score in [-1, 1], emotion intensity >= 0), unrounded.

    The C engine computes the same floating-point expressions in the same order; keep them in step."""
    positive, negative = scan.positive, scan.negative
    if scan.sarcasm:
        positive, negative = 0.0, negative - positive
    if agent:
        # An agent's negative words (风险/急用/取不出来) describe the customer's situation, not the
        # agent's own stance, so they count half.
        negative *= 0.5
    raw = positive + negative + tag_polarity - 1.5 * (scan.quoted_positive + scan.insults) - 1.2 * scan.sarcasm
    if scan.bangs:
        raw *= 1.0 + 0.15 * min(scan.bangs, 6)
    value = raw / (abs(raw) + 1.0)
    label = POSITIVE if raw >= POSITIVE_AT else NEGATIVE if raw <= NEGATIVE_AT else NEUTRAL
    intensity = (
        0.2 * min(scan.bangs, 10)
        + 0.5 * min(scan.bang_runs, 10)
        + 1.0 * scan.insults
        + 0.3 * scan.negative_words
        + 0.1 * scan.negations
        + 0.5 * (scan.sarcasm + scan.quoted_positive)
    )
    return label, value, intensity
