"""Rules on sentences written for these tests (none from the gold set): negation, questions, speaker,
reported speech, Traditional characters, full-width text, sarcasm, implications."""
from __future__ import annotations

import pytest

CASES = [
    # (speaker, text, must have, must not have)
    ("customer", "暂时不需要了，谢谢你啊", {"objection.refusal.not_needed"}, set()),
    ("customer", "需要的，你发资料给我看看", set(), {"objection.refusal.not_needed"}),
    ("customer", "我也不是说不需要，就是最近手头比较紧", {"objection.refusal.no_money"}, {"objection.refusal.not_needed"}),
    ("customer", "你们这款理财是保本的吗？", {"feedback.question.risk"}, {"preference.risk.guaranteed"}),
    ("customer", "我就想买保本的产品，别的不考虑", {"preference.risk.guaranteed", "need.hidden.safety_seeking"}, set()),
    ("customer", "我不想要保本的，收益太低", set(), {"preference.risk.guaranteed"}),
    ("agent", "这个产品不保本，过往业绩不代表未来表现", set(), {"compliance.agent_promise.guaranteed_return"}),
    ("agent", "您放心，这个绝对稳赚，跟存银行一样", {"compliance.agent_promise.guaranteed_return"}, set()),
    ("agent", "市场有风险，投资需谨慎，您看一下风险揭示书", set(), {"emotion.agent_caution.discourage"}),
    ("agent", "这只波动太大了，我不建议您现在重仓", {"emotion.agent_caution.discourage"}, set()),
    ("customer", "我不建议你们再这样打电话了", set(), {"emotion.agent_caution.discourage"}),
    ("agent", "您手上有闲钱吗？", set(), {"profile.funds.idle"}),
    ("customer", "有闲钱吗？你先说说这个产品", set(), {"profile.funds.idle"}),
    ("customer", "我卡里还有十万块闲着，没想好放哪", {"profile.funds.idle"}, set()),
    ("customer", "資金是我太太在管，我做不了主", {"profile.fund_manager.other"}, set()),
    ("customer", "我對基金一竅不通，第一次買", {"profile.experience.novice"}, set()),
    ("customer", "说明书那么厚，我根本看不懂", {"feedback.negative.opaque", "need.hidden.risk_misperception"},
     {"profile.experience.novice"}),
    ("customer", "你们这个ＡＰＰ太难用了，动不动就闪退", {"feedback.negative.system_bad"}, set()),
    ("customer", "这APP真是“好用”，转账转了十分钟都没成功", {"feedback.negative.system_bad"}, {"feedback.positive.system_easy"}),
    ("customer", "呵呵，你们的收益可真“高”，还不如放活期", {"feedback.negative.product_return_low"},
     {"feedback.positive.product_return_high"}),
    ("customer", "手机银行用着挺顺畅的，转账很方便", {"feedback.positive.system_easy"}, set()),
    ("customer", "我邻居说你们家理财收益低，我自己倒没觉得", set(), {"feedback.negative.product_return_low"}),
    ("customer", "管理费太高了，一年白干", {"feedback.negative.fee_high", "need.hidden.value_doubt"}, set()),
    ("customer", "再这样我就打12378投诉你们", {"feedback.negative.complaint"}, set()),
    ("customer", "这个工单什么时候能处理好", set(), {"feedback.negative.complaint"}),
    ("customer", "我周末比较有空，周六下午打给我吧", {"profile.contact_time.weekend", "profile.contact_time.afternoon"}, set()),
    ("customer", "下午我要开会，别打了", set(), {"profile.contact_time.afternoon"}),
    ("customer", "赎回以后多久能到账？", {"feedback.question.redemption"}, set()),
    ("customer", "要是急用钱能不能提前取出来？", {"feedback.question.flexibility", "need.hidden.liquidity_anxiety"}, set()),
    ("customer", "这只基金主要投向哪些行业？", {"feedback.question.direction"}, set()),
    ("customer", "在网银上怎么买这个产品？", {"feedback.question.how_to_buy"}, {"preference.channel.online_banking"}),
    ("customer", "我习惯用手机银行自己买", {"preference.channel.mobile_app"}, set()),
    ("customer", "我在工行有笔定期下个月到期", {"profile.investment.maturing_elsewhere", "profile.platform.other_bank"}, set()),
    ("customer", "还不如支付宝呢", set(), {"profile.platform.third_party"}),
    ("customer", "我在光大买的基金被套了两年", {"profile.investment.loss_elsewhere", "profile.platform.other_bank"}, set()),
    ("customer", "这钱准备明年给女儿交学费的，不能动", {"objection.refusal.funds_earmarked"}, set()),
    ("customer", "别再给我打电话了，烦死了", {"objection.risk.dislikes_calls"}, set()),
    # a prohibition ("don't") leaves a negative tag standing, where plain negation would cancel it
    ("customer", "别再天天打电话了！！！", {"objection.risk.dislikes_calls", "emotion.anger.strong"}, set()),
    ("customer", "我的理财不是天天亏", set(), {"emotion.anxiety.shrinking_wealth"}),
    ("customer", "我哪有闲钱啊，车贷都快还不上了", {"objection.refusal.no_money"}, {"profile.funds.idle"}),
    # an except word hides its own rule's trigger only
    ("customer", "钱多久到账？", {"feedback.question.redemption"}, {"feedback.question.term"}),
    ("customer", "手机银行又打不开了", {"feedback.negative.system_bad"}, {"objection.risk.dislikes_calls"}),
    ("agent", "这款是保本型的", set(), {"compliance.agent_promise.guaranteed_return"}),
    ("customer", "我在别的银行买的理财下周到期", {"profile.investment.maturing_elsewhere"}, set()),
    ("customer", "你们比其他银行收益低", {"feedback.negative.product_return_low"}, {"profile.platform.other_bank"}),
    ("customer", "我农行那笔理财这周到期", {"profile.investment.maturing_elsewhere"},
     {"feedback.positive.service_attitude_good"}),
    ("customer", "你怎么证明你是银行的人？", {"objection.risk.doubts_identity"}, set()),
    ("customer", "最近体检查出甲状腺结节，想了解下重疾险", {"need.hidden.health_gap"}, set()),
    ("customer", "这笔钱是婚前财产，我想单独放", {"need.hidden.asset_isolation"}, set()),
    ("customer", "基金跌得我心慌，定投已经停掉了", {"emotion.anxiety.sip_stopped"}, set()),
    ("customer", "现在亏着根本不敢赎回", {"emotion.anxiety.afraid_redeem"}, set()),
    ("customer", "什么破银行！！！客服永远没人接！！！", {"emotion.anger.strong"}, set()),
    ("customer", "太感谢了！！！你们服务真好", {"feedback.positive.service_attitude_good"}, {"emotion.anger.strong"}),
    ("customer", "想买点货币基金，随时能取的那种", {"preference.product.fund_money"}, {"preference.product.fund"}),
    ("customer", "我想存个半年期的定期", {"preference.term.m3_6", "preference.product.deposit"}, set()),
]


