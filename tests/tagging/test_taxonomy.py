"""The shipped taxonomy: same codes/labels as the shared contract, every leaf has rules, versions load."""
from __future__ import annotations

import yaml

from voc.tagging.taxonomy import TAXONOMY_DIR, Taxonomy, active_version


def test_every_leaf_has_a_rule(tagger):
    tax = tagger.taxonomy
    assert len(tax.codes) == 107
    assert set(tax.rules) == set(tax.codes)
    assert tax.family("profile.funds.idle") == "profile"
    assert tax.label("objection.refusal.not_needed") == "不需要"


def test_matches_the_shared_contract(shared_taxonomy):
    shared = Taxonomy.from_dict(yaml.safe_load(shared_taxonomy.read_text(encoding="utf-8")))
    shipped = Taxonomy.load(1)
    assert shipped.version == shared.version
    assert {c: (l.label, l.speaker, l.family) for c, l in shipped.leaves.items()} == {
        c: (l.label, l.speaker, l.family) for c, l in shared.leaves.items()}


def test_version_selection(monkeypatch, tmp_path):
    monkeypatch.delenv("VOC_TAXONOMY_VERSION", raising=False)
    assert active_version() == max(int(p.stem.split("_v")[-1]) for p in TAXONOMY_DIR.glob("voc_taxonomy_v*.yaml"))
    (tmp_path / "voc_taxonomy_v1.yaml").write_text("x")
    (tmp_path / "voc_taxonomy_v7.yaml").write_text("x")
    assert active_version(tmp_path) == 7
    monkeypatch.setenv("VOC_TAXONOMY_VERSION", "1")
    assert active_version(tmp_path) == 1


def test_unknown_rule_code_is_rejected():
    doc = {"version": 9, "families": {"f": {"dimensions": {"d": {"values": {"v": {"label": "x"}}}}}},
           "rules": {"f.d.nope": [{"any": ["x"]}]}}
    try:
        Taxonomy.from_dict(doc)
    except ValueError as exc:
        assert "f.d.nope" in str(exc)
    else:
        raise AssertionError("expected ValueError")
