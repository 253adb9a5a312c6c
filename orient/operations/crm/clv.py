"""Customer lifetime value: BG/NBD purchase counts and Gamma-Gamma spend.

BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
alive a customer buys as a Poisson process with rate ``lambda ~ Gamma(r, alpha)``
and after each purchase drops out with probability ``p ~ Beta(a, b)``. Gamma-Gamma
(Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): each purchase's
amount is ``Gamma(p, nu)`` with ``nu ~ Gamma(q, gamma)``, independent of the counts.

Both are fitted by maximum likelihood on log-parameters (scipy's Nelder-Mead then
L-BFGS-B) from the closed-form log-likelihoods. The data are per client: ``frequency``
(repeat purchases, i.e. purchase periods after the first), ``recency`` (time from the
first to the last purchase) and ``T`` (time from the first purchase to the end of
observation), built from a transactions frame by :func:`rfm_table`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import integrate, optimize, special, stats

from orient.errors import DataError

__all__ = [
    "BGNBD",
    "GammaGamma",
    "bgnbd_log_likelihood",
    "customer_lifetime_value",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "gamma_gamma_log_likelihood",
    "rfm_table",
]


def rfm_table(
    transactions: pd.DataFrame,
    *,
    client: str = "client",
    date: str = "date",
    amount: str | None = "amount",
    as_of: Any = None,
    period_days: float = 7.0,
    file: str = "transactions",
) -> pd.DataFrame:
    """Frequency, recency, T (in periods of ``period_days``) and mean repeat spend per client.

    Purchases of one client on one day count as one purchase (amounts summed);
    ``frequency`` is the number of purchase days after the first, ``monetary`` the
    mean amount of those repeat purchases (0 for a client with none), as in the
    BG/NBD and Gamma-Gamma papers. ``as_of`` defaults to the latest date.
    """
    for col in [client, date] + ([amount] if amount else []):
        if col not in transactions.columns:
            raise DataError(
                "column missing",
                file=file,
                column=col,
                expected=f"columns {client}, {date}" + (f", {amount}" if amount else ""),
            )
    dates = pd.to_datetime(transactions[date], errors="coerce")
    if dates.isna().any():
        raise DataError.at_first(
            dates.isna(), "not a date", values=transactions[date], file=file, column=date
        )
    t = pd.DataFrame({"client": transactions[client].astype(str), "day": dates.dt.normalize()})
    if amount:
        amt = pd.to_numeric(transactions[amount], errors="coerce")
        bad = amt.isna() | (amt < 0)
        if bad.any():
            raise DataError.at_first(
                bad,
                "not a non-negative amount",
                values=transactions[amount],
                file=file,
                column=amount,
                expected="a number of 0 or more",
            )
        t["amount"] = amt.to_numpy()
    else:
        t["amount"] = 0.0
    end = pd.Timestamp(as_of) if as_of is not None else t["day"].max()
    days = t.groupby(["client", "day"], sort=True)["amount"].sum().reset_index()
    g = days.groupby("client", sort=True)
    first = g["day"].min()
    last = g["day"].max()
    n = g.size()
    total = g["amount"].sum()
    first_amount = days.drop_duplicates("client").set_index("client")["amount"]
    freq = (n - 1).astype(float)
    repeat_total = total - first_amount.reindex(total.index)
    monetary = np.where(freq > 0, repeat_total / freq.where(freq > 0, 1.0), 0.0)
    unit = pd.Timedelta(days=period_days)
    return pd.DataFrame(
        {
            "frequency": freq,
            "recency": (last - first) / unit,
            "T": (end - first) / unit,
            "monetary": monetary,
        }
    )


def _arrays(frequency, recency, T):
    x = np.asarray(frequency, dtype=float)
    tx = np.asarray(recency, dtype=float)
    T = np.asarray(T, dtype=float)
    return x, tx, T


def bgnbd_log_likelihood(params, frequency, recency, T) -> np.ndarray:
    """Each client's BG/NBD log-likelihood (FHL 2005, eq. 6) at ``(r, alpha, a, b)``."""
    r, alpha, a, b = params
    x, tx, T = _arrays(frequency, recency, T)
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.betaln(a, b + x) - special.betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(
            x > 0,
            np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx),
            -np.inf,
        )
    # B(a+1, b+x-1)/B(a,b+x) = a/(b+x-1): the drop-out term shares a2
    return a1 + a2 + np.logaddexp(a3, a4)


