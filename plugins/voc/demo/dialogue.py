"""Composes conversations, ticket bodies and survey comments from the phrase tables.

Every text comes back with the taxonomy codes it was written to express (`Utterance.codes`), so
the simulation can react to what a customer *said* (the planted effects key on voiced signals) and
tests can check coverage. Personal data planted in a text is recorded in `Writer.pii`.
"""
from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from . import pii
from .phrases import (AGENT, COMPANIONS, CUSTOMER, EMOJI, FILLERS, FULL_WIDTH_DIGITS, PREFIXES,
                      REPLY_BY_CODE, REPLY_BY_DIMENSION, RM_NOTES, SURVEY_EXTRA, TICKET_CODES, TICKET_LEADS, TICKET_TITLES,
                      TRADITIONAL, dimension, render)

ANXIETY_CODES = ("emotion.anxiety.shrinking_wealth", "emotion.anxiety.sip_stopped", "emotion.anxiety.rollercoaster",
                 "emotion.anxiety.afraid_redeem", "need.hidden.liquidity_anxiety")
FUNDS_CODES = ("profile.funds.idle", "profile.funds.incoming")
SPIKE_CODE = "feedback.negative.system_bad"
CAUTION = "emotion.agent_caution.discourage"
PROMISE = "compliance.agent_promise.guaranteed_return"
# A liquidity-anxious customer comes back to redemption within the same call.
REPEAT_REDEMPTION = ("我再确认一下，赎回是不是第二天就能到？", "刚才说的赎回，急用的话能不能马上取出来？",
                     "那我今天申请赎回，明天钱能不能到卡上？", "还是那个问题，赎回到底几天到账？")
REPEAT_CODES = ("feedback.question.redemption", "need.hidden.liquidity_anxiety")
NEGATIVE_PREFIXES = ("feedback.negative", "emotion.anger", "emotion.anxiety")

# Topic weights per conversation scenario, by code prefix (a code's weight is the sum over matching prefixes).
SCENARIOS: dict[str, dict[str, float]] = {
    "pitch": {"profile.funds": 3, "profile.platform": 2, "profile.investment": 1.5, "profile.fund_manager": 1,
              "profile.experience": 1.5, "profile.contact_time": 2, "preference.product": 3, "preference.term": 2,
              "preference.return": 1.5, "preference.risk": 2, "preference.promo": 1, "preference.contact_method": 1.5,
              "objection.refusal": 4, "objection.risk": 1.5, "feedback.question": 4, "need.hidden.safety_seeking": 0.5},
    "service": {"feedback.question": 5, "preference.channel": 2, SPIKE_CODE: 1.5, "feedback.positive": 1.5,
                "feedback.negative.branch_bad": 0.5, "preference.contact_method": 1, "preference.promo": 0.5,
                "need.hidden.liquidity_anxiety": 0.5, "profile.contact_time": 0.5},
    "review": {"emotion.anxiety": 1, "profile.experience": 2, "profile.investment": 1, "profile.platform": 1,
               "feedback.negative.product_return_low": 1, "feedback.negative.fee_high": 1, "feedback.negative.opaque": 0.8,
               "need.hidden.risk_misperception": 0.8, "need.hidden.value_doubt": 0.3, "preference.risk": 2,
               "preference.term": 1, "preference.product": 2, "preference.return": 1.5, "feedback.question": 2,
               "feedback.positive.product_return_high": 0.5, "feedback.positive.service_professional": 0.5,
               "objection.refusal.self_research": 0.5},
    "insurance": {"need.hidden.health_gap": 2, "need.hidden.asset_isolation": 1.5, "preference.product.insurance": 3,
                  "profile.platform.insurance": 1.5, "profile.platform.trust": 1, "profile.fund_manager": 1,
                  "feedback.question": 2, "preference.term.gt_1y": 1, "need.hidden.safety_seeking": 1,
                  "preference.risk.guaranteed": 1},
    "complaint": {"feedback.negative": 5, "feedback.negative.complaint": 2, "emotion.anger": 1.5, "objection.risk": 1.5,
                  "need.hidden.risk_misperception": 1, "need.hidden.liquidity_anxiety": 0.5,
                  "feedback.question.redemption": 0.5},
}
OPENING = {"pitch": "open_out", "service": "open_in", "review": "open_review", "insurance": "open_out",
           "complaint": "open_in"}
