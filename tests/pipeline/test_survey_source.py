"""The survey export reader: business-day filtering, encodings and rows it must refuse (by file and line)."""

from datetime import date

import pytest

from voc.business_date import BusinessDates
from voc.sources import survey
from voc.sources.base import SourceError

HEADER = "response_id,customer_id,survey_type,score,comment,channel,submitted_at\n"
DAY = BusinessDates.of(date(2026, 11, 15))


def _write(folder, day, body, encoding="utf-8"):
    path = folder / f"responses_{day:%Y%m%d}.csv"
    path.write_text(HEADER + body, encoding=encoding)
    return path


def _rows(folder):
    (batch,) = survey.extract(folder, DAY)
    return list(batch.rows)


def test_rows_are_filtered_by_cst_day_across_neighbouring_files(tmp_path):
    _write(tmp_path, date(2026, 11, 15),
           "S1,C1,nps,9,很满意,app,2026-11-15T00:00:00+08:00\n"
           "S2,C2,nps,3,太慢了,app,2026-11-15T23:59:59+08:00\n")
    _write(tmp_path, date(2026, 11, 16), "S3,C3,csat,4,,app,2026-11-16T00:00:00+08:00\n")
    _write(tmp_path, date(2026, 11, 14), "S4,C4,ces,2,,app,2026-11-14T16:30:00+00:00\n")  # 00:30 CST on the 15th
    ids = sorted(r[1] for r in _rows(tmp_path))
    assert ids == ["S1", "S2", "S4"]


def test_comment_is_redacted_before_landing(tmp_path):
    _write(tmp_path, date(2026, 11, 15), "S1,C1,nps,2,打我电话13912345678,app,2026-11-15T10:00:00+08:00\n")
    (row,) = _rows(tmp_path)
    comment, pii_count = row[5], row[6]
    assert "13912345678" not in comment and pii_count == 1


def test_utf8_bom_is_accepted(tmp_path):
    _write(tmp_path, date(2026, 11, 15), "S1,C1,nps,10,好,app,2026-11-15T10:00:00+08:00\n", encoding="utf-8-sig")
    assert len(_rows(tmp_path)) == 1


@pytest.mark.parametrize(
    "line,message",
    [
        ("S1,C1,nps,11,,app,2026-11-15T10:00:00+08:00", "nps score 11 outside 0..10"),
        ("S1,C1,nps,x,,app,2026-11-15T10:00:00+08:00", "not an integer"),
        ("S1,C1,vote,1,,app,2026-11-15T10:00:00+08:00", "unknown survey_type"),
        ("S1,C1,nps,5,,app,2026-11-15T10:00:00", "no UTC offset"),
        ("S1,C1,nps,5,,app,yesterday", "not ISO 8601"),
        (",C1,nps,5,,app,2026-11-15T10:00:00+08:00", "empty response_id"),
    ],
)
def test_bad_rows_stop_the_load_naming_file_and_line(tmp_path, line, message):
    _write(tmp_path, date(2026, 11, 15), line + "\n")
    with pytest.raises(SourceError, match=message) as info:
        _rows(tmp_path)
    assert "responses_20261115.csv line 2" in str(info.value)


def test_gbk_file_is_refused_not_garbled(tmp_path):
    _write(tmp_path, date(2026, 11, 15), "S1,C1,nps,2,收益太低,app,2026-11-15T10:00:00+08:00\n", encoding="gbk")
    with pytest.raises(SourceError, match="not UTF-8"):
        _rows(tmp_path)


def test_missing_column_and_missing_folder(tmp_path):
    (tmp_path / "responses_20261115.csv").write_text("response_id,score\nS1,5\n", encoding="utf-8")
    with pytest.raises(SourceError, match="missing column"):
        _rows(tmp_path)
    with pytest.raises(SourceError, match="does not exist"):
        survey.extract(tmp_path / "nope", DAY)
