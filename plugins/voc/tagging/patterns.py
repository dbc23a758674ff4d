"""Pattern shorthand for rule keywords: `{a|b|$alias}` alternatives expand to every combination.

    "{老公|老婆|$family}管"  ->  老公管, 老婆管, 妈妈管, ...

Keeping synonyms as alternatives (instead of listing sentences) is what lets the rules generalise.
"""
from __future__ import annotations

import itertools
import re

_GROUP = re.compile(r"\{([^{}]*)\}")


def expand(pattern: str, aliases: dict[str, list[str]]) -> list[str]:
    if pattern.startswith("$") and "{" not in pattern:
        return _alias(pattern[1:], aliases)
    pieces: list[list[str]] = []
    pos = 0
    for m in _GROUP.finditer(pattern):
        pieces.append([pattern[pos:m.start()]])
        alts: list[str] = []
        for alt in m.group(1).split("|"):
            alts.extend(_alias(alt[1:], aliases) if alt.startswith("$") else [alt])
        pieces.append(alts)
        pos = m.end()
    pieces.append([pattern[pos:]])
    return ["".join(p) for p in itertools.product(*pieces)]


def expand_all(patterns: list[str], aliases: dict[str, list[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for p in patterns:
        for word in expand(str(p), aliases):
            if word:
                seen[word] = None
    return list(seen)


def _alias(name: str, aliases: dict[str, list[str]]) -> list[str]:
    if name not in aliases:
        raise KeyError(f"unknown alias ${name}")
    return expand_all(aliases[name], aliases)
