"""What every source hands to the landing step."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class SourceError(RuntimeError):
    """A source that cannot be read; the message names the source and what is wrong."""


@dataclass
class Batch:
    """Rows for one raw table over the run's business dates. Each row starts with its ``business_date``
    (the date it belongs to, decided by the source), followed by ``columns``."""

    table: str
    columns: Sequence[str]
    rows: Iterable[Sequence[object]]
