"""Planted tier migrations: a few customers move up or down an AUM band inside the window.

`customers.tier` in core banking stays the tier at window start; the warehouse is meant to find the
moves in `aum_daily` (month-end totals against people.TIER_BANDS). This module decides who moves, in
which calendar months and by how much; bank.simulate moves the money, day by day.

  * upgrade:   month-end total AUM grows by more than 20% over the previous month-end in each of three
               consecutive calendar months (money transferred into the current account late in each
               month), ending in the next band;
  * downgrade: money moves out week by week over three consecutive calendar months, each month-end lower
               than the last, until the total sits below the band's floor, and stays there. Spread that
               thin, no 30-day fall comes near the 30% of an aum_drop churn event (bank.py).

Each month's transfers are sized on the previous month-end's total, as the bank sees it that day, so the
month-on-month signal holds whatever the markets did meanwhile.

Migrants are drawn among customers without an anxious persona and never churn (activity.py), so the
churn effects are measured without them. They take part in the cross-sell effect like anyone else: an
upgrader's new holding is more new money, a downgrader's is bought with money already at the bank
(bank.py), so conversions show in `holdings` without disturbing either slope.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from .people import TIER_BANDS, Customer

MONTHS = 3  # consecutive calendar months of growth (or outflow)
FLOW_BEFORE_MONTH_END = (1, 6)  # each month's (last) transfer lands this many days before the month-end
UPGRADE_SHARE = 0.04  # of all customers
UPGRADE_TIERS = ("mass", "wealth")
UPGRADE_REACH = 2.0  # upgraders start within this factor of the next band, so three months' growth crosses it
UPGRADE_GROWTH = (1.3, 1.45)  # month-end total over the previous month-end, drawn per month; well clear of 1.2
DOWNGRADE_SHARE = 0.03  # of all customers: the wealth and private customers nearest their band's floor
DOWNGRADE_TIERS = ("wealth", "private")
DOWNGRADE_END = (0.90, 0.96)  # the total after the last transfer at most, as a share of the floor
DOWNGRADE_MAX_FALL = 0.29  # end higher (up to DOWNGRADE_END's top) so the fall from window start stays under 30%
# A month-end total at most this share of the previous one: the few days of markets after the month's last
# transfer cannot turn the month into growth.
DOWNGRADE_MONTHLY = 0.94
DOWNGRADE_WEEKS = 4  # transfers out per month, a week apart
# After the last transfer, a total above this share of the floor (markets, salary) is moved back to the
# migration's target, so the window ends at least 4% under the floor.
SWEEP_CAP = DOWNGRADE_END[1]


@dataclass(frozen=True)
class Migration:
    path: str  # "upgrade" or "downgrade"
    months: tuple[date, ...]  # first day of each calendar month whose month-end total moved
    # day index -> the day's total as a share of the previous month-end's: at least that for an upgrade
    # (money comes in), at most that for a downgrade (money goes out)
    flows: dict[int, float] = field(default_factory=dict)
    # downgrade: day index -> at most this total (yuan): a path to `target` taking the same share each transfer
    glide: dict[int, float] = field(default_factory=dict)
    target: float = 0.0  # downgrade: the total after the last transfer, below the band floor
    cap: float = math.inf  # downgrade: after the last transfer, a total above this is moved back to `target`


def plan(customers: list[Customer], days: list[date], rng: random.Random) -> dict[str, Migration]:
    """Who migrates and when; empty unless the window holds MONTHS + 1 month-ends (about four months)."""
    month_ends = [d for d, day in enumerate(days) if (day + timedelta(days=1)).day == 1]
    if len(month_ends) < MONTHS + 1:
        return {}
    eligible = [c for c in customers if not c.persona.anxious]
    up_pool = [c for c in eligible
               if c.tier in UPGRADE_TIERS and c.initial_aum * UPGRADE_REACH >= TIER_BANDS[c.tier][1]]
    upgraders = rng.sample(up_pool, min(len(up_pool), round(UPGRADE_SHARE * len(customers))))
    # Nearest the floor first: they need the smallest fall to leave their band.
    down_pool = sorted((c for c in eligible if c.tier in DOWNGRADE_TIERS),
                       key=lambda c: (c.initial_aum / TIER_BANDS[c.tier][0], c.customer_id))
    downgraders = down_pool[:round(DOWNGRADE_SHARE * len(customers))]
    out = {}
    for c in upgraders:
        out[c.customer_id] = _upgrade(days, _late_days(month_ends, rng), rng)
    for c in downgraders:
        out[c.customer_id] = _downgrade(c, days, _late_days(month_ends, rng), rng)
    return out


def _late_days(month_ends: list[int], rng: random.Random) -> list[int]:
    """A day late in each of MONTHS consecutive months, each after a month-end inside the window."""
    first = rng.randrange(len(month_ends) - MONTHS)
    return [month_ends[first + j] - rng.randint(*FLOW_BEFORE_MONTH_END) for j in range(1, MONTHS + 1)]


def _months(days: list[date], late_days: list[int]) -> tuple[date, ...]:
    return tuple(days[d].replace(day=1) for d in late_days)


def _upgrade(days: list[date], late_days: list[int], rng: random.Random) -> Migration:
    return Migration("upgrade", _months(days, late_days), {d: rng.uniform(*UPGRADE_GROWTH) for d in late_days})


def _downgrade(c: Customer, days: list[date], late_days: list[int], rng: random.Random) -> Migration:
    floor, start = TIER_BANDS[c.tier][0], c.initial_aum
    low, high = DOWNGRADE_END
    end = floor * max(rng.uniform(low, high), min(high, (1 - DOWNGRADE_MAX_FALL) * start / floor))
    # Weekly, ending on the late day; the k-th transfer of a month brings the total to at most
    # DOWNGRADE_MONTHLY ** (k / DOWNGRADE_WEEKS) of the previous month-end.
    flows = {late - 7 * (DOWNGRADE_WEEKS - k): DOWNGRADE_MONTHLY ** (k / DOWNGRADE_WEEKS)
             for late in late_days for k in range(1, DOWNGRADE_WEEKS + 1)}
    glide = {d: start * (end / start) ** (i / len(flows)) for i, d in enumerate(sorted(flows), 1)}
    return Migration("downgrade", _months(days, late_days), flows, glide, end, floor * SWEEP_CAP)
