"""Conversation-level hidden-need signals: what no single utterance shows on its own.

conversation_signals(turns) takes one conversation as a list of (speaker, text, TagResult) and returns
a flat dict of numbers/flags the warehouse stores per conversation:

  agent_caution_density   share of agent turns that discourage/caution (不建议/谨慎/风险较大); predicts churn
  compliance_flags        agent turns promising guaranteed returns
  redemption_questions    customer turns asking about redemption/flexibility
  liquidity_anxiety       asked about getting money out twice or more, or said they need it urgently
  anxiety_phrases         customer turns carrying wealth-anxiety tags or anxiety words (心慌/睡不着/焦虑…)
  health_gap              重疾险 and a 体检 result mentioned by the customer anywhere in the conversation
  jargon_mismatch         agent uses jargon (夏普比率/最大回撤/久期…) with a customer who says they are a novice
  opportunity             idle or incoming funds, or money maturing elsewhere: a cross-sell opening
  escalation_risk         complaint or strong anger from the customer, or negative sentiment getting worse
  negative_share          share of customer turns with negative sentiment
"""
from __future__ import annotations

from typing import Iterable

from .normalize import normalize
from .result import TagResult

JARGON = ("夏普比率", "夏普", "最大回撤", "回撤", "久期", "波动率", "阿尔法", "贝塔", "信息比率", "卡玛比率", "仓位",
          "估值分位", "跟踪误差", "风险溢价", "凸性")
NOVICE_WORDS = ("听不懂", "不懂", "不太懂", "什么意思", "啥意思", "小白", "第一次买", "没买过")
ANXIETY_WORDS = ("心慌", "睡不着", "焦虑", "担心", "害怕", "慌了", "着急", "急死", "怎么办", "吃不下")
HEALTH_EXAM = ("体检", "结节", "复查", "箭头", "指标异常", "检查出", "查出")
CRITICAL_ILLNESS = ("重疾险", "重疾", "防癌险")

_REDEMPTION = {"feedback.question.redemption", "feedback.question.flexibility"}
_OPPORTUNITY = {"profile.funds.idle", "profile.funds.incoming", "profile.investment.maturing_elsewhere"}


def _has(text: str, words: Iterable[str]) -> bool:
    return any(w in text for w in words)


def conversation_signals(turns: list[tuple[str, str, TagResult]]) -> dict:
    agent_turns = caution = promises = 0
    customer_turns = redemption = anxiety = negative = 0
    liquidity_tag = complaint = False
    novice = jargon = illness = exam = opportunity = False
    first_neg = last_neg = None
    for speaker, text, result in turns:
        norm = normalize(text).text
        tags = set(result.tags)
        if speaker == "agent":
            agent_turns += 1
            caution += "emotion.agent_caution.discourage" in tags
            promises += "compliance.agent_promise.guaranteed_return" in tags
            jargon = jargon or _has(norm, JARGON)
            continue
        customer_turns += 1
        redemption += bool(tags & _REDEMPTION)
        liquidity_tag = liquidity_tag or "need.hidden.liquidity_anxiety" in tags
        anxiety += any(t.startswith("emotion.anxiety.") for t in tags) or _has(norm, ANXIETY_WORDS)
        negative += result.sentiment == "negative"
        complaint = complaint or "feedback.negative.complaint" in tags or "emotion.anger.strong" in tags
        novice = novice or "profile.experience.novice" in tags or _has(norm, NOVICE_WORDS)
        illness = illness or _has(norm, CRITICAL_ILLNESS)
        exam = exam or _has(norm, HEALTH_EXAM)
        opportunity = opportunity or bool(tags & _OPPORTUNITY)
        score = result.sentiment_score
        first_neg = score if first_neg is None else first_neg
        last_neg = score
    worsening = first_neg is not None and last_neg is not None and last_neg < first_neg - 0.3 and last_neg < 0
    return {
        "agent_turns": agent_turns,
        "customer_turns": customer_turns,
        "agent_caution_density": round(caution / agent_turns, 4) if agent_turns else 0.0,
        "compliance_flags": promises,
        "redemption_questions": redemption,
        "liquidity_anxiety": redemption >= 2 or liquidity_tag,
        "anxiety_phrases": anxiety,
        "health_gap": illness and exam,
        "jargon_mismatch": jargon and novice,
        "opportunity": opportunity,
        "escalation_risk": complaint or worsening,
        "negative_share": round(negative / customer_turns, 4) if customer_turns else 0.0,
    }
