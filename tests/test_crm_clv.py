"""BG/NBD and Gamma-Gamma: likelihoods against numerical integration of the model's
definition, parameters recovered from data simulated from the model, the posterior
expectations against integration, and the transactions-to-RFM step by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

from orient.errors import DataError
from orient.operations.crm.clv import (
    BGNBD,
    GammaGamma,
    bgnbd_log_likelihood,
    customer_lifetime_value,
    fit_bgnbd,
    fit_gamma_gamma,
    gamma_gamma_log_likelihood,
    rfm_table,
)

R, ALPHA, A, B = 0.8, 3.0, 1.5, 3.5


def _individual(lam, p, x, tx, T):
    """Likelihood of (x, t_x, T) for one customer with known rate and drop-out: alive
    after x purchases and none in (t_x, T], or dropped out right after the x-th."""
    alive = (1 - p) ** x * lam**x * np.exp(-lam * T)
    dead = p * (1 - p) ** (x - 1) * lam**x * np.exp(-lam * tx) if x > 0 else 0.0
    return alive + dead


def _mix(f, n=160):
    """Integrate f(lam, p) against the Gamma(r, alpha) x Beta(a, b) prior by Gauss
    quadrature: generalised Laguerre for the rate (weight u^(r-1) e^-u, lam = u / alpha)
    and Jacobi for the drop-out (weight (1-y)^(b-1) (1+y)^(a-1), p = (1 + y) / 2)."""
    u, wu = special.roots_genlaguerre(n, R - 1)
    y, wy = special.roots_jacobi(n, B - 1, A - 1)
    lam = (u / ALPHA)[:, None]
    p = ((1 + y) / 2)[None, :]
    w = wu[:, None] * wy[None, :] / special.gamma(R) / (2 ** (A + B - 1) * special.beta(A, B))
    return float((w * f(lam, p)).sum())


@pytest.mark.parametrize("x,tx,T", [(0, 0.0, 5.0), (1, 2.0, 5.0), (3, 4.5, 6.0), (5, 1.0, 8.0)])
def test_bgnbd_likelihood_equals_integral_over_rate_and_dropout(x, tx, T):
    direct = _mix(lambda lam, p: _individual(lam, p, x, tx, T))
    ll = bgnbd_log_likelihood((R, ALPHA, A, B), [x], [tx], [T])[0]
    assert ll == pytest.approx(np.log(direct), abs=1e-6)


@pytest.mark.parametrize("x,tx,T,t", [(0, 0.0, 5.0, 4.0), (2, 4.0, 6.0, 10.0), (4, 1.5, 7.0, 3.0)])
def test_conditional_expectation_and_p_alive_equal_posterior_integrals(x, tx, T, t):
    m = BGNBD(R, ALPHA, A, B, log_likelihood=np.nan, n=0)
    norm = _mix(lambda lam, p: _individual(lam, p, x, tx, T))
    alive = _mix(lambda lam, p: (1 - p) ** x * lam**x * np.exp(-lam * T))
    # a live customer buys (1 - exp(-lam p t)) / p in the next t periods on average
    future = _mix(
        lambda lam, p: (1 - p) ** x * lam**x * np.exp(-lam * T) * (1 - np.exp(-lam * p * t)) / p
    )
    assert m.p_alive(x, tx, T) == pytest.approx(alive / norm, rel=1e-6)
    assert m.expected_purchases(t, x, tx, T) == pytest.approx(future / norm, rel=1e-6)


def test_expected_new_customer_purchases_by_simulation():
    rng = np.random.default_rng(1)
    m = BGNBD(R, ALPHA, A, B, log_likelihood=np.nan, n=0)
    x, _, _ = _simulate_bgnbd(rng, 60_000, 10.0)
    # repeat purchases in the first 10 periods after the first purchase
    assert x.mean() == pytest.approx(float(m.expected_new(10.0)), rel=0.03)


def _simulate_bgnbd(rng, n, T, r=R, alpha=ALPHA, a=A, b=B):
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x = np.zeros(n)
    tx = np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / lam[i])
            if t > T:
                break
            x[i] += 1
            tx[i] = t
            if rng.random() < p[i]:
                break
    return x, tx, np.full(n, T)


def test_bgnbd_recovers_simulated_parameters():
    rng = np.random.default_rng(7)
    x, tx, T = _simulate_bgnbd(rng, 20_000, 30.0)
    fit = fit_bgnbd(pd.DataFrame({"frequency": x, "recency": tx, "T": T}))
    assert fit.r == pytest.approx(R, rel=0.08)
    assert fit.alpha == pytest.approx(ALPHA, rel=0.10)
    assert fit.a == pytest.approx(A, rel=0.2)
    assert fit.b == pytest.approx(B, rel=0.25)


def test_gamma_gamma_likelihood_equals_integral_over_scale():
    p, q, g = 4.0, 3.0, 12.0
    for x, m in [(1, 5.0), (3, 2.5), (6, 4.0)]:
        # the mean of x Gamma(p, rate nu) amounts is Gamma(p x, rate x nu)
        val, _ = integrate.quad(
            lambda nu, x=x, m=m: (
                stats.gamma.pdf(m, p * x, scale=1 / (x * nu)) * stats.gamma.pdf(nu, q, scale=1 / g)
            ),
            0,
            np.inf,
            epsabs=1e-14,
        )
        assert gamma_gamma_log_likelihood((p, q, g), [x], [m])[0] == pytest.approx(
            np.log(val), abs=1e-7
        )


def test_gamma_gamma_recovers_simulated_parameters():
    rng = np.random.default_rng(3)
    p, q, g, n = 5.0, 4.0, 20.0, 20_000
    nu = rng.gamma(q, 1 / g, n)
    x = rng.integers(1, 8, n)
    mean = rng.gamma(p * x, 1 / (x * nu))
    fit = fit_gamma_gamma(pd.DataFrame({"frequency": x, "monetary": mean}))
    assert fit.p == pytest.approx(p, rel=0.1)
    assert fit.q == pytest.approx(q, rel=0.1)
    assert fit.gamma == pytest.approx(g, rel=0.15)


def test_expected_spend_equals_simulated_posterior_mean():
    # E[p / nu | x = 2, mean near 30] from simulated customers' true mean spend p / nu
    rng = np.random.default_rng(5)
    p, q, g, n = 5.0, 4.0, 20.0, 400_000
    nu = rng.gamma(q, 1 / g, n)
    mean = rng.gamma(2 * p, 1 / (2 * nu))
    sel = np.abs(mean - 30.0) < 1.0
    truth = (p / nu[sel]).mean()
    model = GammaGamma(p, q, g, np.nan, 0).expected_spend(2, 30.0)
    assert model == pytest.approx(truth, rel=0.02)


def test_rfm_table_by_hand():
    tr = pd.DataFrame(
        {
            "client": ["a", "a", "a", "a", "b", "c", "c"],
            "date": [
                "2024-01-01",
                "2024-01-01",
                "2024-01-15",
                "2024-01-29",
                "2024-01-08",
                "2024-01-08",
                "2024-01-22",
            ],
            "amount": [10, 5, 20, 30, 7, 3, 9],
        }
    )
    rfm = rfm_table(tr, as_of="2024-02-05")
    assert rfm.loc["a"].tolist() == [2.0, 4.0, 5.0, 25.0]
    assert rfm.loc["b"].tolist() == [0.0, 0.0, 4.0, 0.0]
    assert rfm.loc["c"].tolist() == [1.0, 2.0, 4.0, 9.0]


def test_rfm_table_names_bad_rows():
    tr = pd.DataFrame({"client": ["a", "b"], "date": ["2024-01-01", "soon"], "amount": [1, 2]})
    with pytest.raises(DataError, match="row 3"):
        rfm_table(tr)
    tr = pd.DataFrame({"client": ["a"], "day": ["2024-01-01"], "amount": [1]})
    with pytest.raises(DataError, match="'date'"):
        rfm_table(tr)


def test_clv_is_discounted_sum_of_expected_purchases_times_spend():
    m = BGNBD(R, ALPHA, A, B, np.nan, 0)
    s = GammaGamma(5.0, 4.0, 20.0, np.nan, 0)
    rfm = pd.DataFrame({"frequency": [3.0], "recency": [8.0], "T": [10.0], "monetary": [6.0]})
    clv = customer_lifetime_value(m, s, rfm, horizon=3, step=4.0, discount_rate=0.1)
    e = [float(m.expected_purchases(4.0 * i, 3, 8.0, 10.0)) for i in range(4)]
    spend = 5.0 * (20.0 + 18.0) / (15.0 + 3.0)
    want = sum((e[i] - e[i - 1]) * spend / 1.1**i for i in range(1, 4))
    assert clv.iloc[0] == pytest.approx(want, rel=1e-12)
    assert e[0] == pytest.approx(0.0, abs=1e-12)


def _beta_expectation(f, a, b):
    """E f(p) for p ~ Beta(a, b) by quadrature on log p (independent of the code's own
    quantile integral)."""
    logpdf = stats.beta(a, b).logpdf

    def integrand(s):
        p = np.exp(s)
        return f(p) * np.exp(logpdf(p) + s) if p < 1 else 0.0

    lo = np.log(stats.beta.ppf(1e-15, a, b))
    value, _ = integrate.quad(integrand, lo, 0.0, limit=400, points=[np.log(a / (a + b))])
    return value


@pytest.mark.parametrize(("a", "b"), [(0.0009, 8.7e10), (0.3, 2e5), (0.999999, 3.0), (2.0, 50.0)])
def test_expected_purchases_stay_right_where_the_closed_form_breaks(a, b):
    """Almost no drop-out (a fit on customers who never leave: b in the billions), a
    large b or a at 1 break FHL's eq. 10 numerically; the expectation over the drop-out
    probability, integrated on log p, is the reference."""
    r, alpha, x, tx, T, t = 0.73, 31.2, 2.0, 20.0, 40.0, 51.4
    m = BGNBD(r, alpha, a, b, log_likelihood=np.nan, n=0)
    shape, rate = r + x, alpha + T
    if b > 1e9:  # drop-out below 1e-12 a purchase: the no-drop-out (NBD) limit
        alive = t * shape / rate
    else:
        # 1 - (rate / (rate + p t))^shape, without cancelling to 0 for tiny p
        alive = _beta_expectation(
            lambda p: -np.expm1(-shape * np.log1p(p * t / rate)) / p, a, b + x
        )
    expected = alive * m.p_alive(x, tx, T)
    got = m.expected_purchases(t, [x], [tx], [T])[0]
    assert got == pytest.approx(expected, rel=1e-6)
    assert 0 <= got <= t * shape / rate