SELLING = ("pitch", "review", "insurance")


@dataclass(frozen=True)
class Utterance:
    speaker: str
    text: str
    codes: tuple[str, ...] = ()


@dataclass
class Persona:
    """What a customer is like, so repeated mentions agree (one contact time, one risk appetite...)."""
    name: str
    traits: dict[str, str]  # taxonomy dimension -> the customer's own leaf code
    anxious: bool
    funds_code: str | None  # idle or incoming, for customers who have money to place


@dataclass
class Writer:
    rng: random.Random
    spike: bool = False
    pii: list[tuple[str, str, bool]] = field(default_factory=list)  # (kind, value as written, is real PII)

    # ---- customer side -------------------------------------------------------------------------
    def topic(self, scenario: str, persona: Persona) -> str:
        codes, weights = _TABLES[(scenario, self.spike)]
        code = draw(self.rng, codes, weights)
        return persona.traits.get(dimension(code), code)

    def say(self, codes: list[str], channel: str, ctx: dict[str, str] | None = None, lead: str | None = None,
            pii_rate: float = 0.03) -> Utterance:
        """A customer text expressing `codes` (plus their companion tags), with channel noise applied."""
        rng = self.rng
        parts = [render(rng.choice(CUSTOMER[c]), rng, ctx) for c in codes]
        text = (rng.choice(PREFIXES) if lead is None else lead) + _join(parts, rng)
        tagged = set(codes) | {COMPANIONS[c] for c in codes if c in COMPANIONS}
        return Utterance("customer", self.finish(text, channel, tagged, pii_rate), tuple(sorted(tagged)))

    def filler(self) -> Utterance:
        return Utterance("customer", self.rng.choice(FILLERS))

    def repeat_redemption(self, channel: str) -> Utterance:
        return Utterance("customer", self.finish(self.rng.choice(REPEAT_REDEMPTION), channel, set(REPEAT_CODES)),
                         REPEAT_CODES)

    def finish(self, text: str, channel: str, codes: set[str], pii_rate: float = 0.03) -> str:
        """Channel-typical noise: personal data, emoji, Traditional characters, full-width digits."""
        rng = self.rng
        roll = rng.random()
        sep = "" if text[-1:] in "？！。" else "，"
        if roll < pii_rate:
            text += sep + self.real_pii()
        elif roll < pii_rate + 0.02:
            text += sep + self.lookalike()
        if channel in ("im", "survey") and rng.random() < 0.2:
            mood = "negative" if any(c.startswith(NEGATIVE_PREFIXES) for c in codes) else (
                "positive" if any(c.startswith("feedback.positive") for c in codes) else "neutral")
            text += rng.choice(EMOJI[mood]) * rng.choice((1, 1, 2, 3))
        if rng.random() < 0.03:
            text = text.translate(TRADITIONAL)
        if rng.random() < 0.05:
            text = text.translate(FULL_WIDTH_DIGITS)
        return text

    def real_pii(self) -> str:
        rng = self.rng
        kind = rng.choices(("cn_mobile", "cn_resident_id", "bank_card", "email"), weights=(5, 2, 2, 1.5))[0]
        if kind == "cn_mobile":
            value = pii.format_mobile(rng, pii.mobile_digits(rng))
            frame = rng.choice(("我手机号是{}", "电话{}，有事打这个", "联系方式：{}", "回电请打{}"))
        elif kind == "cn_resident_id":
            value = pii.resident_id(rng)
            frame = rng.choice(("我身份证号{}", "身份证：{}", "证件号是{}"))
        elif kind == "bank_card":
            value = pii.format_card(rng, pii.bank_card(rng))
            frame = rng.choice(("卡号是{}", "我的卡号{}", "扣款那张卡{}"))
        else:
            value = pii.email(rng)
            frame = rng.choice(("材料发我邮箱{}", "邮箱{}", "回复请发到{}"))
        self.pii.append((kind, value, True))
        return frame.format(value)

    def lookalike(self) -> str:
        rng = self.rng
        kind = rng.choice(("masked_mobile", "card_tail", "ticket_no", "bad_card", "bad_id"))
        value, frame = {
            "masked_mobile": lambda: (pii.masked_mobile(rng), "就是{}那个号"),
            "card_tail": lambda: (pii.card_tail(rng), "我说的是尾号{}那张卡"),
            "ticket_no": lambda: (self.ticket_no(), "之前的工单号{}"),
            "bad_card": lambda: (pii.bad_bank_card(rng), "订单号{}"),
            "bad_id": lambda: (pii.bad_resident_id(rng), "合同编号{}"),
        }[kind]()
        self.pii.append((kind, value, False))
        return frame.format(value)

    def ticket_no(self) -> str:
        """A 13-digit work-order number: digits, but nobody's personal data."""
        return f"{self.rng.randrange(2025, 2027)}{self.rng.randrange(10**9):09d}"

    # ---- agent side ----------------------------------------------------------------------------
    def agent(self, purpose: str, ctx: dict[str, str]) -> Utterance:
        text = render(self.rng.choice(AGENT[purpose]), self.rng, ctx)
        codes = {"caution": (CAUTION,), "promise": (PROMISE,)}.get(purpose, ())
        return Utterance("agent", text, codes)

    def reply(self, last: Utterance, scenario: str, agent_style: tuple[float, float], persona: Persona,
              ctx: dict[str, str]) -> Utterance:
        """Answer the customer's last topic, sometimes adding a disclosure, caution, promise or jargon."""
        rng = self.rng
        purpose = "ack"
        if last.codes:
            first = last.codes[0]
            purpose = REPLY_BY_CODE.get(first) or REPLY_BY_DIMENSION.get(dimension(first), "ack")
        lookalikes = []  # offered to the templates; recorded only if a template used them
        if purpose.startswith("apology"):
            lookalikes.append(("ticket_no", self.ticket_no()))
            ctx = {**ctx, "ticket_no": lookalikes[-1][1]}
        lines = [self.agent(purpose, ctx)]
        caution_rate, promise_rate = agent_style
        if scenario in SELLING:
            if "feedback.question.risk" in last.codes:
                lines.append(self.agent("promise" if rng.random() < promise_rate * 4 else "not_promise", ctx))
            elif rng.random() < promise_rate:
                lines.append(self.agent("promise", ctx))
            if rng.random() < caution_rate:
                lines.append(self.agent("caution", ctx))
            if persona.traits.get("profile.experience") == "profile.experience.novice" and rng.random() < 0.3:
                lines.append(self.agent("jargon", ctx))
            if rng.random() < 0.12:
                lines.append(self.agent("disclosure", ctx))
        elif purpose == "apology" and rng.random() < 0.1:
            lookalikes += [("card_tail", pii.card_tail(rng)), ("masked_mobile", pii.masked_mobile(rng))]
            lines.append(self.agent("verify", {**ctx, "tail": lookalikes[-2][1], "masked": lookalikes[-1][1]}))
        codes = tuple(sorted({c for u in lines for c in u.codes}))
        text = "，".join(u.text for u in lines)
        self.pii += [(kind, value, False) for kind, value in lookalikes if value in text]
        return Utterance("agent", text, codes)

    # ---- whole texts ---------------------------------------------------------------------------
    def conversation(self, channel: str, scenario: str, persona: Persona, agent_style: tuple[float, float],
                     ctx: dict[str, str]) -> list[Utterance]:
        rng = self.rng
        n = rng.randint(4, 12) if channel == "call" else rng.randint(2, 8)
        customer_first = channel == "im" and rng.random() < 0.6
        turns: list[Utterance] = []
        if not customer_first:
            turns.append(self.agent("open_im" if channel == "im" else OPENING[scenario], ctx))
        funds_pending = persona.funds_code is not None and scenario != "complaint" and rng.random() < 0.5
        repeat_at = None
        while len(turns) < n:
            if (len(turns) % 2 == 0) == customer_first:  # customer's turn
                if repeat_at is not None and len(turns) >= repeat_at:
                    turns.append(self.repeat_redemption(channel))
                    repeat_at = None
                    continue
                if len(turns) > 1 and rng.random() < 0.2:
                    turns.append(self.filler())
                    continue
                codes = [self.topic(scenario, persona)]
                if funds_pending:
                    codes, funds_pending = [persona.funds_code], False
                elif persona.anxious and rng.random() < 0.35:
                    codes = [rng.choice(ANXIETY_CODES)]
                if rng.random() < 0.3:
                    extra = self.topic(scenario, persona)
                    if extra not in codes:
                        codes.append(extra)
                if "need.hidden.liquidity_anxiety" in codes and persona.anxious:
                    repeat_at = len(turns) + 2
                turns.append(self.say(codes, channel, ctx))
            else:
                if len(turns) >= n - 1 and channel == "call":
                    turns.append(self.agent("close", ctx))
                else:
                    turns.append(self.reply(turns[-1], scenario, agent_style, persona, ctx))
        return turns

    def rm_note(self, kind: str, ctx: dict[str, str]) -> Utterance:
        return Utterance("agent", render(self.rng.choice(RM_NOTES[kind]), self.rng, ctx))

    def ticket(self, category: str, day: date) -> tuple[str, Utterance]:
        rng = self.rng
        codes = [rng.choice(TICKET_CODES[category])]
        if rng.random() < 0.35:
            codes.append(rng.choice(TICKET_CODES[rng.choice(list(TICKET_CODES))]))
        if rng.random() < 0.55 and "feedback.positive.praise" not in codes:
            codes.append("feedback.negative.complaint")
        if rng.random() < 0.1:
            codes.append("emotion.anger.strong")
        ctx = {"date": f"{day.month}月{day.day}日"}
        body = self.say(list(dict.fromkeys(codes)), "ticket", ctx, render(rng.choice(TICKET_LEADS), rng, ctx), 0.12)
        return rng.choice(TICKET_TITLES[category]), body

    def survey_comment(self, mood: str) -> Utterance:
        rng = self.rng
        if rng.random() < 0.2:
            return Utterance("customer", "")
        pool, cum = _SURVEY_TABLES[(mood, self.spike)]
        codes = [draw(rng, pool, cum)]
        if mood == "negative" and rng.random() < 0.15:
            codes.append(rng.choice(("feedback.negative.complaint", "emotion.anger.strong")))
        lead = rng.choice(SURVEY_EXTRA[mood]) + "，" if rng.random() < 0.4 else ""
        return self.say(codes, "survey", lead=lead, pii_rate=0.02)


