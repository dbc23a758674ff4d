"""Customer master data: tier, segment, branch, RM, and the persona that drives what they say."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .dialogue import Persona
from .timeutil import at

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
SEGMENTS = ("salaried", "young_professional", "business_owner", "retiree")
# AUM bands in yuan (mass < 50万 <= wealth < 600万 <= private), drawn log-uniformly inside each band.
TIER_BANDS = {"mass": (5_000, 500_000), "wealth": (500_000, 6_000_000), "private": (6_000_000, 50_000_000)}
TIER_MIX = (("mass", 0.75), ("wealth", 0.22), ("private", 0.03))
N_BRANCHES = 40
RMS_PER_BRANCH = 3

# Persona dimensions with a customer's own stable value, and how common each value is.
TRAIT_CHOICES = {
    "profile.contact_time": (("anytime", 1), ("early", 0.6), ("morning", 1.2), ("noon", 0.8), ("afternoon", 1.2),
                             ("evening", 1.5), ("weekend", 1)),
    "profile.experience": (("novice", 0.35), ("intermediate", 0.45), ("professional", 0.2)),
    "profile.fund_manager": (("self", 0.85), ("other", 0.15)),
    "preference.risk": (("guaranteed", 0.2), ("stable", 0.45), ("medium", 0.25), ("high", 0.1)),
    "preference.term": (("le_1m", 0.15), ("le_3m", 0.25), ("m3_6", 0.25), ("m6_12", 0.2), ("gt_1y", 0.15)),
    "preference.contact_method": (("phone", 0.35), ("im", 0.15), ("wecom", 0.2), ("wechat", 0.2), ("sms", 0.1)),
    "preference.channel": (("branch", 0.3), ("online_banking", 0.15), ("mobile_app", 0.55)),
}
ANXIOUS_SHARE = 0.12
FUNDS_SHARE = 0.15


@dataclass
class Customer:
    customer_id: str
    tier: str
    segment: str
    branch_id: str
    rm_id: str
    opened_on: date
    opened_at: datetime
    initial_aum: float
    persona: Persona


def make_customers(n: int, window_start: date, rng: random.Random) -> list[Customer]:
    out = []
    for i in range(1, n + 1):
        tier = pick(rng, TIER_MIX)
        low, high = TIER_BANDS[tier]
        aum = round(low * (high / low) ** rng.random(), -2)
        segment = rng.choices(SEGMENTS, weights=(0.2, 0.1, 0.6, 0.1) if tier == "private" else (0.4, 0.2, 0.15, 0.25))[0]
        branch = rng.randrange(N_BRANCHES)
        opened_on = window_start - timedelta(days=rng.randint(30, 20 * 365))
        opened_at = at(opened_on, 9 * 3600 + rng.randrange(8 * 3600))
        out.append(Customer(
            customer_id=f"C{i:06d}", tier=tier, segment=segment, branch_id=f"BR{branch + 1:03d}",
            rm_id=f"RM{branch * RMS_PER_BRANCH + rng.randrange(RMS_PER_BRANCH) + 1:04d}",
            opened_on=opened_on, opened_at=opened_at, initial_aum=aum, persona=_persona(rng, segment)))
    return out


def _persona(rng: random.Random, segment: str) -> Persona:
    female = rng.random() < 0.55
    older = segment == "retiree" or rng.random() < 0.3
    title = rng.choice(("阿姨", "女士") if female and older else ("女士", "姐") if female else
                       ("叔", "先生") if older else ("先生", "哥"))
    traits = {dim: f"{dim}.{pick(rng, values)}" for dim, values in TRAIT_CHOICES.items()}
    if segment == "retiree" and rng.random() < 0.5:
        traits["preference.channel"] = "preference.channel.branch"
    funds = None
    if rng.random() < FUNDS_SHARE:
        funds = "profile.funds.idle" if rng.random() < 0.6 else "profile.funds.incoming"
    return Persona(name=rng.choice(SURNAMES) + title, traits=traits, anxious=rng.random() < ANXIOUS_SHARE,
                   funds_code=funds)


def pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]
