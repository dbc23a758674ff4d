from voc.tagging.normalize import normalize


def test_traditional_fullwidth_and_emoji():
    text = "這個ＡＰＰ真難用，１２３４😡"
    n = normalize(text)
    assert n.text == "这个APP真难用，1234😡"
    assert len(n.text) == len(text) and n.offmap is None


def test_nul_removed_with_offset_map():
    text = "a\x00b\x00c"
    n = normalize(text)
    assert n.text == "abc"
    assert n.span(1, 3) == (2, 5)
    assert text[slice(*n.span(0, 3))] == text


def test_plain_text_untouched():
    text = "我想买点基金，有推荐吗？"
    assert normalize(text).text == text
