"""Score the tagger against a labelled JSON-lines set (the gold format): per-tag and per-family
precision/recall/F1, sentiment accuracy, PII span precision/recall, and the disagreements.

    python -m voc.tagging.evaluate ../shared/gold/dev_gold.jsonl [--errors]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


def prf(c: Counter) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    rows: int = 0
    per_tag: dict[str, Counter] = field(default_factory=dict)
    per_family: dict[str, Counter] = field(default_factory=dict)
    total: Counter = field(default_factory=Counter)
    pii: Counter = field(default_factory=Counter)
    sentiment_ok: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def micro(self) -> tuple[float, float, float]:
        return prf(self.total)

    @property
    def sentiment_accuracy(self) -> float:
        return self.sentiment_ok / self.rows if self.rows else 1.0

    def family_f1(self) -> dict[str, float]:
        return {fam: prf(c)[2] for fam, c in sorted(self.per_family.items())}

    def table(self) -> str:
        lines = [f"{'tag':48s} {'P':>5s} {'R':>5s} {'F1':>5s}  tp fp fn"]
        for code in sorted(self.per_tag):
            p, r, f = prf(self.per_tag[code])
            c = self.per_tag[code]
            lines.append(f"{code:48s} {p:5.2f} {r:5.2f} {f:5.2f}  {c['tp']:2d} {c['fp']:2d} {c['fn']:2d}")
        p, r, f = self.micro
        lines.append(f"\nmicro P/R/F1 = {p:.3f} / {r:.3f} / {f:.3f} over {self.rows} utterances")
        lines += [f"family {fam:12s} F1 = {f1:.3f}" for fam, f1 in self.family_f1().items()]
        pp, pr, _ = prf(self.pii)
        lines.append(f"sentiment accuracy = {self.sentiment_accuracy:.3f}; PII precision = {pp:.3f} recall = {pr:.3f}")
        return "\n".join(lines)


def evaluate(tagger, rows: list[dict]) -> Report:
    rep = Report()
    for row in rows:
        rep.rows += 1
        r = tagger.tag(row["text"], row.get("speaker") or "customer", row.get("channel"))
        gold, got = set(row["tags"]), set(r.tags)
        for kind, codes in (("tp", gold & got), ("fp", got - gold), ("fn", gold - got)):
            for code in codes:
                rep.per_tag.setdefault(code, Counter())[kind] += 1
                rep.per_family.setdefault(code.split(".", 1)[0], Counter())[kind] += 1
                rep.total[kind] += 1
        if gold != got:
            rep.errors.append(f"{row.get('id')} [{row.get('speaker')}] {row['text']}\n"
                              f"    missing {sorted(gold - got)}  extra {sorted(got - gold)}")
        if r.sentiment == row["sentiment"]:
            rep.sentiment_ok += 1
        else:
            rep.errors.append(f"{row.get('id')} sentiment {r.sentiment} ({r.sentiment_score}) != {row['sentiment']}: "
                              f"{row['text']}")
        gold_pii = {(p["type"], p["start"], p["end"]) for p in row.get("pii", [])}
        got_pii = {(p.type, p.start, p.end) for p in r.pii}
        rep.pii["tp"] += len(gold_pii & got_pii)
        rep.pii["fp"] += len(got_pii - gold_pii)
        rep.pii["fn"] += len(gold_pii - got_pii)
        if gold_pii != got_pii:
            rep.errors.append(f"{row.get('id')} pii {sorted(got_pii)} != {sorted(gold_pii)}: {row['text']}")
    return rep


def load_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="score the tagger against a labelled JSON-lines set")
    ap.add_argument("path", type=Path)
    ap.add_argument("--errors", action="store_true", help="also list every disagreement")
    args = ap.parse_args(argv)
    from .tagger import Tagger

    rep = evaluate(Tagger.load(), load_rows(args.path))
    print(rep.table())
    if args.errors:
        print("\n" + "\n".join(rep.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
