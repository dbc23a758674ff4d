"""Tagger quality on the gold development set: per-tag precision/recall printed, thresholds asserted.

Run with -s to see the table. The gold set is a floor to keep, not a target to tune to: the rules are
keyword families and scopes, and test_unseen.py checks them on sentences written for these tests.
"""
from __future__ import annotations

from collections import Counter

MIN_MICRO_F1 = 0.90
MIN_FAMILY_F1 = 0.80
MIN_SENTIMENT_ACC = 0.85
MIN_PII_RECALL = 0.98


def prf(c: Counter) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def test_gold_quality(tagger, gold_rows):
    per_tag: dict[str, Counter] = {}
    per_family: dict[str, Counter] = {}
    total, pii = Counter(), Counter()
    sentiment_ok = 0
    for row in gold_rows:
        r = tagger.tag(row["text"], row["speaker"], row["channel"])
        gold, got = set(row["tags"]), set(r.tags)
        for kind, codes in (("tp", gold & got), ("fp", got - gold), ("fn", gold - got)):
            for code in codes:
                per_tag.setdefault(code, Counter())[kind] += 1
                per_family.setdefault(tagger.taxonomy.family(code), Counter())[kind] += 1
                total[kind] += 1
        sentiment_ok += r.sentiment == row["sentiment"]
        gold_pii = {(p["type"], p["start"], p["end"]) for p in row["pii"]}
        got_pii = {(p.type, p.start, p.end) for p in r.pii}
        pii["tp"] += len(gold_pii & got_pii)
        pii["fp"] += len(got_pii - gold_pii)
        pii["fn"] += len(gold_pii - got_pii)
        assert all(code in tagger.taxonomy.codes for code in r.tags)

    print(f"\n{'tag':48s} {'P':>5s} {'R':>5s} {'F1':>5s}  tp fp fn")
    for code in sorted(per_tag):
        p, rec, f = prf(per_tag[code])
        c = per_tag[code]
        print(f"{code:48s} {p:5.2f} {rec:5.2f} {f:5.2f}  {c['tp']:2d} {c['fp']:2d} {c['fn']:2d}")
    micro = prf(total)[2]
    print(f"\nmicro P/R/F1 = {prf(total)}")
    for fam in sorted(per_family):
        print(f"family {fam:12s} F1 = {prf(per_family[fam])[2]:.3f}")
    accuracy = sentiment_ok / len(gold_rows)
    pii_p, pii_r, _ = prf(pii)
    print(f"sentiment accuracy = {accuracy:.3f}; PII precision = {pii_p:.3f} recall = {pii_r:.3f}")

    assert micro >= MIN_MICRO_F1
    for fam, counts in per_family.items():
        assert prf(counts)[2] >= MIN_FAMILY_F1, fam
    assert accuracy >= MIN_SENTIMENT_ACC
    assert pii_p == 1.0
    assert pii_r >= MIN_PII_RECALL


def test_evidence_covers_every_tag(tagger, gold_rows):
    for row in gold_rows:
        r = tagger.tag(row["text"], row["speaker"], row["channel"])
        assert {e.code for e in r.evidence} == set(r.tags)
        for e in r.evidence:
            assert 0 <= e.start < e.end <= len(row["text"])
            assert e.rule
