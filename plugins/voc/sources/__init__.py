"""Source systems: each module extracts one system's entities for one business day.

A source returns ``Batch`` objects (a raw table, its columns and a row iterator); the landing step writes
them to ``raw`` in one transaction. Connections and folders come from Airflow connections and variables.
"""

from voc.sources.base import Batch, SourceError

__all__ = ["Batch", "SourceError"]
