"""The C engine and the pure-Python reference agree on every utterance: tags, evidence, sentiment, PII,
redaction and the `voc tag` JSON bytes. Inputs: the gold and held-out sets, plus random utterances made
of the rule set's own words, cue words, punctuation and PII-like numbers, so rule interactions,
negation/question/quote scopes and the PII detector's edge cases are all exercised."""
from __future__ import annotations

import json
import random
from pathlib import Path

import orjson
import pytest

from voc.tagging import Tagger, native
from voc.tagging.redact import luhn_ok

HELDOUT = [Path(__file__).parent / "data" / name for name in ("heldout_v1.jsonl", "heldout_v1_b.jsonl")]


@pytest.fixture(scope="module")
def engines():
    if native._compiler() is None:
        pytest.skip("no C compiler on this machine: only the reference path exists here")
    fast = Tagger.load(engine="native")  # a compiler is here, so the engine must build: no skip past this
    return fast


def _resident_id(rng: random.Random) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    body = (f"{rng.choice(['110101', '440304'])}{rng.randrange(1890, 2110)}{rng.randrange(0, 14):02d}"
            f"{rng.randrange(0, 32):02d}{rng.randrange(1000):03d}")
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def _card(rng: random.Random) -> str:
    prefix = rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(rng.randrange(14, 19)))
    number = rng.choice([prefix + d for d in "0123456789" if luhn_ok(prefix + d)])
    if rng.random() < 0.4:
        return rng.choice(" -").join(number[i:i + 4] for i in range(0, len(number), 4))
    return number


def _random_utterances(tagger: Tagger, n: int, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    words = sorted(tagger.rules.words)
    extra = ["，", "。", "？", "！", "!!", "！！！", "“", "”", '"', "'", " ", "\n", "\t", "\x00", "朋友说", "听说",
             "不", "没", "吗", "呵呵", "真“好用”", "😭", "ＡＰＰ", "１２３", "單號", "订单号：", "合同编号是",
             "+86 138 1234 5678", "0086-139-1234-5678", "138****5621", "尾号1234", "a.b_c@x-y.z1.com2", "x@y@z.cn"]
    makers = [lambda: rng.choice(words), lambda: rng.choice(extra), lambda: _resident_id(rng),
              lambda: _card(rng), lambda: "".join(rng.choice("0123456789 -") for _ in range(rng.randrange(1, 22)))]
    weights = [70, 20, 3, 3, 4]
    out = []
    for _ in range(n):
        parts = [rng.choices(makers, weights)[0]() for _ in range(rng.randrange(0, 9))]
        out.append(("".join(parts), rng.choice(["customer", "agent"])))
    return out


def _labelled(shared_gold: Path | None) -> list[tuple[str, str]]:
    rows = []
    for path in filter(None, (shared_gold, *HELDOUT)):
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                rows += [(r["text"], r["speaker"]) for r in map(json.loads, fh) if r]
    return rows


def test_native_and_reference_give_identical_results(engines):
    gold = Path(__file__).resolve().parents[2].parent / "shared" / "gold" / "dev_gold.jsonl"
    items = _labelled(gold) + _random_utterances(engines, 30_000)
    fast = list(engines.tag_many((text, speaker, None) for text, speaker in items))
    mismatches = [(text, speaker, f) for (text, speaker), f in zip(items, fast)
                  if f != engines.tag_reference(text, speaker)]
    assert not mismatches, f"{len(mismatches)} of {len(items)} differ, first: {mismatches[0]}"
    assert sum(bool(r.tags) for r in fast) > len(items) // 5  # the comparison covered real tagging
    assert sum(bool(r.pii) for r in fast) > 500


def test_voc_tag_lines_are_byte_identical(engines):
    items = _random_utterances(engines, 10_000, seed=5)
    batch = [(orjson.dumps(i if i % 3 else {"ref": [i, "x"]}), text, speaker == "agent")
             for i, (text, speaker) in enumerate(items)]
    fast = engines.tag_jsonl(batch)
    reference = [Tagger.jsonl_line(rid, engines.tag_reference(text, "agent" if agent else "customer"))
                 for rid, text, agent in batch]
    assert fast == reference
    assert all(orjson.loads(line)["id"] is not None for line in fast[1::3])


def test_engine_choice_and_fallback(monkeypatch, tmp_path):
    assert Tagger.load(engine="python").engine == "python"
    monkeypatch.setenv("VOC_TAGGER_ENGINE", "bogus")
    with pytest.raises(ValueError, match="VOC_TAGGER_ENGINE"):
        Tagger.load()
    monkeypatch.setenv("VOC_TAGGER_ENGINE", "auto")
    # no compiler and no library built yet for this source: auto falls back, native says why
    monkeypatch.setenv("CC", "/nonexistent/cc")
    monkeypatch.setattr(native, "_candidates", lambda: [tmp_path / "lib"])
    monkeypatch.setattr(native.shutil, "which", lambda name: None)
    native.library.cache_clear()
    try:
        assert Tagger.load().engine == "python"
        with pytest.raises(native.EngineUnavailable, match="no C compiler"):
            Tagger.load(engine="native")
    finally:
        native.library.cache_clear()


def test_an_edited_engine_gets_a_new_library(monkeypatch, tmp_path):
    name = native._library_name()
    edited = tmp_path / "engine.c"
    edited.write_bytes(native.SOURCE.read_bytes() + b"\n/* edited */\n")
    monkeypatch.setattr(native, "SOURCE", edited)
    assert native._library_name() != name  # a stale library is never loaded for changed source
