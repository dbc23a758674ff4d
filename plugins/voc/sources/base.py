"""What every source hands to the landing step."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class SourceError(RuntimeError):
    """A source that cannot be read; the message names the source and what is wrong."""


@dataclass
class Batch:
    """Rows for one raw table and one business date (``business_date`` is added by the landing step)."""

    table: str
    columns: Sequence[str]
    rows: Iterable[Sequence[object]]
