"""The `voc tag` contract: JSON lines in, one JSON line out per input line, in order.

Input line:  {"text": str, "id"?: any, "speaker"?: "customer"|"agent" (default customer), "channel"?: str}
Output line: {"id", "tags", "sentiment", "pii": [{type,start,end}], "redacted_text",
              "evidence": [{code,start,end,rule}]}
A line that cannot be tagged (bad JSON, blank, not an object, missing/non-string text, bad speaker)
gets {"id": <id if readable>, "error": "<what is wrong>"} so output stays aligned with input.

Streams in batches of whatever input is already available (at most BATCH lines), so a fast pipe is
tagged in bulk while a slow producer still gets each answer as soon as its line arrives; memory stays
flat however long the input is.
"""
from __future__ import annotations

from typing import BinaryIO, Iterator

import orjson

from .tagger import SPEAKERS, Tagger

BATCH = 2048
_READ = 1 << 16


def _error(message: str, rid=None) -> bytes:
    return orjson.dumps({"id": rid, "error": message}) + b"\n"


def _parse(line: bytes):
    """-> (id as JSON, text, agent) or bytes (an error line)."""
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
    return orjson.dumps(rid), text, speaker == "agent"


def _batches(stream: BinaryIO) -> Iterator[list[bytes]]:
    """Lines (without their newline) in batches of what the stream already holds."""
    read1 = getattr(stream, "read1", None)
    if read1 is None:  # a plain iterable of lines
        batch = []
        for line in stream:
            batch.append(line)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch
        return
    pending = b""
    while chunk := read1(_READ):
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop()
        for i in range(0, len(lines), BATCH):
            yield lines[i:i + BATCH]
    if pending:
        yield [pending]


def run_jsonl(binary_in: BinaryIO, binary_out: BinaryIO, tagger: Tagger | None = None) -> int:
    """Tag every line of binary_in onto binary_out; returns the number of lines written."""
    tagger = tagger or Tagger.load()
    written = 0
    flush = getattr(binary_out, "flush", None)
    for lines in _batches(binary_in):
        parsed = [_parse(line) for line in lines]
        good = [p for p in parsed if not isinstance(p, bytes)]
        tagged = iter(tagger.tag_jsonl(good))
        binary_out.write(b"".join(p if isinstance(p, bytes) else next(tagged) for p in parsed))
        written += len(parsed)
        if flush:
            flush()
    return written
