"""Survey: NPS / CSAT / CES responses with comments, delivered as CSV export files in a landing folder.

The export system writes ``responses_YYYYMMDD.csv`` per Asia/Shanghai day. A response belongs to the business
date of its ``submitted_at``, found in that date's file or a neighbouring day's, because exports are cut on
the exporter's clock, not ours. A row that cannot be read stops the load with its file and line, so nothing is
dropped silently.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from voc.business_date import BusinessDates, business_date_of
from voc.sources.base import Batch, SourceError
from voc.sources.redaction import redact_text

COLUMNS = ("response_id", "customer_id", "survey_type", "score", "comment", "channel", "submitted_at")
SCORE_RANGE = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


NEIGHBOUR = timedelta(days=1)  # how far from a response's business date its export file may be dated


def files_for(landing: Path, dates: BusinessDates) -> list[tuple[date, Path]]:
    """The export files that may hold responses of ``dates``, oldest first, with the day each is for."""
    days = BusinessDates(dates.first - NEIGHBOUR, dates.last + NEIGHBOUR)
    return [(d, p) for d in days if (p := landing / f"responses_{d:%Y%m%d}.csv").exists()]


def extract(landing: Path, dates: BusinessDates) -> list[Batch]:
    if not landing.is_dir():
        raise SourceError(f"survey landing folder {landing} does not exist (Airflow variable voc_survey_landing_dir)")
    return [
        Batch(
            "raw.survey_responses",
            ("response_id", "customer_id", "survey_type", "score", "comment", "pii_count", "channel",
             "submitted_at", "source_file"),
            _rows(files_for(landing, dates), dates),
        )
    ]


def _rows(files: list[tuple[date, Path]], dates: BusinessDates) -> Iterator[tuple]:
    """Each response once per business date, from the first file (oldest first) near that date holding it."""
    seen: set[tuple[date, str]] = set()
    for file_day, path in files:
        for line_no, rec in _read(path):
            row = _parse(rec, path, line_no)
            day = business_date_of(row[-1])
            if day not in dates or abs(file_day - day) > NEIGHBOUR or (day, row[0]) in seen:
                continue
            seen.add((day, row[0]))
            response_id, customer_id, survey_type, score, comment, channel, submitted_at = row
            comment, pii_count = redact_text(comment)
            yield (day, response_id, customer_id, survey_type, score, comment, pii_count, channel, submitted_at,
                   path.name)


def _read(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise SourceError(f"{path}: missing column(s) {', '.join(missing)}")
            for rec in reader:
                yield reader.line_num, rec
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 ({exc})") from exc


def _parse(rec: dict[str, str], path: Path, line_no: int) -> tuple:
    where = f"{path.name} line {line_no}"
    if not rec.get("response_id"):
        raise SourceError(f"{where}: empty response_id")
    survey_type = rec["survey_type"].strip().lower()
    if survey_type not in SCORE_RANGE:
        raise SourceError(f"{where}: unknown survey_type {rec['survey_type']!r} (expected nps, csat or ces)")
    try:
        score = int(rec["score"])
    except ValueError as exc:
        raise SourceError(f"{where}: score {rec['score']!r} is not an integer") from exc
    low, high = SCORE_RANGE[survey_type]
    if not low <= score <= high:
        raise SourceError(f"{where}: {survey_type} score {score} outside {low}..{high}")
    try:
        submitted_at = datetime.fromisoformat(rec["submitted_at"])
    except ValueError as exc:
        raise SourceError(f"{where}: submitted_at {rec['submitted_at']!r} is not ISO 8601") from exc
    if submitted_at.tzinfo is None:
        raise SourceError(f"{where}: submitted_at {rec['submitted_at']!r} has no UTC offset")
    return (
        rec["response_id"], rec["customer_id"], survey_type, score,
        rec.get("comment") or "", rec.get("channel") or "unknown", submitted_at,
    )
