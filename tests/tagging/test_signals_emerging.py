from voc.tagging.emerging import emerging_keywords
from voc.tagging.signals import conversation_signals


def convo(tagger, turns):
    return conversation_signals([(s, t, tagger.tag(t, s)) for s, t in turns])


def test_liquidity_health_and_caution(tagger):
    sig = convo(tagger, [
        ("agent", "这款风险较大，我不建议您全部买入"),
        ("customer", "那赎回要几天到账？"),
        ("agent", "一般T+1"),
        ("customer", "我再确认下，赎回后多久能到账？"),
        ("customer", "上个月体检有几个指标异常，重疾险还能买吗？"),
    ])
    assert sig["agent_caution_density"] == 0.5
    assert sig["redemption_questions"] == 2 and sig["liquidity_anxiety"] is True
    assert sig["health_gap"] is True
    assert sig["jargon_mismatch"] is False


def test_jargon_with_novice_and_anxiety(tagger):
    sig = convo(tagger, [
        ("customer", "我是第一次买基金，啥也不懂"),
        ("agent", "这只的夏普比率1.2，最大回撤控制在8%以内，久期也短"),
        ("customer", "跌成这样我都睡不着，钱越理越少"),
    ])
    assert sig["jargon_mismatch"] is True
    assert sig["anxiety_phrases"] >= 1
    assert sig["agent_caution_density"] == 0.0


def test_emerging_keywords_skip_known_topics():
    texts = ["转账一直提示网络异常", "网络异常，转不了账", "验证码收不到，网络异常", "验证码老是收不到", "闪退闪退"]
    top = emerging_keywords(texts, top_n=3)
    words = [w for w, _ in top]
    assert words[:2] == ["异常", "网络"] or words[:2] == ["网络", "异常"]
    assert "闪退" not in words  # already a system_bad keyword
    assert all(c >= 2 for _, c in top)