def gamma_gamma_log_likelihood(params, frequency, monetary) -> np.ndarray:
    """Log density of each client's mean repeat spend given its count (p, q, gamma)."""
    p, q, g = params
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary, dtype=float)
    return (
        special.gammaln(p * x + q)
        - special.gammaln(p * x)
        - special.gammaln(q)
        + q * np.log(g)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(g + x * m)
    )


def _fit(neg_ll, start) -> tuple[np.ndarray, float]:
    def f(theta):
        v = neg_ll(np.exp(theta))
        return v if np.isfinite(v) else 1e300

    res = optimize.minimize(f, np.log(start), method="Nelder-Mead", options={"maxiter": 4000})
    res = optimize.minimize(f, res.x, method="L-BFGS-B")
    res = optimize.minimize(
        f, res.x, method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000}
    )
    return np.exp(res.x), float(res.fun)


def _alive_purchases(t: float, shape: float, rate: float, a: float, b: float) -> float:
    """E[purchases in the next t | alive] = E_p[(1 - (rate / (rate + p t))^shape) / p]
    for p ~ Beta(a, b): a live customer with purchase rate ~ Gamma(shape, rate) buys
    (1 - exp(-lam p t)) / p on average. Where Beta(a, b) puts all but 1e-12 of its mass
    below a p at which the integrand differs from its value at 0 by less than 1e-9, that
    value, ``t shape / rate``, is returned (no drop-out to speak of)."""

    def g(p):
        p = np.asarray(p, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            v = -np.expm1(-shape * np.log1p(p * t / rate)) / p
        return np.where(p > 0, v, shape * t / rate)

    top = float(stats.beta.isf(1e-12, a, b))
    if top * t * (shape + 1) / rate < 1e-9:
        return float(shape * t / rate)
    # over the quantiles u of Beta(a, b): a bounded integrand, no singular density
    value, _ = integrate.quad(lambda u: float(g(stats.beta.ppf(u, a, b))), 0, 1, limit=200)
    return float(value)


@dataclass(frozen=True)
class BGNBD:
    """A fitted BG/NBD model: ``r``, ``alpha`` (purchase rate), ``a``, ``b`` (drop-out)."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n: int

    @property
    def params(self) -> tuple[float, float, float, float]:
        return (self.r, self.alpha, self.a, self.b)

    def _odds(self, x, tx, T):
        r, alpha, a, b = self.params
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(
                x > 0,
                a / np.maximum(b + x - 1, 1e-300) * ((alpha + T) / (alpha + tx)) ** (r + x),
                0.0,
            )
        return d

    def p_alive(self, frequency, recency, T) -> np.ndarray:
        """P(still a customer at ``T``) given the history (FHL 2005, eq. 12)."""
        x, tx, T = _arrays(frequency, recency, T)
        return 1.0 / (1.0 + self._odds(x, tx, T))

    def expected_purchases(self, t, frequency, recency, T) -> np.ndarray:
        """Expected purchases in the next ``t`` periods given the history (FHL 2005, eq. 10).

        The closed form loses all precision when the fit finds almost no drop-out (``b``
        in the millions, ``a`` near 0: the data show no customer leaving) or ``a`` near 1;
        where it is not finite or leaves its bounds (0 and the no-drop-out value
        ``t (r + x) / (alpha + T)``), the expectation over the drop-out probability is
        integrated numerically instead (:func:`_alive_purchases`)."""
        r, alpha, a, b = self.params
        x, tx, T = _arrays(frequency, recency, T)
        t = float(t)
        with np.errstate(all="ignore"):
            z = t / (alpha + T + t)
            h = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
            ratio = ((alpha + T) / (alpha + T + t)) ** (r + x)
            alive = (a + b + x - 1) / (a - 1) * (1 - ratio * h)
        bound = t * (r + x) / (alpha + T)
        bad = ~np.isfinite(alive) | (alive < 0) | (alive > bound * (1 + 1e-9))
        bad |= abs(a - 1) < 1e-6
        for i in np.flatnonzero(bad):
            alive[i] = _alive_purchases(t, r + x[i], alpha + T[i], a, b + x[i])
        return alive / (1.0 + self._odds(x, tx, T))

    def expected_new(self, t) -> np.ndarray:
        """Expected purchases of a new customer in ``t`` periods (FHL 2005, eq. 9)."""
        r, alpha, a, b = self.params
        t = np.asarray(t, dtype=float)
        h = special.hyp2f1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * h)


@dataclass(frozen=True)
class GammaGamma:
    """A fitted Gamma-Gamma spend model: ``p``, ``q``, ``gamma``."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    n: int

    @property
    def params(self) -> tuple[float, float, float]:
        return (self.p, self.q, self.gamma)

    @property
    def population_mean(self) -> float:
        """Mean spend per purchase across customers, ``p * gamma / (q - 1)``."""
        return self.p * self.gamma / (self.q - 1) if self.q > 1 else float("inf")

    def expected_spend(self, frequency, monetary) -> np.ndarray:
        """E[spend per purchase | x, mean] = p (gamma + x m) / (p x + q - 1)."""
        x = np.asarray(frequency, dtype=float)
        m = np.asarray(monetary, dtype=float)
        return self.p * (self.gamma + x * m) / (self.p * x + self.q - 1)


def fit_bgnbd(rfm: pd.DataFrame, start=(1.0, 1.0, 1.0, 1.0)) -> BGNBD:
    """BG/NBD by maximum likelihood from ``frequency``, ``recency``, ``T`` columns."""
    x, tx, T = _arrays(rfm["frequency"], rfm["recency"], rfm["T"])
    if len(x) == 0:
        raise DataError("no clients to fit the purchase model on")
    params, nll = _fit(lambda th: -bgnbd_log_likelihood(th, x, tx, T).sum(), start)
    return BGNBD(*map(float, params), log_likelihood=-nll, n=len(x))


def fit_gamma_gamma(rfm: pd.DataFrame, start=(1.0, 1.0, 1.0)) -> GammaGamma:
    """Gamma-Gamma by maximum likelihood on the clients with repeat purchases."""
    keep = (rfm["frequency"] > 0) & (rfm["monetary"] > 0)
    x = rfm.loc[keep, "frequency"].to_numpy(float)
    m = rfm.loc[keep, "monetary"].to_numpy(float)
    if len(x) < 3:
        raise DataError(
            "too few clients with repeat purchases to fit the spend model",
            expected="at least 3 clients with 2 or more purchase days",
        )
    params, nll = _fit(lambda th: -gamma_gamma_log_likelihood(th, x, m).sum(), start)
    return GammaGamma(*map(float, params), log_likelihood=-nll, n=len(x))


def customer_lifetime_value(
    bgnbd: BGNBD,
    spend: GammaGamma,
    rfm: pd.DataFrame,
    *,
    horizon: int = 12,
    step: float = 30.0 / 7.0,
    discount_rate: float = 0.01,
) -> pd.Series:
    """Discounted value of each client's purchases over ``horizon`` steps of ``step``
    periods: sum over i of (E[Y(i step)] - E[Y((i-1) step)]) * E[spend] / (1+d)^i,
    with ``discount_rate`` d per step (by default months of 30 days on weekly periods)."""
    x, tx, T = _arrays(rfm["frequency"], rfm["recency"], rfm["T"])
    value = spend.expected_spend(x, rfm["monetary"].to_numpy(float))
    total = np.zeros(len(x))
    prev = np.zeros(len(x))
    for i in range(1, horizon + 1):
        cur = bgnbd.expected_purchases(i * step, x, tx, T)
        total += (cur - prev) * value / (1 + discount_rate) ** i
        prev = cur
    return pd.Series(total, index=rfm.index, name="clv")
