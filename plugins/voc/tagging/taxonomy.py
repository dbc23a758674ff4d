"""The versioned taxonomy: leaf codes, labels, speakers, implications and matching rules.

Versions live beside the code as plugins/voc/taxonomy/voc_taxonomy_v<N>.yaml, or in the folder named by
VOC_TAXONOMY_DIR (a deployment's own versions, without forking the package). The active one is
VOC_TAXONOMY_VERSION if set, else the highest N on disk, so shipping v2 is dropping in a file.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

TAXONOMY_DIR = Path(__file__).resolve().parent.parent / "taxonomy"
_FILE = re.compile(r"voc_taxonomy_v(\d+)\.yaml$")


def taxonomy_dir() -> Path:
    return Path(os.environ.get("VOC_TAXONOMY_DIR") or TAXONOMY_DIR)


def available_versions(directory: Path | None = None) -> list[int]:
    directory = directory or taxonomy_dir()
    return sorted(int(m.group(1)) for p in directory.glob("voc_taxonomy_v*.yaml") if (m := _FILE.search(p.name)))


def active_version(directory: Path | None = None) -> int:
    directory = directory or taxonomy_dir()
    env = os.environ.get("VOC_TAXONOMY_VERSION", "").strip()
    if env:
        if not env.isdigit():
            raise ValueError(f"VOC_TAXONOMY_VERSION must be an integer, got {env!r}")
        return int(env)
    versions = available_versions(directory)
    if not versions:
        raise FileNotFoundError(f"no voc_taxonomy_v*.yaml in {directory}")
    return versions[-1]


@dataclass(frozen=True)
class Leaf:
    code: str
    family: str
    label: str
    speaker: str  # customer | agent | any
    definition: str = ""
    dimension: str = ""  # family.dimension
    dimension_label: str = ""
    family_label: str = ""


@dataclass(frozen=True)
class Taxonomy:
    version: int
    leaves: dict[str, Leaf]
    rules: dict[str, list[dict[str, Any]]]
    implies: dict[str, list[str]]
    lexicon: dict[str, Any]
    polarity: dict[str, float]
    path: Path | None = field(default=None, compare=False)

    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(self.leaves)

    def family(self, code: str) -> str:
        return self.leaves[code].family

    def label(self, code: str) -> str:
        return self.leaves[code].label

    def speaker(self, code: str) -> str:
        return self.leaves[code].speaker

    def polarity_of(self, code: str) -> float:
        """Sentiment weight of a tag: the most specific of code, dimension or family prefix."""
        parts = code.split(".")
        for i in range(len(parts), 0, -1):
            key = ".".join(parts[:i])
            if key in self.polarity:
                return float(self.polarity[key])
        return 0.0

    @classmethod
    def load(cls, version: int | None = None, directory: Path | None = None) -> "Taxonomy":
        directory = directory or taxonomy_dir()
        version = active_version(directory) if version is None else version
        path = directory / f"voc_taxonomy_v{version}.yaml"
        if not path.exists():
            have = ", ".join(f"v{v}" for v in available_versions(directory)) or "none"
            raise FileNotFoundError(f"taxonomy version {version} not found: {path} (available: {have})")
        with path.open(encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when present
        taxonomy = cls.from_dict(doc, path)
        if taxonomy.version != version:
            raise ValueError(f"{path} says version: {taxonomy.version}; its file name says {version}")
        return taxonomy

    @classmethod
    def from_dict(cls, doc: dict[str, Any], path: Path | None = None) -> "Taxonomy":
        leaves: dict[str, Leaf] = {}
        for fam, fdoc in doc["families"].items():
            for dim, ddoc in fdoc["dimensions"].items():
                for val, vdoc in ddoc["values"].items():
                    code = f"{fam}.{dim}.{val}"
                    leaves[code] = Leaf(code, fam, vdoc["label"], vdoc.get("speaker", "any"), vdoc.get("def", ""),
                                        f"{fam}.{dim}", ddoc.get("label", ""), fdoc.get("label", ""))
        rules = doc.get("rules") or {}
        implies = doc.get("implies") or {}
        for code in list(rules) + list(implies) + [c for v in implies.values() for c in v]:
            if code not in leaves:
                raise ValueError(f"{path}: rule or implication for unknown code {code!r}")
        return cls(
            version=int(doc["version"]),
            leaves=leaves,
            rules=rules,
            implies=implies,
            lexicon=doc.get("lexicon") or {},
            polarity=doc.get("polarity") or {},
            path=path,
        )