@pytest.mark.parametrize("speaker,text,must,must_not", CASES, ids=[c[1][:14] for c in CASES])
def test_unseen_sentence(tagger, speaker, text, must, must_not):
    tags = set(tagger.tag(text, speaker).tags)
    assert must <= tags, f"missing {must - tags} in {sorted(tags)}"
    assert not (must_not & tags), f"unexpected {must_not & tags}"


@pytest.mark.parametrize("speaker,text,label", [
    ("customer", "你们APP可真“流畅”，点一下转半天", "negative"),
    ("customer", "服务很好，客户经理特别耐心，点赞", "positive"),
    ("customer", "不满意，非常失望", "negative"),
    ("customer", "没什么不满意的", "neutral"),
    ("customer", "好的，我下午再打过来", "neutral"),
    ("agent", "您好，这边是XX银行，给您介绍一款理财", "neutral"),
    ("customer", "呵呵，真是太“方便”了", "negative"),
    ("agent", "阿姨您别着急，我帮您查一下", "neutral"),
    ("customer", "别再骚扰我了", "negative"),
    ("customer", "转账一直失败，提示卡号有误", "negative"),
])
def test_sentiment(tagger, speaker, text, label):
    assert tagger.tag(text, speaker).sentiment == label


def test_scores_and_intensity(tagger):
    calm = tagger.tag("不太满意")
    angry = tagger.tag("垃圾银行！！！太差了！！！")
    assert -1.0 <= angry.sentiment_score < calm.sentiment_score <= 1.0
    assert angry.emotion_intensity > calm.emotion_intensity >= 0


def test_evidence_points_into_input_even_with_traditional_and_fullwidth(tagger):
    text = "我的ＡＰＰ總是閃退，太難用了"
    r = tagger.tag(text)
    assert "feedback.negative.system_bad" in r.tags
    spans = {text[e.start:e.end] for e in r.evidence if e.code == "feedback.negative.system_bad"}
    assert "閃退" in spans
    assert all(e.rule.startswith(e.code) for e in r.evidence)


def test_implied_tags_carry_their_source_rule(tagger):
    r = tagger.tag("手续费实在太贵了")
    ev = {e.code: e for e in r.evidence}
    assert ev["need.hidden.value_doubt"].rule.startswith("feedback.negative.fee_high#")
    assert r.version == tagger.version == 1


def test_nul_bytes_are_stripped_and_offsets_kept(tagger):
    text = "我不\x00需要，手机13812345678"
    r = tagger.tag(text)
    assert "objection.refusal.not_needed" in r.tags
    ev = [e for e in r.evidence if e.code == "objection.refusal.not_needed"][0]
    assert text[ev.start:ev.end].replace("\x00", "") == "不需要"
    assert [(p.type, text[p.start:p.end]) for p in r.pii] == [("cn_mobile", "13812345678")]


def test_bad_speaker_is_rejected(tagger):
    with pytest.raises(ValueError):
        tagger.tag("你好", speaker="bot")


def test_tag_many_streams_in_order(tagger):
    items = iter([("不需要", "customer", None), ("保本的您放心", "agent", "call"), ("", "customer", None)])
    results = list(tagger.tag_many(items))
    assert [r.tags for r in results] == [
        ["objection.refusal.not_needed"], ["compliance.agent_promise.guaranteed_return"], []]
