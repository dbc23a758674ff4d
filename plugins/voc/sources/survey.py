"""Survey: NPS / CSAT / CES responses with comments, delivered as CSV export files in a landing folder.

The export system writes ``responses_YYYYMMDD.csv`` per Asia/Shanghai day. A response belongs to the business
day of its ``submitted_at``; the neighbouring days' files are read too because exports are cut on the
exporter's clock, not ours. A row that cannot be read stops the load with its file and line, so nothing is
dropped silently.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from voc.business_date import BusinessDay
from voc.sources.base import Batch, SourceError
from voc.sources.redaction import redact_text

COLUMNS = ("response_id", "customer_id", "survey_type", "score", "comment", "channel", "submitted_at")
SCORE_RANGE = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


def files_for(landing: Path, day: BusinessDay) -> list[Path]:
    days = (day.day - timedelta(days=1), day.day, day.day + timedelta(days=1))
    return [p for d in days if (p := landing / f"responses_{d:%Y%m%d}.csv").exists()]


def extract(landing: Path, day: BusinessDay) -> list[Batch]:
    if not landing.is_dir():
        raise SourceError(f"survey landing folder {landing} does not exist (Airflow variable voc_survey_landing_dir)")
    return [
        Batch(
            "raw.survey_responses",
            ("response_id", "customer_id", "survey_type", "score", "comment", "pii_count", "channel",
             "submitted_at", "source_file"),
            _rows(files_for(landing, day), day),
        )
    ]


def _rows(files: list[Path], day: BusinessDay) -> Iterator[tuple]:
    seen: set[str] = set()
    for path in files:
        for line_no, rec in _read(path):
            row = _parse(rec, path, line_no)
            if not day.contains(row[-1]) or row[0] in seen:
                continue
            seen.add(row[0])
            response_id, customer_id, survey_type, score, comment, channel, submitted_at = row
            comment, pii_count = redact_text(comment)
            yield (response_id, customer_id, survey_type, score, comment, pii_count, channel, submitted_at, path.name)


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
