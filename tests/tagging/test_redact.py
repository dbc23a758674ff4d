"""PII redaction: real identifiers go, look-alikes stay, offsets point into the original text."""
from __future__ import annotations

import pytest

from voc.tagging.redact import PLACEHOLDERS, luhn_ok, redact, valid_resident_id

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def make_card(prefix: str) -> str:
    for last in "0123456789":
        if luhn_ok(prefix + last):
            return prefix + last
    raise AssertionError


ID_OK = make_id("44030419850317241")          # check digit computed
ID_X = next(make_id(f"11010119900101{i:03d}") for i in range(1000) if make_id(f"11010119900101{i:03d}").endswith("X"))
CARD16 = make_card("622848001234567")
CARD19 = make_card("621700123456789012")


def spans(text):
    red, found = redact(text)
    return red, [(p.type, text[p.start:p.end]) for p in found]


def test_checksums():
    assert valid_resident_id(ID_OK) and valid_resident_id(ID_X) and valid_resident_id(ID_X.lower())
    wrong = ID_OK[:17] + str((int(ID_OK[17]) + 1) % 10) if ID_OK[17].isdigit() else ID_OK[:17] + "0"
    assert not valid_resident_id(wrong)
    assert not valid_resident_id(make_id("44030419851317241")[:18])  # month 13
    assert luhn_ok(CARD16) and not luhn_ok(CARD16[:-1] + str((int(CARD16[-1]) + 1) % 10))


@pytest.mark.parametrize("text,expected", [
    (f"我身份证是{ID_OK}，帮我查下", [("cn_resident_id", ID_OK)]),
    (f"证件号{ID_X}", [("cn_resident_id", ID_X)]),
    ("手机13912345678", [("cn_mobile", "13912345678")]),
    ("打我+86 139 1234 5678就行", [("cn_mobile", "+86 139 1234 5678")]),
    ("电话0086-139-1234-5678", [("cn_mobile", "0086-139-1234-5678")]),
    ("号码是１３９１２３４５６７８", [("cn_mobile", "１３９１２３４５６７８")]),
    ("号码 139 1234 5678。", [("cn_mobile", "139 1234 5678")]),
    (f"卡号{CARD16}，", [("bank_card", CARD16)]),
    (f"卡号{CARD19[:4]} {CARD19[4:8]} {CARD19[8:12]} {CARD19[12:16]} {CARD19[16:]}",
     [("bank_card", f"{CARD19[:4]} {CARD19[4:8]} {CARD19[8:12]} {CARD19[12:16]} {CARD19[16:]}")]),
    ("邮箱 li.ming_01@example.com.cn 谢谢", [("email", "li.ming_01@example.com.cn")]),
    ("發到ｗａｎｇ@163.com", [("email", "ｗａｎｇ@163.com")]),
])
def test_real_identifiers_are_found(text, expected):
    red, found = spans(text)
    assert found == expected
    for kind, value in expected:
        assert value not in red and PLACEHOLDERS[kind] in red


@pytest.mark.parametrize("text", [
    "预留手机是138****5621，尾号5621",
    "尾号1234的那张卡",
    "工号0371，工单号GD20240518-0932",
    f"身份证{ID_OK[:17]}{'0' if ID_OK[17] != '0' else '1'}",   # wrong check digit
    f"卡号{CARD16[:-1]}{(int(CARD16[-1]) + 1) % 10}",           # fails Luhn
    f"订单号{CARD16}请核实",                                     # a reference number, even if Luhn-valid
    f"合同编号{ID_OK}",
    "转账金额12345678元",
    "座机010-62345678",
    "12378投诉热线",
    "2024-05-06申请的",
])
def test_look_alikes_stay(text):
    red, found = spans(text)
    assert found == [] and red == text


def test_offsets_survive_nul_and_fullwidth():
    text = "ab\x00c 手机：１３９\x00１２３４５６７８"
    red, found = redact(text)
    assert [(p.type, text[p.start:p.end]) for p in found] == [("cn_mobile", "１３９\x00１２３４５６７８")]
    assert red == "ab\x00c 手机：[手机号]"


def test_several_kinds_in_one_text():
    text = f"身份证{ID_OK}，手机13800138000，卡{CARD16}，邮件a@b.cn"
    red, found = spans(text)
    assert [k for k, _ in found] == ["cn_resident_id", "cn_mobile", "bank_card", "email"]
    assert red == "身份证[身份证]，手机[手机号]，卡[银行卡]，邮件[邮箱]"
