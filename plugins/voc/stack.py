"""The stack a command runs against: the warehouse and the (demo) source systems.

``VOC_WAREHOUSE_URL`` names an existing Postgres to use as the warehouse; without it the embedded one is
started. The demo source systems live as sibling databases on the same server (``<warehouse db>_crm`` …),
and the survey exports in ``$VOC_LANDING_DIR/survey``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from voc.config import landing_dir
from voc.warehouse import embedded
from voc.warehouse.databases import ensure_database
from voc.warehouse.dsn import Dsn

SQL_SOURCE_NAMES = ("crm", "ticketing", "corebank")


@dataclass(frozen=True)
class Stack:
    warehouse: Dsn
    sources: dict[str, Dsn]
    survey_dir: Path
    embedded: bool


def warehouse_dsn() -> tuple[Dsn, bool]:
    """The warehouse in use, starting the embedded one if no URL is configured; (dsn, is_embedded)."""
    url = os.environ.get("VOC_WAREHOUSE_URL")
    if url:
        return Dsn.from_url(url), False
    return embedded.start(), True


def resolve(create: bool = True) -> Stack:
    """Find (and with ``create``, make) the warehouse and the source-system databases."""
    wh, is_embedded = warehouse_dsn()
    sources = {name: wh.with_db(f"{wh.dbname}_{name}") for name in SQL_SOURCE_NAMES}
    if create:
        admin = wh.with_db("postgres")
        for dsn in (wh, *sources.values()):
            ensure_database(admin, dsn.dbname)
    survey_dir = landing_dir() / "survey"
    survey_dir.mkdir(parents=True, exist_ok=True)
    return Stack(warehouse=wh, sources=sources, survey_dir=survey_dir, embedded=is_embedded)
