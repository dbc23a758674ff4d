"""The `voc tag` JSON-lines contract."""
from __future__ import annotations

import io
import subprocess
import sys

import orjson

from voc.tagging.jsonl import run_jsonl


def run(lines: list[bytes], tagger) -> list[dict]:
    out = io.BytesIO()
    n = run_jsonl(io.BytesIO(b"\n".join(lines) + b"\n"), out, tagger)
    rows = [orjson.loads(x) for x in out.getvalue().splitlines()]
    assert n == len(rows) == len(lines)
    return rows


def test_good_lines(tagger):
    rows = run([
        orjson.dumps({"id": "a1", "text": "不需要，手机13912345678"}),
        orjson.dumps({"id": 2, "text": "这款保本的", "speaker": "agent", "channel": "call"}),
    ], tagger)
    assert rows[0]["id"] == "a1"
    assert rows[0]["tags"] == ["objection.refusal.not_needed"]
    assert rows[0]["sentiment"] in ("positive", "neutral", "negative")
    assert rows[0]["pii"] == [{"type": "cn_mobile", "start": 6, "end": 17}]
    assert rows[0]["redacted_text"] == "不需要，手机[手机号]"
    assert rows[0]["evidence"] == [{"code": "objection.refusal.not_needed", "start": 0, "end": 3,
                                    "rule": "objection.refusal.not_needed#1"}]
    assert rows[1]["tags"] == ["compliance.agent_promise.guaranteed_return"]
    assert set(rows[0]) == {"id", "tags", "sentiment", "pii", "redacted_text", "evidence"}


def test_malformed_lines_keep_alignment(tagger):
    rows = run([
        b"{not json",
        b"",
        b"[1, 2]",
        orjson.dumps({"id": 7}),
        orjson.dumps({"id": 8, "text": 42}),
        orjson.dumps({"id": 9, "text": "hi", "speaker": "robot"}),
        orjson.dumps({"id": 10, "text": "ok"}),
    ], tagger)
    assert [r.get("error", "").split(":")[0] for r in rows] == [
        "invalid JSON", "blank line", "expected a JSON object, got list", "missing field",
        "text must be a string, got int", "speaker must be customer or agent, got 'robot'", ""]
    assert [r["id"] for r in rows] == [None, None, None, 7, 8, 9, 10]


def test_module_entry_point_streams_stdin_to_stdout():
    proc = subprocess.run([sys.executable, "-m", "voc.tagging"], input="{\"text\": \"這個保本嗎？\"}\n\n".encode(),
                          capture_output=True, check=True, timeout=120)
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    assert orjson.loads(lines[0])["tags"] == ["feedback.question.risk"]
    assert "error" in orjson.loads(lines[1])
