"""Fixtures for the tagger tests: the gold set and shared taxonomy when the shared folder exists."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

# ../shared beside the checkout holds the gold set; it is not shipped, so tests using it skip without it.
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
GOLD = SHARED / "gold" / "dev_gold.jsonl"


@pytest.fixture(scope="session")
def gold_rows() -> list[dict]:
    if not GOLD.exists():
        pytest.skip(f"gold set not found at {GOLD} (../shared sits beside the checkout in development only)")
    with GOLD.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def shared_taxonomy() -> Path:
    path = SHARED / "taxonomy" / "voc_taxonomy_v1.yaml"
    if not path.exists():
        pytest.skip(f"shared taxonomy not found at {path}")
    return path
