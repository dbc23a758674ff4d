"""Free text is redacted before it lands, so personal data never reaches the warehouse in clear."""

from __future__ import annotations

from voc.tagging.redact import redact


def redact_text(text: str) -> tuple[str, int]:
    """The text with PII replaced by typed placeholders, and how many spans were replaced."""
    redacted, spans = redact(text)
    return redacted, len(spans)
