"""The data files' frames: the survey export and the operational tables of a business.

Each function draws from the generator it is given, in a fixed order, so the same
seed writes the same rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orient.synth.model import _RET_BASE, _RET_SLOPE, _REV_SLOPE, WAVES

__all__ = ["calls", "claims", "contacts", "deals", "finance", "quality", "survey_frame"]

_RU_AGREE = [
    "Полностью не согласен",
    "Не согласен",
    "Ни да, ни нет",
    "Согласен",
    "Полностью согласен",
]
_RU_SAT = [
    "Совершенно не удовлетворен",
    "Не удовлетворен",
    "Нейтрален",
    "Удовлетворен",
    "Полностью удовлетворен",
]
_EN_AGREE = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]


def survey_frame(b: dict, sim: dict, rng: np.random.Generator):
    n = len(sim["overall"])
    ids = np.array([f"R{i + 1:05d}" for i in range(n)])
    cust = np.array([f"C{i + 1:05d}" for i in range(n)])
    seg_names = np.array(list(b["segments"]))[sim["seg"]]
    wave = np.array(WAVES)[sim["wave"]]
    # post-stratification-like weights: segment target share / sample share, with noise
    shares = pd.Series(seg_names).value_counts(normalize=True)
    target = pd.Series(b["segments"])
    wseg = (target / shares.reindex(target.index)).reindex(seg_names).to_numpy()
    weight = np.round(wseg * rng.uniform(0.7, 1.3, size=n), 3)
    df = pd.DataFrame(
        {
            "respondent_id": ids,
            "customer_id": cust,
            "wave": wave,
            "segment": seg_names,
            "weight": weight,
        }
    )
    lo, hi = b["scale"]
    olo, ohi = b["overall_scale"]
    labels = b["labels"]

    def as_text(vals: np.ndarray, kind: str) -> np.ndarray:
        if labels == "ru":
            words = _RU_SAT if kind == "sat" else _RU_AGREE
        elif labels == "en":
            words = _EN_AGREE
        else:
            return vals
        out = np.array([words[int(v) - 1] for v in vals], dtype=object)
        return out

    overall = sim["overall"].astype(float).copy()
    miss_overall = rng.random(n) < 0.01
    ov = overall.astype(object)
    if b["labels"] == "ru" and (olo, ohi) == (1, 5):
        ov = as_text(overall, "sat")
    ov = np.where(miss_overall, "", ov)
    df["q_overall"] = [_int_or_text(v) for v in ov]
    df["q_expectations"] = sim["expect"].astype(int)
    df["q_ideal"] = sim["ideal"].astype(int)
    df["q_recommend"] = sim["recommend"].astype(int)
    rep = sim["repurchase"]
    df["q_repurchase"] = [_int_or_text(v) for v in (as_text(rep, "agree") if labels else rep)]
    dk = "Затрудняюсь ответить" if labels == "ru" else "Don't know"
    for j, (key, *_rest) in enumerate(b["attributes"]):
        own = sim["own"][:, j]
        comp = sim["comp"][:, j]
        own_vals = as_text(own, "agree") if labels else own.astype(int)
        comp_vals = as_text(comp, "agree") if labels else comp.astype(int)
        own_vals = np.where(rng.random(n) < 0.01, dk, own_vals.astype(object))
        comp_vals = np.where(rng.random(n) < 0.06, dk, comp_vals.astype(object))
        df[f"q_{key}"] = [_int_or_text(v) for v in own_vals]
        df[f"c_{key}"] = [_int_or_text(v) for v in comp_vals]
    return df, ids, cust


def _int_or_text(v):
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    return v


def finance(b, cust, idx, seg_names, rng) -> pd.DataFrame:
    rev0 = b["revenue"]
    seg_mult = {s: 1.0 + 0.5 * i for i, s in enumerate(b["segments"])}
    base = rev0 * np.array([seg_mult[s] for s in seg_names])
    revenue = base * rng.lognormal(0, 0.25, size=len(cust)) + _REV_SLOPE * rev0 * (idx - 50)
    revenue = np.round(np.maximum(revenue, 0.05 * rev0), 2)
    margin = rng.uniform(0.12, 0.30, size=len(cust))
    cost = np.round(revenue * (1 - margin), 2)
    p = np.clip(_RET_BASE + _RET_SLOPE * (idx - 50), 0.02, 0.98)
    retained = (rng.random(len(cust)) < p).astype(int)
    return pd.DataFrame(
        {
            "customer_id": cust,
            "segment": seg_names,
            "revenue": revenue,
            "cost": cost,
            "retained": retained,
        }
    )


def calls(b, rng) -> pd.DataFrame:
    days = pd.bdate_range("2026-03-02", periods=20)
    slots = pd.timedelta_range("08:00:00", "19:30:00", freq="30min")
    per_day = b["calls_per_day"]
    # daily profile: morning and afternoon peaks
    h = np.array([s.total_seconds() / 3600 for s in slots])
    prof = np.exp(-((h - 10.5) ** 2) / 2.0) + 0.8 * np.exp(-((h - 14.5) ** 2) / 3.0) + 0.15
    prof = prof / prof.sum()
    rows = []
    for d in days:
        day_mult = 1.15 if d.day_of_week == 0 else (0.9 if d.day_of_week == 4 else 1.0)
        for s, share in zip(slots, prof, strict=True):
            lam = per_day * day_mult * share
            offered = int(rng.poisson(lam))
            aht = float(np.round(rng.normal(260, 15), 1))
            load = lam * aht / 1800.0
            # staffing planned on an average day: peaks are understaffed
            agents = max(1, int(np.ceil(per_day * share * aht / 1800.0 / 0.85)))
            occ = min(load / agents, 1.5)
            ab_rate = float(np.clip(0.01 + 0.25 * max(occ - 0.8, 0.0), 0.0, 0.4))
            abandoned = int(rng.binomial(offered, ab_rate))
            answered = offered - abandoned
            sl = float(np.clip(0.97 - 1.4 * max(occ - 0.7, 0.0), 0.15, 0.98))
            in_target = int(rng.binomial(answered, sl))
            rows.append(
                {
                    "interval_start": (d + s).strftime("%Y-%m-%d %H:%M"),
                    "offered": offered,
                    "answered": answered,
                    "answered_in_target": in_target,
                    "abandoned": abandoned,
                    "aht_s": aht,
                    "agents": agents,
                }
            )
    return pd.DataFrame(rows)


def claims(b, cust, rng) -> pd.DataFrame:
    n = max(40, len(cust) // 6)
    cats = b["claim_categories"]
    cat = rng.choice(len(cats), size=n, p=np.array([0.4, 0.3, 0.2, 0.1]))
    received = pd.Timestamp("2025-06-01") + pd.to_timedelta(rng.integers(0, 365, size=n), "D")
    days = np.round(rng.gamma(2.0, 9.0 + 4.0 * cat), 0)
    resolved = received + pd.to_timedelta(days, "D")
    open_ = resolved > pd.Timestamp("2026-05-31")
    scale = b["revenue"] * 0.02
    claimed = np.round(rng.lognormal(np.log(scale), 0.8, size=n), 2)
    settled = np.round(claimed * rng.beta(4, 2, size=n), 2)
    out = pd.DataFrame(
        {
            "claim_id": [f"CL{i + 1:05d}" for i in range(n)],
            "customer_id": rng.choice(cust, size=n),
            "received": received.strftime("%Y-%m-%d"),
            "resolved": np.where(open_, "", resolved.strftime("%Y-%m-%d")),
            "category": np.array(cats)[cat],
            "amount_claimed": claimed,
            "amount_settled": np.where(open_, np.nan, settled),
        }
    )
    if b.get("complaint_register"):
        out = _register_fields(out, b["complaint_register"], received, cat, rng.spawn(1)[0])
    return out


def _register_fields(out, spec, received, cat, rng) -> pd.DataFrame:
    """A complaints register's status fields (the US CFPB's are the model): when the
    company responded, on time (within ``timely_days``) or not, its response, whether
    the customer disputed it, the product and the channel. Drawn from a child generator
    so the other columns and tables stay as they were."""
    n = len(out)
    wait = np.round(rng.gamma(1.6, 2.5 + 1.5 * cat), 0)
    responded = received + pd.to_timedelta(wait, "D")
    missing = (responded > pd.Timestamp("2026-05-31")) | (rng.random(n) < 0.03)
    timely = (wait <= spec.get("timely_days", 15)).astype(float)
    responses = spec["responses"]
    relief = rng.random(n) < 0.25 + 0.1 * cat
    kind = np.where(relief, 1, rng.choice([0, 2, 3], size=n, p=[0.8, 0.15, 0.05]))
    disputed = (rng.random(n) < np.where(timely == 1, 0.12, 0.35)).astype(float)
    products = spec["products"]
    out["responded"] = np.where(missing, "", responded.strftime("%Y-%m-%d"))
    out["timely"] = pd.Series(np.where(missing, np.nan, timely)).astype("Int64")
    out["response"] = np.where(missing, "", np.array(responses)[kind])
    out["disputed"] = pd.Series(np.where(missing, np.nan, disputed)).astype("Int64")
    out["product"] = np.array(products)[np.minimum(cat, len(products) - 1)]
    out["channel"] = rng.choice(spec["channels"], size=n, p=spec.get("channel_shares"))
    return out


def quality(b, rng) -> pd.DataFrame:
    q = b["quality"]
    if q["kind"] == "measure":
        k, m = 40, 5
        shift = np.where(np.arange(k) >= 30, 1.2 * q["sd"], 0.0)  # a shift in phase II
        vals = q["mean"] + shift[:, None] + q["sd"] * rng.standard_normal((k, m))
        return pd.DataFrame(
            {
                "subgroup": np.repeat(np.arange(1, k + 1), m),
                "characteristic": q["characteristic"],
                "value": np.round(vals.ravel(), 4),
                "phase": np.repeat(np.where(np.arange(k) < 25, "trial", "monitor"), m),
            }
        )
    k = 40
    p = np.where(np.arange(k) >= 32, q["p"] * 1.8, q["p"])
    inspected = np.full(k, q["inspected"])
    return pd.DataFrame(
        {
            "subgroup": np.arange(1, k + 1),
            "inspected": inspected,
            "defective": rng.binomial(inspected, p),
            "phase": np.where(np.arange(k) < 25, "trial", "monitor"),
        }
    )


def deals(b, cust, seg_names, rng) -> pd.DataFrame:
    """The CRM's deals; with a scenario's ``crm`` section also product groups, channels,
    clients who come back (drawn from a smaller, skewed pool) and ``attrs["history"]``
    (the stage each deal went through, with the day it entered it)."""
    extra = b.get("crm") or {}
    n = int(extra.get("deals", 420))
    managers = ["A. Ivanova", "B. Keller", "C. Novak", "D. Rossi", "E. Lind", "F. Moreau"]
    skill = np.array([0.42, 0.35, 0.30, 0.25, 0.38, 0.20])
    sources = ["Website", "Referral", "Cold call", "Trade fair", "Partner"]
    src_lift = np.array([0.0, 0.15, -0.12, 0.05, 0.08])
    regions = ["North", "South", "East", "West"]
    reasons = ["Price", "Chose competitor", "No budget", "Timing", "No response"]
    mi = rng.integers(0, len(managers), size=n)
    si = rng.integers(0, len(sources), size=n)
    if extra:
        day = rng.integers(0, 500, size=n)
        ci = _returning_clients(len(cust), day, extra, rng)
    else:
        ci = rng.integers(0, len(cust), size=n)
        day = rng.integers(0, 500, size=n)
    created = pd.Timestamp("2025-01-06") + pd.to_timedelta(day, "D")
    cycle = np.round(rng.gamma(3.0, 15.0, size=n))
    closed = created + pd.to_timedelta(cycle, "D")
    cutoff = pd.Timestamp("2026-05-31")
    is_open = closed > cutoff
    lift = src_lift[si]
    if extra:
        groups, gi = _product_groups(extra["products"], ci, created, rng)
        lift = lift + np.array([g["win_lift"] for g in extra["products"].values()])[gi]
    p_win = np.clip(skill[mi] + lift, 0.05, 0.9)
    won = rng.random(n) < p_win
    outcome = np.where(is_open, "open", np.where(won, "won", "lost"))
    open_stages = np.array(["Lead", "Qualified", "Proposal", "Negotiation"])
    stage = np.where(
        outcome == "open",
        open_stages[rng.integers(0, 4, size=n)],
        np.where(outcome == "won", "Won", "Lost"),
    )
    planned = np.round(b["revenue"] * rng.lognormal(-1.2, 0.7, size=n), -1)
    if extra:
        scale = np.array([g["amount"] for g in extra["products"].values()])[gi]
        planned = np.maximum(np.round(planned * scale, -1), 10.0)
    paid_share = np.where(rng.random(n) < 0.8, 1.0, rng.uniform(0.0, 0.9, size=n))
    paid = np.where(outcome == "won", np.round(planned * paid_share, 2), np.nan)
    due = np.where(outcome == "won", (closed + pd.Timedelta(days=30)).strftime("%Y-%m-%d"), "")
    out = pd.DataFrame(
        {
            "deal_id": [f"D{i + 1:05d}" for i in range(n)],
            "manager": np.array(managers)[mi],
            "client": cust[ci],
            "segment": seg_names[ci],
            "region": np.array(regions)[rng.integers(0, 4, size=n)],
            "source": np.array(sources)[si],
            "stage": stage,
            "created": created.strftime("%Y-%m-%d"),
            "closed": np.where(is_open, "", closed.strftime("%Y-%m-%d")),
            "outcome": outcome,
            "refusal_reason": np.where(
                outcome == "lost", np.array(reasons)[rng.integers(0, 5, size=n)], ""
            ),
            "planned_amount": planned,
            "paid_amount": paid,
            "invoice_due": due,
        }
    )
    if extra:
        out.insert(6, "product_group", np.array(list(groups))[gi])
        channels = list(extra.get("channels", ["Direct", "Online"]))
        out.insert(7, "channel", np.array(channels)[rng.integers(0, len(channels), size=n)])
        out.attrs["history"] = _stage_history(out, created, cycle, open_stages, cutoff, rng)
    return out


def _returning_clients(n_cust: int, day: np.ndarray, extra: dict, rng) -> np.ndarray:
    """The client of each deal (created on ``day``): from a pool of ``extra["clients"]``,
    some far more active than others, each a client from a start day for an
    exponentially distributed time (mean ``extra["lifetime_days"]``, default 360), then
    gone: the drop-out a lifetime-value model must find."""
    pool = min(n_cust, int(extra.get("clients", 150)))
    weight = 1.0 / (np.arange(pool) + 4.0)
    start = rng.uniform(-250, 450, size=pool)
    end = start + rng.exponential(float(extra.get("lifetime_days", 360)), size=pool)
    ci = np.empty(len(day), dtype=int)
    for i, d in enumerate(day):
        w = weight * ((start <= d) & (d <= end))
        w = w if w.sum() > 0 else weight
        ci[i] = rng.choice(pool, p=w / w.sum())
    return ci


def _product_groups(products: dict, ci: np.ndarray, created, rng):
    """Each deal's product group: a client's first deal from the groups' ``first``
    shares, each later one from the previous group's ``next`` shares plus 0.01 for every
    group (what the next-best offer can learn)."""
    names = list(products)
    first = np.array([products[g]["first"] for g in names], dtype=float)
    gi = np.empty(len(ci), dtype=int)
    order = np.lexsort((created.to_numpy(), ci))
    prev_client, prev = None, 0
    for i in order:
        if ci[i] != prev_client:
            gi[i] = rng.choice(len(names), p=first / first.sum())
        else:
            follow = products[names[prev]]["next"]
            nxt = np.array([0.01 + follow.get(g, 0.0) for g in names], dtype=float)
            gi[i] = rng.choice(len(names), p=nxt / nxt.sum())
        prev_client, prev = ci[i], gi[i]
    return names, gi


def _stage_history(d: pd.DataFrame, created, cycle, open_stages, cutoff, rng) -> pd.DataFrame:
    """The day each deal entered each stage: closed deals split their cycle over the
    stages they passed (a lost deal is lost at a random stage), open deals have spent
    part of their time so far in the earlier stages and the rest in the current one."""
    stages = list(open_stages)
    rows = []
    for i, row in enumerate(d.itertuples(index=False)):
        start = created[i]
        if row.outcome == "open":
            k = stages.index(row.stage) + 1
            span = (cutoff - start).days * rng.uniform(0.2, 0.9)
        else:
            k = len(stages) if row.outcome == "won" else int(rng.integers(1, len(stages) + 1))
            span = float(cycle[i])
        cuts = np.concatenate([[0.0], np.cumsum(rng.dirichlet(np.full(k, 2.0)))[:-1]])
        if row.outcome == "open":
            cuts = cuts / cuts[-1] if k > 1 else cuts  # the current visit runs until today
        days = np.round(cuts * span)
        for stage, day in zip(stages[:k], days, strict=True):
            rows.append((row.deal_id, stage, start + pd.Timedelta(days=float(day))))
        if row.outcome != "open":
            rows.append((row.deal_id, row.stage, start + pd.Timedelta(days=float(cycle[i]))))
    h = pd.DataFrame(rows, columns=["deal_id", "stage", "entered"])
    h["entered"] = h["entered"].dt.strftime("%Y-%m-%d")
    return h


def contacts(d: pd.DataFrame, cutoff: pd.Timestamp, rng) -> pd.DataFrame:
    """The contact history of the deals: calls, demos, mailings and meetings between a
    deal's creation and its close (or the cutoff), about one every three weeks; each open
    deal's last contact plans the next one 3-30 days later (some of them already past)."""
    types = np.array(["call", "mailing", "demo", "meeting"])
    rows = []
    for row in d.itertuples(index=False):
        start = pd.Timestamp(row.created)
        end = pd.Timestamp(row.closed) if row.closed else cutoff
        span = max((end - start).days, 0)
        k = 1 + int(rng.poisson(span / 21))
        days = np.sort(rng.integers(0, span + 1, size=k))
        kinds = types[rng.choice(4, size=k, p=[0.5, 0.25, 0.15, 0.1])]
        for j, (day, kind) in enumerate(zip(days, kinds, strict=True)):
            date = start + pd.Timedelta(days=int(day))
            nxt = ""
            if row.outcome == "open" and j == k - 1:
                nxt = (date + pd.Timedelta(days=int(rng.integers(3, 31)))).strftime("%Y-%m-%d")
            rows.append(
                (row.client, date.strftime("%Y-%m-%d"), kind, row.manager, nxt, row.deal_id)
            )
    cols = ["client", "date", "type", "manager", "next_contact", "deal_id"]
    return pd.DataFrame(rows, columns=cols).sort_values(["date", "client"], kind="stable")
