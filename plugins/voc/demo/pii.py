"""Personal identifiers planted in demo text, and look-alikes that must survive redaction.

Every value comes from the caller's seeded RNG. The check-digit helpers are the generator's own
(the redactor in voc.tagging is separate); the demo tests use them to prove planted values are valid.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

# Real county-level division codes, so an ID's first six digits look plausible.
AREA_CODES = (
    "110101", "110105", "310104", "310115", "440106", "440305", "330106", "320102",
    "510107", "420106", "370202", "350203", "430104", "610113", "500103", "120101",
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# UnionPay BINs of large Chinese banks; 19-digit debit cards dominate, 16-digit ones exist.
CARD_BINS = ("622202", "621700", "622848", "621483", "622588", "621226", "622700", "623668")
MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158",
                   "159", "177", "180", "181", "182", "183", "186", "187", "188", "189", "199")
MAIL_HOSTS = ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "gmail.com", "139.com")
PINYIN = ("wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu",
          "sun", "hu", "zhu", "gao", "lin", "he", "guo", "ma", "luo", "xiaoyu", "jing", "lei")


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a PRC resident ID."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def is_valid_resident_id(value: str) -> bool:
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return id_check_digit(value[:17]) == value[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_complete(prefix: str) -> str:
    """Append the digit that makes prefix pass Luhn."""
    for d in "0123456789":
        if luhn_ok(prefix + d):
            return prefix + d
    raise AssertionError("unreachable")


def is_valid_mobile(value: str) -> bool:
    digits = "".join(c for c in value if c.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def resident_id(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 52))
    first17 = f"{rng.choice(AREA_CODES)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_digit(first17)


def bad_resident_id(rng: random.Random) -> str:
    """18 characters shaped like an ID whose check digit is wrong (a typo, not PII)."""
    good = resident_id(rng)
    wrong = [c for c in ID_CHECK if c != good[17]]
    return good[:17] + rng.choice(wrong)


def mobile_digits(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def format_mobile(rng: random.Random, digits: str) -> str:
    """Mobiles as people type them: plain, +86, spaced 3-4-4 or dashed."""
    style = rng.random()
    if style < 0.55:
        return digits
    if style < 0.70:
        return f"+86{digits}" if rng.random() < 0.5 else f"+86 {digits}"
    sep = " " if style < 0.85 else "-"
    return f"{digits[:3]}{sep}{digits[3:7]}{sep}{digits[7:]}"


def bank_card(rng: random.Random) -> str:
    length = 19 if rng.random() < 0.7 else 16
    body = rng.choice(CARD_BINS) + "".join(str(rng.randrange(10)) for _ in range(length - 7))
    return luhn_complete(body)


def bad_bank_card(rng: random.Random) -> str:
    """A card-length number that fails Luhn (an order or contract number)."""
    good = bank_card(rng)
    last = (int(good[-1]) + rng.randrange(1, 10)) % 10
    return good[:-1] + str(last)


def format_card(rng: random.Random, digits: str) -> str:
    if rng.random() < 0.3:
        return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
    return digits


def email(rng: random.Random) -> str:
    user = rng.choice(PINYIN) + rng.choice(("", ".", "_")) + rng.choice(PINYIN)
    if rng.random() < 0.6:
        user += str(rng.randrange(1970, 2010) if rng.random() < 0.5 else rng.randrange(100, 9999))
    if rng.random() < 0.25:  # QQ mail addresses are often the QQ number
        user = str(rng.randrange(10**7, 10**10))
    return f"{user}@{rng.choice(MAIL_HOSTS)}"


def masked_mobile(rng: random.Random) -> str:
    d = mobile_digits(rng)
    return f"{d[:3]}****{d[7:]}"


def card_tail(rng: random.Random) -> str:
    return f"{rng.randrange(10000):04d}"
