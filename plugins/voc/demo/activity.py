"""Day-by-day simulation of contacts (calls, IM, RM notes, tickets, surveys) and their consequences.

The planted effects live here, each keyed on what a customer *voiced* so the warehouse can see the
cause in the text it receives (see README.md, "Planted effects"):
  * anxiety voiced            -> churn hazard x ANXIETY_CHURN_MULTIPLIER from the next day on;
  * ticket not resolved <=72h -> churn hazard x SLA_BREACH_CHURN_MULTIPLIER once the deadline passes;
  * idle/incoming funds voiced, then RM contact within 3 days -> conversion CONVERT_TREATED vs CONVERT_CONTROL;
  * SPIKE_CODE topic weight x5 during the spike week.
Customers with a planted tier migration (tiers.py) never churn, so their money moves only as planned.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from .bank import Plan
from .dialogue import ANXIETY_CODES, FUNDS_CODES, Utterance, Writer, draw
from .people import Customer, pick
from .phrases import BANK
from .tiers import Migration
from .timeutil import at

# Per customer-day, for a customer with no anxiety voiced and no SLA breach: 7% a year. The multipliers
# raise the bank's average to about twice that, ~13% a year (6-7% of customers in a 180-day window),
# in line with wealth-management attrition of 10-15% a year.
BASE_CHURN_HAZARD = 0.0002
ANXIETY_CHURN_MULTIPLIER = 3.0
SLA_BREACH_CHURN_MULTIPLIER = 4.0
MAX_CHURN_HAZARD = BASE_CHURN_HAZARD * max(ANXIETY_CHURN_MULTIPLIER, SLA_BREACH_CHURN_MULTIPLIER)
CHURN_CLOSES_ACCOUNT = 0.5  # else the customer withdraws most of their money (an aum_drop event)
FOLLOW_UP_SHARE = 0.5  # share of funds signals the RM follows up (a coin flip, so treated vs control is fair)
FOLLOW_UP_WINDOW = 3  # days after the signal in which RM contact counts as follow-up
CONVERT_TREATED = 0.40
CONVERT_CONTROL = 0.12
BASE_CROSS_SELL = 0.0005  # per customer-day, customers with no funds signal
SLA_FIRST_RESPONSE_H = 24
SLA_RESOLVE_H = 72
CROSS_SELL_TYPES = (("wealth", 4), ("fund", 3), ("deposit", 2), ("insurance", 1.5), ("gold", 1))
TICKET_CATEGORIES = (("product", 0.3), ("service", 0.25), ("system", 0.2), ("fee", 0.12), ("marketing_call", 0.13))
TICKET_CHANNELS = (("phone", 0.35), ("app", 0.3), ("branch", 0.15), ("wecom", 0.12), ("regulator", 0.08))
TICKET_STATUS = {"created": "open", "first_response": "responded", "resolved": "resolved", "closed": "closed",
                 "revisited": "open"}
# channel -> (scenario, weight); review calls are twice as likely for wealth and private customers
SCENARIOS = {
    "call": (("pitch", 40), ("service", 22), ("review", 15), ("insurance", 8), ("complaint", 15)),
    "im": (("service", 50), ("complaint", 15), ("pitch", 10), ("review", 15), ("insurance", 10)),
}
RICH_REVIEW_CALLS = 30
CALL_SHARE = 0.6  # of conversations; the rest are IM chats
SURVEY_SCORES = {  # survey_type -> mood -> score range (CES: 7 = "it was easy")
    "nps": {"positive": (9, 10), "neutral": (7, 8), "negative": (0, 6)},
    "csat": {"positive": (4, 5), "neutral": (3, 3), "negative": (1, 2)},
    "ces": {"positive": (6, 7), "neutral": (4, 5), "negative": (1, 3)},
}
N_AGENTS = 60
SPIKE_WITHIN = 14  # the hot-spot week lies inside the window's last SPIKE_WITHIN days


@dataclass
class State:
    """What the simulation remembers about one customer."""
    anxious_from: int | None = None  # day index from which the anxiety multiplier applies
    breach_from: int | None = None
    churned_on: int | None = None
    closed: bool = False
    funds_signal: int | None = None
    follow_up_due: int | None = None
    rm_contacts: list[int] = field(default_factory=list)
    last_contact: int = -99
    tier_path: str | None = None  # "upgrade" / "downgrade": a planted tier migration (tiers.py)
    tier_months: tuple[date, ...] = ()  # first day of each calendar month whose month-end AUM moved


@dataclass
class Activity:
    conversations: list[tuple] = field(default_factory=list)
    turns: list[tuple] = field(default_factory=list)
    tickets: list[tuple] = field(default_factory=list)
    ticket_events: list[tuple] = field(default_factory=list)
    surveys: dict[date, list[tuple]] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # code -> utterances written with it
    plan: Plan = field(default_factory=Plan)
    treated: dict[str, bool] = field(default_factory=dict)  # funds signal customers -> RM followed up?
    pii: list[tuple[str, str, bool]] = field(default_factory=list)  # planted identifiers, see Writer.pii
    state: dict[str, State] = field(default_factory=dict)  # the ground truth behind the planted effects


def spike_week(days: list[date]) -> tuple[date, date]:
    """The first Monday-Sunday week starting within the last SPIKE_WITHIN days of the window.

    With SPIKE_WITHIN = 14 it always lies whole inside them and ends 1-7 days before end_date, so the
    days after it show the topic falling back (a window shorter than 14 days may not contain it).
    """
    first = days[-1] - timedelta(days=SPIKE_WITHIN - 1)
    monday = first + timedelta(days=-first.weekday() % 7)
    return monday, monday + timedelta(days=6)


def simulate(customers: list[Customer], days: list[date], rng: random.Random,
             migrations: dict[str, Migration] | None = None) -> Activity:
    sim = _Sim(customers, days, rng, migrations or {})
    for d in range(len(days)):
        sim.day(d)
    return sim.out


class _Sim:
    def __init__(self, customers: list[Customer], days: list[date], rng: random.Random,
                 migrations: dict[str, Migration]):
        self.customers, self.days, self.rng = customers, days, rng
        self.scale = len(customers) / 3000
        self.state = {c.customer_id: State() for c in customers}
        for cid, m in migrations.items():
            self.state[cid].tier_path, self.state[cid].tier_months = m.path, m.months
        self.window_end = at(days[-1], 86400)
        self.spike = spike_week(days)
        self.writer = Writer(rng)
        self.out = Activity(pii=self.writer.pii, state=self.state)
        self.out.plan.migrations = migrations  # the bank moves their money with everyone else's
        # Agents differ in how often they caution and (for a few) how often they promise returns.
        self.agent_style = {f"AG{i:03d}": (rng.uniform(0.02, 0.25), rng.uniform(0.03, 0.1) if rng.random() < 0.15 else 0.0)
                            for i in range(1, N_AGENTS + 1)}
        self.rm_style = {rm: (rng.uniform(0.05, 0.3), 0.0) for rm in sorted({c.rm_id for c in customers})}
        self.ticket_seq = 0
        self._roster: tuple[list[Customer], list[float]] | None = None
        self.seconds_left = [(self.window_end - at(day, 0)).total_seconds() for day in days]
        self.follow_ups: dict[int, list[Customer]] = defaultdict(list)  # day -> customers their RM writes to
        self.funds_decisions: dict[int, list[Customer]] = defaultdict(list)  # day -> follow-up window ends

    # ---- one day -------------------------------------------------------------------------------
    def day(self, d: int) -> None:
        rng, day = self.rng, self.days[d]
        self.writer.spike = self.spike[0] <= day <= self.spike[1]
        active, cum = self.roster()
        if not active:  # a tiny demo whose every customer has closed their account
            self.out.surveys[day] = []
            return
        convs = []
        for _ in range(round(rng.uniform(150, 250) * self.scale)):
            convs.append(self.conversation(d, draw(rng, active, cum)))
        for c in self.follow_ups.pop(d, ()):
            if not self.state[c.customer_id].closed:
                convs.append(self.rm_note(d, c, "follow_up"))
        for _ in range(round(rng.uniform(3, 8) * self.scale)):
            convs.append(self.rm_note(d, rng.choice(active), "routine"))
        convs.extend(self.boundary_chats(d, active))
        self.number_conversations(day, convs)
        n_tickets = rng.uniform(20, 40) + (rng.uniform(8, 15) if self.writer.spike else 0)
        for _ in range(round(n_tickets * self.scale)):
            self.ticket(d, draw(rng, active, cum))
        self.surveys(d, active)
        self.consequences(d, active)

    def roster(self) -> tuple[list[Customer], list[float]]:
        """Customers still with the bank and their cumulative contact weights, rebuilt after a closure."""
        if self._roster is None:
            active = [c for c in self.customers if not self.state[c.customer_id].closed]
            # Richer and anxious customers are in touch more often.
            cum = list(accumulate((2.0 if c.tier == "private" else 1.3 if c.tier == "wealth" else 1.0) *
                                  (1.5 if c.persona.anxious else 1.0) for c in active))
            self._roster = active, cum
        return self._roster

    # ---- conversations -------------------------------------------------------------------------
    def conversation(self, d: int, c: Customer) -> tuple:
        rng = self.rng
        channel = "call" if rng.random() < CALL_SHARE else "im"
        names, cum = _SCENARIO_TABLES[channel, c.tier != "mass"]
        scenario = draw(rng, names, cum)
        agent = c.rm_id if scenario == "review" else f"AG{rng.randrange(1, N_AGENTS + 1):03d}"
        style = self.rm_style[agent] if scenario == "review" else self.agent_style[agent]
        turns = self.writer.conversation(channel, scenario, c.persona, style, self.ctx(c))
        if channel == "call":
            start = rng.uniform(8.5, 20.5) * 3600
        else:
            start = rng.uniform(8, 22) * 3600 if rng.random() < 0.7 else rng.uniform(0, 86400)
        gaps = [rng.uniform(8, 45) if channel == "call" else rng.uniform(15, 240) for _ in turns]
        return self.timed(d, c, channel, agent, turns, start, gaps)

    def rm_note(self, d: int, c: Customer, kind: str) -> tuple:
        note = self.writer.rm_note(kind, self.ctx(c))
        return self.timed(d, c, "rm_note", c.rm_id, [note], self.rng.uniform(9, 19) * 3600, [0])

    def boundary_chats(self, d: int, active: list[Customer]) -> list[tuple]:
        """Chats whose turns land exactly on 23:59:59 and 00:00:00 CST, to exercise day boundaries."""
        rng, out = self.rng, []
        if d + 1 < len(self.days) and rng.random() < 0.6:  # straddles midnight into the next day
            c = rng.choice(active)
            turns = self.writer.conversation("im", "service", c.persona, (0.1, 0.0), self.ctx(c))
            gaps = [0, 1] + [rng.uniform(20, 90) for _ in turns[2:]]
            out.append(self.timed(d, c, "im", f"AG{rng.randrange(1, N_AGENTS + 1):03d}", turns, 86399, gaps))
        if rng.random() < 0.6:  # starts on the stroke of midnight
            c = rng.choice(active)
            turns = self.writer.conversation("im", "service", c.persona, (0.1, 0.0), self.ctx(c))
            gaps = [0] + [rng.uniform(20, 90) for _ in turns[1:]]
            out.append(self.timed(d, c, "im", f"AG{rng.randrange(1, N_AGENTS + 1):03d}", turns, 0, gaps))
        return out

    def timed(self, d: int, c: Customer, channel: str, agent: str, turns: list[Utterance], start: float,
              gaps: list[float]) -> tuple:
        """Lay turns out in time; a conversation never runs past the end of the window."""
        offsets, t = [], 0.0
        for g in gaps:
            t += g
            offsets.append(int(t))
        tail = int(self.rng.uniform(5, 30)) if channel != "rm_note" else 0
        start = int(min(start, self.seconds_left[d] - 1 - offsets[-1] - tail))
        midnight = at(self.days[d], 0)
        spoken = [midnight + timedelta(seconds=start + o) for o in offsets]
        self.observe(d, c, channel, agent, turns)
        return (c.customer_id, channel, agent, spoken[0], spoken[-1] + timedelta(seconds=tail), turns, spoken)

    def number_conversations(self, day: date, convs: list[tuple]) -> None:
        convs.sort(key=lambda v: (v[3], v[0], v[1]))
        prefix = f"CV{day:%Y%m%d}"
        for i, (cid, channel, agent, started, ended, turns, spoken) in enumerate(convs, 1):
            cv = f"{prefix}{i:04d}"
            self.out.conversations.append((cv, channel, cid, agent, started, ended, ended))
            for n, (u, when) in enumerate(zip(turns, spoken), 1):
                self.out.turns.append((cv, n, u.speaker, when, u.text))

    def observe(self, d: int, c: Customer, channel: str, agent: str, turns: list[Utterance]) -> None:
        """React to what was said: the signals behind the planted effects."""
        st = self.state[c.customer_id]
        st.last_contact = d
        if agent == c.rm_id:
            st.rm_contacts.append(d)
        for u in turns:
            self.count(u)
            if u.speaker != "customer":
                continue
            self.voiced_anxiety(d, st, u)
            if st.funds_signal is None and not _FUNDS.isdisjoint(u.codes):
                st.funds_signal = d
                self.funds_decisions[d + FOLLOW_UP_WINDOW].append(c)
                if self.rng.random() < FOLLOW_UP_SHARE:
                    st.follow_up_due = d + self.rng.randint(1, FOLLOW_UP_WINDOW)
                    self.follow_ups[st.follow_up_due].append(c)

    def voiced_anxiety(self, d: int, st, u: Utterance) -> None:
        """Anxiety raises churn from the next day on, whether said in a call, a chat, a ticket or a survey."""
        if st.anxious_from is None and not _ANXIETY.isdisjoint(u.codes):
            st.anxious_from = d + 1

    def count(self, u: Utterance) -> None:
        for code in u.codes:
            self.out.codes[code] += 1

    def ctx(self, c: Customer) -> dict[str, str]:
        return {"name": c.persona.name, "our_bank": BANK, "agent_no": f"{self.rng.randrange(1, 9999):04d}"}

    # ---- tickets -------------------------------------------------------------------------------
    def ticket(self, d: int, c: Customer) -> None:
        rng, day = self.rng, self.days[d]
        cats = TICKET_CATEGORIES
        if self.writer.spike:
            cats = tuple((k, w * 3 if k == "system" else w) for k, w in cats)
        category = pick(rng, cats)
        channel = pick(rng, TICKET_CHANNELS)
        title, body = self.writer.ticket(category, day)
        self.count(body)
        complaint = "feedback.negative.complaint" in body.codes
        priority = ("urgent" if channel == "regulator" else "high" if complaint and rng.random() < 0.6 else
                    rng.choice(("normal", "normal", "low")))
        roll = rng.random()
        start = 86399 if roll < 0.04 else 0 if roll < 0.07 else rng.uniform(7, 23) * 3600
        created = at(day, start)
        hours = self.lifecycle()
        events = [(s, created + timedelta(seconds=int(h * 3600))) for s, h in hours]
        events = [(s, t) for s, t in events if t < self.window_end]
        self.ticket_seq += 1
        tid = f"TK{day:%Y%m%d}{self.ticket_seq:05d}"
        status = TICKET_STATUS[events[-1][0]]
        self.out.tickets.append((tid, c.customer_id, channel, category, priority, c.branch_id, title, body.text, status,
                                 created, events[-1][1]))
        self.out.ticket_events.extend((tid, i, s, t) for i, (s, t) in enumerate(events, 1))
        resolved_h = next(h for s, h in hours if s == "resolved")
        st = self.state[c.customer_id]
        st.last_contact = d
        self.voiced_anxiety(d, st, body)
        deadline = d + SLA_RESOLVE_H // 24
        if resolved_h > SLA_RESOLVE_H and deadline < len(self.days):
            st.breach_from = deadline if st.breach_from is None else min(st.breach_from, deadline)

    def lifecycle(self) -> list[tuple[str, float]]:
        """Hours after creation of each status event; about 15% miss first response, 35% miss resolution."""
        rng = self.rng
        first = rng.uniform(0.3, 23.5) if rng.random() < 0.85 else rng.uniform(24.5, 60)
        resolved = rng.uniform(first + 0.5, 71.5) if rng.random() < 0.65 and first < 71 else rng.uniform(
            max(first, 72) + 0.5, 240)
        closed = resolved + rng.uniform(2, 48)
        out = [("created", 0.0), ("first_response", first), ("resolved", resolved), ("closed", closed)]
        if rng.random() < 0.12:
            revisit = closed + rng.uniform(12, 96)
            again = revisit + rng.uniform(4, 48)
            out += [("revisited", revisit), ("resolved", again), ("closed", again + rng.uniform(2, 24))]
        return out

    # ---- surveys -------------------------------------------------------------------------------
    def surveys(self, d: int, active: list[Customer]) -> None:
        rng, day = self.rng, self.days[d]
        recent = [c for c in active if d - self.state[c.customer_id].last_contact <= 2]
        rows = []
        for _ in range(round(rng.uniform(30, 60) * self.scale)):
            c = rng.choice(recent) if recent and rng.random() < 0.6 else rng.choice(active)
            st = self.state[c.customer_id]
            neg = 0.6 if st.breach_from is not None and d >= st.breach_from else (
                0.4 if st.anxious_from is not None else 0.2)
            neg += 0.1 if self.writer.spike else 0.0
            mood = rng.choices(("positive", "neutral", "negative"), weights=(0.8 - neg, 0.2 + 0.0, neg))[0]
            stype = rng.choices(("nps", "csat", "ces"), weights=(0.4, 0.4, 0.2))[0]
            comment = self.writer.survey_comment(mood)
            self.count(comment)
            self.voiced_anxiety(d, st, comment)
            roll = rng.random()
            start = 86399 if roll < 0.03 else 0 if roll < 0.06 else rng.uniform(7, 23.5) * 3600
            rows.append((at(day, start), c.customer_id, stype, rng.randint(*SURVEY_SCORES[stype][mood]), comment.text,
                         rng.choice(("sms", "app", "wecom", "ivr"))))
        rows.sort(key=lambda r: (r[0], r[1]))
        self.out.surveys[day] = [(f"SV{day:%Y%m%d}{i:04d}", cid, stype, score, text, channel, when)
                                 for i, (when, cid, stype, score, text, channel) in enumerate(rows, 1)]

    # ---- churn and cross-sell ------------------------------------------------------------------
    def consequences(self, d: int, active: list[Customer]) -> None:
        rng, state = self.rng, self.state
        for c in self.funds_decisions.pop(d, ()):  # the follow-up window of their funds signal ends today
            st = state[c.customer_id]
            if st.closed:
                continue
            treated = any(st.funds_signal < r <= d for r in st.rm_contacts)
            self.out.treated[c.customer_id] = treated
            if rng.random() < (CONVERT_TREATED if treated else CONVERT_CONTROL):
                self.open_holding(c, d + rng.randint(1, 10))
        for c in active:
            st = state[c.customer_id]
            if st.funds_signal is None and rng.random() < BASE_CROSS_SELL:
                self.open_holding(c, d)
            if st.churned_on is None and st.tier_path is None:
                roll = rng.random()  # above the highest hazard nobody churns: skip working out theirs
                if roll < MAX_CHURN_HAZARD and roll < BASE_CHURN_HAZARD * _multiplier(st, d):
                    self.churn(d, c, st)

    def churn(self, d: int, c: Customer, st: State) -> None:
        rng, plan = self.rng, self.out.plan
        st.churned_on = d
        if rng.random() < CHURN_CLOSES_ACCOUNT:
            st.closed = True
            self._roster = None
            plan.closures[d].append((c.customer_id, at(self.days[d], rng.uniform(16, 17.5) * 3600)))
        else:
            plan.withdrawals[c.customer_id] = (d, rng.uniform(0.45, 0.85), rng.randint(1, 3))

    def open_holding(self, c: Customer, d: int) -> None:
        if d >= len(self.days):
            return
        rng = self.rng
        ptype = pick(rng, CROSS_SELL_TYPES)
        amount = max(10_000.0, round(c.initial_aum * rng.uniform(0.05, 0.3), -3))
        self.out.plan.openings[d].append((c.customer_id, ptype, amount, at(self.days[d], rng.uniform(9, 17) * 3600)))


def _multiplier(st: State, d: int) -> float:
    """Churn hazard multiplier on day d: the strongest signal counts, they do not compound."""
    anxious = st.anxious_from is not None and d >= st.anxious_from
    breached = st.breach_from is not None and d >= st.breach_from
    return max(1.0, ANXIETY_CHURN_MULTIPLIER if anxious else 1.0, SLA_BREACH_CHURN_MULTIPLIER if breached else 1.0)


def _scenario_tables() -> dict[tuple[str, bool], tuple[tuple[str, ...], list[float]]]:
    """(channel, wealth or private?) -> scenarios and cumulative weights, computed once."""
    out = {}
    for channel, weights in SCENARIOS.items():
        for rich in (False, True):
            w = [RICH_REVIEW_CALLS if rich and channel == "call" and s == "review" else v for s, v in weights]
            out[channel, rich] = (tuple(s for s, _ in weights), list(accumulate(w)))
    return out


_SCENARIO_TABLES = _scenario_tables()
_ANXIETY = frozenset(ANXIETY_CODES)
_FUNDS = frozenset(FUNDS_CODES)
