"""Which source systems exist and how each is reached from Airflow configuration.

SQL sources are Airflow connections (``voc_crm``, ``voc_ticketing``, ``voc_corebank``); the survey export
folder is the Airflow variable ``voc_survey_landing_dir`` (default: ``$VOC_LANDING_DIR/survey``).
"""

from __future__ import annotations

from pathlib import Path

from voc.business_date import BusinessDates
from voc.config import landing_dir
from voc.sources import corebank, crm, survey, ticketing
from voc.sources.base import Batch, SourceError

SQL_SOURCES = {"crm": crm, "ticketing": ticketing, "corebank": corebank}
SOURCES = (*SQL_SOURCES, "survey")


def connection_id(source: str) -> str:
    return f"voc_{source}"


def extract(source: str, dates: BusinessDates) -> list[Batch]:
    """Open the configured source and return its batches for ``dates`` (rows stream lazily)."""
    if source in SQL_SOURCES:
        from voc.sources.sql import engine_for
        from voc.warehouse.dsn import Dsn

        url = Dsn.from_airflow(connection_id(source)).sqlalchemy_url()
        return SQL_SOURCES[source].extract(engine_for(url), dates)
    if source == "survey":
        return survey.extract(survey_landing_dir(), dates)
    raise SourceError(f"unknown source {source!r}; known sources: {', '.join(SOURCES)}")


def survey_landing_dir() -> Path:
    from airflow.sdk import Variable

    return Path(Variable.get("voc_survey_landing_dir", default=str(landing_dir() / "survey")))
