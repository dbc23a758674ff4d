"""Reading a SQL source over SQLAlchemy, streamed so memory stays flat whatever the day's volume."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import sqlalchemy as sa

from voc.sources.base import SourceError


def engine_for(url: str) -> sa.Engine:
    return sa.create_engine(url, pool_pre_ping=True)


def stream_query(engine: sa.Engine, query: str, params: Mapping[str, object], batch: int = 10_000) -> Iterator[tuple]:
    """Yield the rows of ``query`` as tuples, fetched ``batch`` at a time with a server-side cursor."""
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch).execute(sa.text(query), params)
            for row in result:
                yield tuple(row)
    except sa.exc.SQLAlchemyError as exc:
        raise SourceError(f"query on {engine.url.render_as_string(hide_password=True)} failed: {exc}") from exc