def draw(rng: random.Random, population: list, cum_weights: list[float]):
    """`rng.choices(population, cum_weights=cum_weights)[0]`, the same draw without the list it builds:
    a few hundred thousand weighted draws per run."""
    return population[bisect(cum_weights, rng.random() * cum_weights[-1], 0, len(population) - 1)]


def _join(parts: list[str], rng: random.Random) -> str:
    out = parts[0]
    for p in parts[1:]:
        out += ("" if out[-1] in "？！。" else rng.choice(("，", "。", "，", "；"))) + p
    return out


def _tables() -> dict[tuple[str, bool], tuple[list[str], list[float]]]:
    """Cumulative topic weights per (scenario, spike week?): computed once, used for every turn."""
    out = {}
    for name, prefixes in SCENARIOS.items():
        for spike in (False, True):
            codes, cum, total = [], [], 0.0
            for code in CUSTOMER:
                w = sum(v for p, v in prefixes.items() if code == p or code.startswith(p + "."))
                if spike and code == SPIKE_CODE:
                    w = w * 5 + 2  # the hot-spot week: an app release breaks the app for everyone
                if w:
                    total += w
                    codes.append(code)
                    cum.append(total)
            out[(name, spike)] = (codes, cum)
    return out


def _survey_tables() -> dict[tuple[str, bool], tuple[list[str], list[float]]]:
    """Survey comment codes and cumulative weights per (mood, spike week?): system_bad 6x in the spike week."""
    out = {}
    for mood, prefix in (("positive", "feedback.positive"), ("neutral", "feedback.question"),
                         ("negative", "feedback.negative")):
        pool = [c for c in CUSTOMER if c.startswith(prefix)]
        if mood == "neutral":
            pool += ["preference.promo.likes", "need.hidden.safety_seeking", "preference.return.high",
                     "preference.channel.branch", "preference.channel.mobile_app"]
        for spike in (False, True):
            out[(mood, spike)] = (pool, list(accumulate(6 if spike and c == SPIKE_CODE else 1 for c in pool)))
    return out


_TABLES = _tables()
_SURVEY_TABLES = _survey_tables()
