"""PII detection and redaction: PRC resident ID, mainland mobile, bank card, e-mail.

Patterns run on the normalised text (full-width digits become ASCII, length unchanged) and spans are
mapped back onto the original, which is what gets redacted. Precision matters as much as recall, so
every numeric candidate must pass its checksum (ID mod 11-2 with a real birth date, card Luhn) and
numbers introduced as order/ticket/contract/member numbers are left alone even when they validate.
"""
from __future__ import annotations

import datetime as _dt
import re

from .normalize import Normalized, normalize
from .result import PiiSpan

PII_TYPES = ("cn_resident_id", "bank_card", "cn_mobile", "email")  # the C engine numbers them in this order
PLACEHOLDERS = {
    "cn_resident_id": "[身份证]",
    "cn_mobile": "[手机号]",
    "bank_card": "[银行卡]",
    "email": "[邮箱]",
}

# re.ASCII: after NFKC, full-width digits and spaces are ASCII; other scripts' digits are no identifiers.
# These patterns are the specification the C engine's detector (native/engine.c) implements too.
_A = re.ASCII
# Cheap gate: only texts with a run of 7+ digits (possibly spaced) or an '@' reach the regexes.
_HINT = re.compile(r"\d[\d \-]{5,}\d|@", _A)

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{4})(\d{2})(\d{2})\d{3}[\dXx](?![0-9A-Za-z])", _A)
# 16-19 digits, either contiguous or in blocks of four separated by one space or dash.
_CARD = re.compile(r"(?<![\d\-])(?:[3-6]\d{15,18}|[3-6]\d{3}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?)(?![\d\-])", _A)
_MOBILE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2}(?!\d)", _A
)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", _A)
# Words that introduce a reference number which merely looks like a card or ID.
REFERENCE_WORDS = ("单号", "订单", "流水", "编号", "会员", "合同", "工号", "凭证", "票号", "受理", "序列", "批次", "交易号", "协议")
_NOT_PERSONAL = re.compile("(?:" + "|".join(REFERENCE_WORDS) + r")[号码]?[:：是为\s]*$", _A)
REFERENCE_LOOKBACK = 8

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_resident_id(s: str) -> bool:
    """GB 11643: 17 digits, a valid birth date, and the mod 11-2 check character."""
    if len(s) != 18 or not (s[:17].isascii() and s[:17].isdigit()):
        return False
    try:
        born = _dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not (1900 <= born.year <= 2100):
        return False
    total = sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == s[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _reference_number(text: str, start: int) -> bool:
    return _NOT_PERSONAL.search(text, max(0, start - REFERENCE_LOOKBACK), start) is not None


def find_pii(norm: str) -> list[tuple[str, int, int]]:
    """(type, start, end) spans in the normalised text, sorted, non-overlapping."""
    if _HINT.search(norm) is None:
        return []
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _ID.finditer(norm):
        if valid_resident_id(m.group()) and not _reference_number(norm, m.start()):
            found.append(("cn_resident_id", m.start(), m.end()))
            taken.append(m.span())
    for m in _CARD.finditer(norm):
        digits = m.group().replace(" ", "").replace("-", "")
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and free(*m.span()) and not _reference_number(norm, m.start()):
            found.append(("bank_card", m.start(), m.end()))
            taken.append(m.span())
    for m in _MOBILE.finditer(norm):
        if free(*m.span()):
            found.append(("cn_mobile", m.start(), m.end()))
            taken.append(m.span())
    if "@" in norm:
        for m in _EMAIL.finditer(norm):
            if free(*m.span()):
                found.append(("email", m.start(), m.end()))
    found.sort(key=lambda f: f[1])
    return found


def apply(text: str, spans: list[PiiSpan]) -> str:
    """Replace each span of the original text with its typed placeholder."""
    if not spans:
        return text
    parts, pos = [], 0
    for s in spans:
        parts.append(text[pos:s.start])
        parts.append(PLACEHOLDERS[s.type])
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


def pii_spans(text: str, norm: Normalized) -> list[PiiSpan]:
    return [PiiSpan(kind, *norm.span(s, e)) for kind, s, e in find_pii(norm.text)]


def redact(text: str) -> tuple[str, list[PiiSpan]]:
    """redact(text) -> (redacted_text, spans); spans point into `text`."""
    spans = pii_spans(text, normalize(text))
    return apply(text, spans), spans
