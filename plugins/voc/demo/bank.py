"""Core banking: holdings, their daily values (random walks), AUM per product type, churn events.

The activity simulation decides *what happens* (cross-sell openings, account closures, withdrawals) and
tiers.py who migrates between AUM bands; this module turns those decisions into balances, so AUM always
agrees with the holdings table. It walks one customer at a time through a market shared by everyone.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter

from .people import Customer
from .tiers import Migration
from .timeutil import at

# product_type -> (product_code, daily drift, idiosyncratic daily vol, beta to the type's market factor)
PRODUCTS: dict[str, tuple[tuple[str, float, float, float], ...]] = {
    "deposit": (("TD-3M", 5e-5, 0, 0), ("TD-1Y", 6e-5, 0, 0), ("TD-3Y", 7e-5, 0, 0), ("CD-3Y", 8e-5, 0, 0),
                ("SD-91D", 7e-5, 0, 0)),
    "wealth": (("WM-STABLE", 8e-5, 4e-4, 0), ("WM-MONTHLY", 7e-5, 3e-4, 0), ("WM-QUARTER", 8e-5, 4e-4, 0),
               ("WM-180D", 9e-5, 5e-4, 0), ("WM-DAILY", 6e-5, 1e-4, 0), ("WM-PLUS", 1e-4, 1.5e-3, 0.1)),
    "fund": (("FD-MONEY", 5e-5, 0, 0), ("FD-BOND", 1e-4, 1e-3, 0), ("FD-HYBRID", 0, 4e-3, 0.6),
             ("FD-EQUITY", 0, 5e-3, 1.0), ("FD-CSI300", 0, 2e-3, 1.0), ("FD-CSI500", 0, 3e-3, 1.1)),
    "insurance": (("INS-CI", 1e-4, 0, 0), ("INS-ANNUITY", 1e-4, 0, 0), ("INS-WHOLE", 1.1e-4, 0, 0)),
    "gold": (("AU-ACC", 0, 1e-3, 1.0), ("AU-BAR", 0, 5e-4, 1.0)),
}
# product_type -> (mean, sd) of its daily market factor, shared by every customer's holdings of that type
MARKETS = {"fund": (0.0, 0.011), "gold": (2e-4, 0.008), "wealth": (0.0, 0.002)}
UNIFORM_SD_WIDTH = 12 ** 0.5  # a holding's own noise: a uniform on [-w/2, w/2] has sd w / sqrt(12)
CURRENT_ACCOUNT = ("DEP-CUR", 1e-5, 0, 0)
CURRENT_ACCOUNT_MOVE_DAILY = 0.05  # chance a day brings salary in or bills out
CURRENT_ACCOUNT_MOVE = (0.95, 1.08)  # factor on the current account when it does
HOLD_PROBABILITY = {  # tier -> P(holds product type) at the start of the window; everyone has a deposit
    "mass": {"wealth": 0.5, "fund": 0.3, "insurance": 0.15, "gold": 0.05},
    "wealth": {"wealth": 0.8, "fund": 0.6, "insurance": 0.4, "gold": 0.15},
    "private": {"wealth": 0.9, "fund": 0.8, "insurance": 0.6, "gold": 0.3},
}
# aum_drop churn event: total AUM falls more than AUM_DROP_THRESHOLD below its highest total of the previous
# AUM_DROP_LOOKBACK days. A trailing peak rather than the window-start value, so months of ordinary market
# moves never add up to a "churn": the withdrawals of a churning customer take days, not months.
AUM_DROP_THRESHOLD = 0.30
AUM_DROP_LOOKBACK = 30


@dataclass
class Holding:
    customer_id: str
    product_type: str
    product_code: str
    opened_at: datetime
    amount: float
    value: float  # at window start, or when opened inside the window
    drift: float
    vol: float
    beta: float
    holding_id: str = ""
    closed_at: datetime | None = None
    matures_on: int | None = None  # day index of a planned maturity/redemption inside the window


@dataclass
class Plan:
    """What happens to whom and when: decided by the activity simulation (and tiers.py), by day index."""
    openings: dict[int, list[tuple[str, str, float, datetime]]] = field(default_factory=lambda: defaultdict(list))
    closures: dict[int, list[tuple[str, datetime]]] = field(default_factory=lambda: defaultdict(list))
    withdrawals: dict[str, tuple[int, float, int]] = field(default_factory=dict)  # start day, fraction, n days
    migrations: dict[str, Migration] = field(default_factory=dict)  # planted tier migrations (tiers.py)


def initial_holdings(customers: list[Customer], window_start: date, days: int, rng: random.Random) -> list[Holding]:
    out = []
    for c in customers:
        types = ["deposit"] + [t for t, p in HOLD_PROBABILITY[c.tier].items() if rng.random() < p]
        weights = [rng.uniform(1.0, 3.0) if t == "deposit" else rng.uniform(0.3, 2.0) for t in types]
        total = sum(weights)
        span = max(1, (window_start - c.opened_on).days)
        for t, w in zip(types, weights):
            value = c.initial_aum * w / total
            n = rng.choice((1, 1, 2))
            specs = [CURRENT_ACCOUNT] + rng.sample(PRODUCTS[t], n) if t == "deposit" else rng.sample(PRODUCTS[t], n)
            for spec in specs:
                # 30% of the deposits sit in the current account, the rest is split evenly
                share = value * 0.3 if spec is CURRENT_ACCOUNT else value * (0.7 if t == "deposit" else 1.0) / n
                opened = at(c.opened_on + timedelta(days=rng.randrange(span)), 9 * 3600 + rng.randrange(8 * 3600))
                h = Holding(c.customer_id, t, spec[0], opened, round(share * rng.uniform(0.85, 1.05), -2), share,
                            *spec[1:])
                if spec is not CURRENT_ACCOUNT and rng.random() < (0.05 if t in ("deposit", "wealth") else 0.02):
                    h.matures_on = rng.randrange(days)
                out.append(h)
    for i, h in enumerate(out, 1):
        h.holding_id = f"H{i:07d}"
    return out


def simulate(customers: list[Customer], holdings: list[Holding], days: list[date], plan: Plan,
             rng: random.Random) -> tuple[list[tuple], list[Holding], list[tuple]]:
    """Walk every holding through the window, one customer at a time.

    Returns (AUM series, all holdings, churn_events rows); an AUM series is (customer_id, product_type,
    first day index, that type's value on each day from then on), one per product type held so far.
    """
    walk = _Walk(days, rng)
    own: dict[str, list[Holding]] = defaultdict(list)
    for h in holdings:
        own[h.customer_id].append(h)
    opening: dict[str, list[tuple[int, str, float, datetime]]] = defaultdict(list)
    for d in sorted(plan.openings):
        for cid, ptype, amount, opened_at in plan.openings[d]:
            opening[cid].append((d, ptype, amount, opened_at))
    closing = {cid: (d, when) for d, closures in plan.closures.items() for cid, when in closures}
    series: list[tuple] = []
    events: list[tuple] = []
    new_holdings: list[Holding] = []
    for c in customers:
        cid = c.customer_id
        closed = closing.get(cid)
        new = [(d, walk.open(cid, ptype, amount, when)) for d, ptype, amount, when in opening[cid]
               if closed is None or d < closed[0]]
        new_holdings += [h for _, h in new]
        mine = own[cid] + [h for _, h in new]
        starts = [0] * len(own[cid]) + [d for d, _ in new]
        start_total = sum(h.value for h in own[cid])
        snaps, totals = walk.customer(mine, starts, closed, plan.withdrawals.get(cid), plan.migrations.get(cid))
        series += _series(cid, mine, starts, snaps)
        events += walk.churn_events(cid, start_total, totals, closed)
    new_holdings.sort(key=lambda h: (h.opened_at, h.customer_id))
    for i, h in enumerate(new_holdings, len(holdings) + 1):
        h.holding_id = f"H{i:07d}"
    events.sort(key=lambda e: (e[0], e[1]))
    churn_rows = [(f"CE{i:06d}", cid, kind, when, b, a)
                  for i, (when, cid, kind, b, a) in enumerate(events, 1)]
    return series, holdings + new_holdings, churn_rows


class _Walk:
    """The market shared by everyone, and one customer's holdings walked day by day through it."""

    def __init__(self, days: list[date], rng: random.Random):
        self.days, self.rng = days, rng
        self.market = {t: [rng.gauss(mu, sd) for _ in days] for t, (mu, sd) in MARKETS.items()}
        self.month_end = [(day + timedelta(days=1)).day == 1 for day in days]

    def open(self, cid: str, ptype: str, amount: float, opened_at: datetime) -> Holding:
        code, drift, vol, beta = self.rng.choice(PRODUCTS[ptype])
        return Holding(cid, ptype, code, opened_at, amount, amount, drift, vol, beta)

    def customer(self, holdings: list[Holding], starts: list[int], closed: tuple[int, datetime] | None,
                 withdrawal: tuple[int, float, int] | None,
                 migration: Migration | None) -> tuple[list[list[float]], list[float]]:
        """Each day's value of every holding (in the given order, 0 when not open) and each day's total."""
        n = len(self.days)
        stop = closed[0] if closed else n
        factors = [self.growth(h, start) for h, start in zip(holdings, starts)]
        opens, matures = _calendar(holdings, starts)
        moves = self.current_account_moves()
        keep = _withdrawal_factors(withdrawal)
        # A downgrading customer buys new products with money already here, so the slide stays smooth.
        switch = migration is not None and migration.path == "downgrade"
        values = [0.0 if start else h.value for h, start in zip(holdings, starts)]
        snaps, totals, month_ref = [], [], sum(values)
        for d in range(stop):
            for i in opens.get(d, ()):
                if switch:
                    values = _take(values, holdings[i].amount)
                values[i] = holdings[i].amount
            for i in matures.get(d, ()):  # maturity / redemption: the money goes back to the current account
                values[0] += values[i]
                values[i] = 0.0
                holdings[i].closed_at = at(self.days[d], 10 * 3600 + self.rng.randrange(6 * 3600))
            values = [v * f[d] for v, f in zip(values, factors)]
            if d in moves:
                values[0] *= moves[d]
            if d in keep:
                values = [v * keep[d] for v in values]
            if migration is not None:
                values = _migrate(migration, d, values, month_ref)
            total = sum(values)
            if self.month_end[d]:
                month_ref = total
            snaps.append(values)
            totals.append(total)
        if closed:
            for h in holdings:
                if h.closed_at is None:
                    h.closed_at = closed[1]
            snaps += [[0.0] * len(holdings)] * (n - stop)
            totals += [0.0] * (n - stop)
        return snaps, totals

    def growth(self, h: Holding, start: int) -> list[float]:
        """The holding's daily growth factors; 1 outside the days it is open (its value is 0 there).

        The holding's own noise is uniform with the holding's vol as its sd: summed over days it is as
        normal as Gaussian noise, and one random() is a fraction of a gauss() over a million holding-days.
        """
        n = len(self.days)
        stop = n if h.matures_on is None else h.matures_on
        base, market = 1.0 + h.drift, self.market.get(h.product_type) if h.beta else None
        if market is None and not h.vol:
            return [base] * n
        random, width, beta = self.rng.random, h.vol * UNIFORM_SD_WIDTH, h.beta
        if market is None:
            open_days = [base + width * (random() - 0.5) for _ in range(start, stop)]
        elif not width:
            open_days = [base + beta * m for m in market[start:stop]]
        else:
            open_days = [base + beta * m + width * (random() - 0.5) for m in market[start:stop]]
        return [1.0] * start + open_days + [1.0] * (n - max(start, stop))

    def current_account_moves(self) -> dict[int, float]:
        """Salary in, bills out: the days the current account moves by itself, and by how much."""
        rng = self.rng
        return {d: rng.uniform(*CURRENT_ACCOUNT_MOVE) for d in range(len(self.days))
                if rng.random() < CURRENT_ACCOUNT_MOVE_DAILY}

    def churn_events(self, cid: str, start_total: float, totals: list[float],
                     closed: tuple[int, datetime] | None) -> list[tuple]:
        if closed:
            d, when = closed
            return [(when, cid, "account_closed", totals[d - 1] if d else start_total, 0.0)]
        drop = _first_drop(start_total, totals)
        if drop is None:
            return []
        d, peak = drop
        return [(at(self.days[d], 20 * 3600 + self.rng.randrange(3600)), cid, "aum_drop", peak, totals[d])]


def _calendar(holdings: list[Holding], starts: list[int]) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Day index -> the holdings (by position) opened that day inside the window, and those maturing."""
    opens, matures = defaultdict(list), defaultdict(list)
    for i, (h, start) in enumerate(zip(holdings, starts)):
        if start:
            opens[start].append(i)
        if h.matures_on is not None:
            matures[h.matures_on].append(i)
    return opens, matures


def _withdrawal_factors(withdrawal: tuple[int, float, int] | None) -> dict[int, float]:
    """A churning customer takes out `fraction` of everything in equal steps over `n` days."""
    if withdrawal is None:
        return {}
    start, fraction, n = withdrawal
    keep = (1 - fraction) ** (1 / n)
    return {d: keep for d in range(start, start + n)}


def _take(values: list[float], amount: float) -> list[float]:
    """Pay `amount` out of all the holdings in proportion."""
    total = sum(values)
    return [v * max(0.0, 1 - amount / total) for v in values]


def _migrate(m: Migration, d: int, values: list[float], month_ref: float) -> list[float]:
    """Move the money of a planted tier migration (tiers.py), sized on last month-end's total `month_ref`."""
    share, total = m.flows.get(d), sum(values)
    if m.path == "upgrade":
        if share is not None:  # transferred in from elsewhere
            values[0] += max(0.0, share * month_ref - total)
        return values
    if share is not None:
        goal = min(share * month_ref, m.glide[d])
    elif d > max(m.flows) and total > m.cap:
        goal = m.target  # markets or salary lifted it back near the floor: move the excess out again
    else:
        return values
    return [v * goal / total for v in values] if total > goal else values


def _first_drop(start_total: float, totals: list[float]) -> tuple[int, float] | None:
    """The first day the total is more than AUM_DROP_THRESHOLD below its highest of the previous
    AUM_DROP_LOOKBACK days (the window-start total counts as day -1), and that highest total."""
    floor = 1 - AUM_DROP_THRESHOLD
    if min(totals) >= floor * max(start_total, max(totals)):
        return None  # never that far below any earlier total: the case for almost everyone, so skip the scan
    history = [start_total] + totals  # history[d] is the total at the end of day d - 1
    for d, total in enumerate(totals):
        peak = max(history[max(0, d + 1 - AUM_DROP_LOOKBACK):d + 1])
        if total < peak * floor:
            return d, peak
    return None


def _series(cid: str, holdings: list[Holding], starts: list[int], snaps: list[list[float]]) -> list[tuple]:
    """Per product type: the first day it was held and the sum of its holdings each day from then on."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, h in enumerate(holdings):
        by_type[h.product_type].append(i)
    out = []
    for ptype in sorted(by_type):
        idx = by_type[ptype]
        first = min(starts[i] for i in idx)
        if len(idx) == 1:
            values = [s[idx[0]] for s in snaps[first:]]
        else:
            values = list(map(sum, map(itemgetter(*idx), snaps[first:])))
        out.append((cid, ptype, first, values))
    return out
