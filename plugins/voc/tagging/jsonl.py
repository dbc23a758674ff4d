"""The `voc tag` contract: JSON lines in, one JSON line out per input line, in order.

Input line:  {"text": str, "id"?: any, "speaker"?: "customer"|"agent" (default customer), "channel"?: str}
Output line: {"id", "tags", "sentiment", "pii": [{type,start,end}], "redacted_text",
              "evidence": [{code,start,end,rule}]}
A line that cannot be tagged (bad JSON, blank, not an object, missing/non-string text, bad speaker)
gets {"id": <id if readable>, "error": "<what is wrong>"} so output stays aligned with input.
Streams: memory stays flat however long the input is.
"""
from __future__ import annotations

from typing import BinaryIO

import orjson

from .tagger import SPEAKERS, Tagger


def _error(message: str, rid=None) -> bytes:
    return orjson.dumps({"id": rid, "error": message})


def _parse(line: bytes):
    """-> (id, text, speaker, channel) or bytes (an error line)."""
    if not line.strip():
        return _error("blank line")
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return _error(f"invalid JSON: {exc}")
    if not isinstance(obj, dict):
        return _error(f"expected a JSON object, got {type(obj).__name__}")
    rid = obj.get("id")
    text = obj.get("text")
    if text is None:
        return _error("missing field: text", rid)
    if not isinstance(text, str):
        return _error(f"text must be a string, got {type(text).__name__}", rid)
    speaker = obj.get("speaker") or "customer"
    if speaker not in SPEAKERS:
        return _error(f"speaker must be customer or agent, got {speaker!r}", rid)
    channel = obj.get("channel")
    if channel is not None and not isinstance(channel, str):
        return _error(f"channel must be a string, got {type(channel).__name__}", rid)
    return rid, text, speaker, channel


def run_jsonl(binary_in: BinaryIO, binary_out: BinaryIO, tagger: Tagger | None = None) -> int:
    """Tag every line of binary_in onto binary_out; returns the number of lines written."""
    tagger = tagger or Tagger.load()
    tag = tagger.tag
    dumps = orjson.dumps
    write = binary_out.write
    n = 0
    for line in binary_in:
        parsed = _parse(line)
        if isinstance(parsed, bytes):
            out = parsed
        else:
            rid, text, speaker, channel = parsed
            r = tag(text, speaker, channel)
            out = dumps({
                "id": rid,
                "tags": r.tags,
                "sentiment": r.sentiment,
                "pii": [{"type": p.type, "start": p.start, "end": p.end} for p in r.pii],
                "redacted_text": r.redacted_text,
                "evidence": [{"code": e.code, "start": e.start, "end": e.end, "rule": e.rule} for e in r.evidence],
            })
        write(out)
        write(b"\n")
        n += 1
    return n
