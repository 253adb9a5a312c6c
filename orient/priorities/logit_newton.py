"""Newton-Raphson for stacks of logistic models on shared (or per-model) rows.

The machinery of :mod:`orient.priorities.logit_shapley`: every model is a coefficient
vector over all columns of the design (zero outside its drivers), so the linear
predictors, gradients and Hessians of a stack of models are matrix products. Steps are
taken in single precision (exponentials several times cheaper) until the fit is close,
then in double precision, from which the log-likelihood comes.
"""

from __future__ import annotations

import numpy as np

_DECREMENT = 1e-10  # Newton decrement (relative to |log L0|) at which a fit has converged
_REFRESH = 1e-3  # ... above which the next step uses a fresh Hessian
_MAX_ITER = 60
_COARSE = 1e-7  # ... below which the steps go on in double precision (single before it)
_COARSE_ITER = 12  # single-precision steps at most


def _lin(beta: np.ndarray, design: np.ndarray) -> np.ndarray:
    """Linear predictors (C, G) of the models ``beta`` (C, q)."""
    if design.ndim == 2:
        return beta @ design.T
    return np.matmul(design, beta[:, :, None])[:, :, 0]


def _tlin(r: np.ndarray, design: np.ndarray) -> np.ndarray:
    """``r`` (C, G) times the design: (C, q)."""
    if design.ndim == 2:
        return r @ design
    return np.matmul(r[:, None, :], design)[:, 0, :]


def _probs32(beta, design32, sa, ma):
    """Single-precision pass: (expit(eta), residual s1 - m expit(eta))."""
    eta = _lin(beta.astype(np.float32), design32)
    np.negative(eta, out=eta)
    with np.errstate(over="ignore"):
        np.exp(eta, out=eta)
    eta += 1.0
    prob = np.reciprocal(eta, out=eta)
    r = prob * -ma
    r += sa
    return prob, r


def _pass64(beta, design, sa, ma):
    """Double-precision pass: (expit(eta), residual, log-likelihood per model)."""
    eta = _lin(beta, design)
    e = np.abs(eta)
    np.negative(e, out=e)
    np.exp(e, out=e)  # exp(-|eta|), no overflow
    soft = np.log1p(e)
    soft += np.maximum(eta, 0.0)  # log(1 + exp(eta))
    prob = np.where(eta >= 0, 1.0, e)
    e += 1.0
    prob /= e
    r = prob * -ma
    r += sa
    soft *= ma
    ll = np.einsum("cg,cg->c", np.broadcast_to(sa, eta.shape), eta) - soft.sum(axis=1)
    return prob, r, ll


class _Fits:
    """The state of a stack of Newton-Raphson fits (see :func:`_newton_dense`)."""

    def __init__(self, start, hstart, active, ll0, s1, m):
        c, q = start.shape
        self.beta = start.copy()
        self.full = np.empty((c, q, q)) if hstart is None else hstart.copy()
        # a fresh Hessian first where none is given (NaN: the parent's was fitted on
        # rows merged over the new column)
        self.need = np.full(c, True) if hstart is None else np.isnan(hstart[:, 0, 0])
        self.ll = np.full(c, -np.inf)
        self.done = np.zeros(c, dtype=bool)
        self.fine = np.zeros(c, dtype=bool)
        self.coarse_left = np.full(c, _COARSE_ITER)
        self.active = active
        self.eps = _DECREMENT * np.abs(ll0)
        self.scale = np.abs(ll0)
        self.per_model = s1.ndim == 2
        self.w64 = (s1, m)
        self.w32 = (s1.astype(np.float32), m.astype(np.float32))

    def weights(self, g, fine):
        sa, ma = self.w64 if fine else self.w32
        return (sa[g], ma[g]) if self.per_model else (sa, ma)


def _newton_step(st, g, fine, design, design32, pairs):
    """One Newton step of the fits ``g`` (in single precision until they are close, then
    in double); returns False when a Hessian stack is singular."""
    q = design.shape[-1]
    iu, ju = np.triu_indices(q)
    diag = np.arange(q)
    act = st.active[g]
    dg, dg32, pg = (
        (design, design32, pairs) if design.ndim == 2 else (design[g], design32[g], pairs[g])
    )
    sa, ma = st.weights(g, fine)
    if fine:
        prob, r, llg = _pass64(st.beta[g], dg, sa, ma)
        grad = _tlin(r, dg) * act
    else:
        prob, r = _probs32(st.beta[g], dg32, sa, ma)
        grad = _tlin(r, dg32).astype(np.float64) * act
    fresh = st.need[g]
    if fresh.any():
        # single precision suffices: the Hessian sets the step, not the optimum
        # (the gradient, in double precision at the end, does)
        pf = prob[fresh].astype(np.float32)
        v = (1.0 - pf) * pf
        v *= ma[fresh] if st.per_model else ma
        packed = _tlin(v.astype(np.float32), pg if pg.ndim == 2 else pg[fresh])
        rows = g[fresh]
        st.full[rows[:, None], iu, ju] = packed
        st.full[rows[:, None], ju, iu] = packed
    hess = np.where(act[:, :, None] & act[:, None, :], st.full[g], 0.0)
    hess[:, diag, diag] += ~act  # identity on the columns left out
    try:
        step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:  # a singular stack: these fits stay unconverged
        return False
    dec = np.einsum("ck,ck->c", grad, step)
    bad = ~np.isfinite(dec)
    if fine:
        fin = (dec < st.eps[g]) | bad
        st.ll[g[fin]] = llg[fin] + np.where(bad[fin], 0.0, dec[fin] / 2)
        st.done[g[fin]] = True
        st.beta[g[~fin]] += step[~fin]
    else:
        st.beta[g[~bad]] += step[~bad]
        st.coarse_left[g] -= 1
        close = (dec < _COARSE * st.scale[g]) | bad | (st.coarse_left[g] <= 0)
        st.fine[g[close]] = True
    st.need[g] = dec >= _REFRESH * st.scale[g]
    return True


def _newton_dense(
    design: np.ndarray,
    design32: np.ndarray,
    pairs: np.ndarray,
    s1: np.ndarray,
    m: np.ndarray,
    start: np.ndarray,
    hstart: np.ndarray | None,
    active: np.ndarray,
    ll0: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Newton-Raphson for a stack of logistic models on the same rows.

    Each model is a coefficient vector over every column of ``design`` (G, q), or of
    its own rows ``design[c]`` ((C, G, q): padded with rows of zero weight), zero
    outside its ``active`` columns (C, q), so that the linear predictors, gradients and
    Hessians of all models are matrix products with the design (``pairs``: the
    products of its columns, upper triangle, single precision). ``s1`` and ``m`` are
    (G,) or one row per model (C, G) (bootstrap resamples: the same rows, other
    weights); ``ll0`` (C,). The steps are taken in single precision (``design32``:
    exponentials several times cheaper) until the Newton decrement is below
    ``_COARSE |log L0|``, then in double precision until it is below ``_DECREMENT
    |log L0|``, which the first double step nearly always is; the log-likelihood comes
    from that last double-precision pass.
    The Hessian over all columns is kept: ``hstart`` (the parent models' last
    Hessians, at the point each child starts from) serves the first step; a fresh one
    is computed while the Newton decrement is large and reused once it is small (the
    step then converges at least linearly, fast). Returns (coefficients (C, q),
    log-likelihood at the optimum (C,), last Hessians (C, q, q), converged (C,)).
    """
    st = _Fits(start, hstart, active, ll0, s1, m)
    for _ in range(_MAX_ITER):
        a = np.flatnonzero(~st.done)
        if len(a) == 0:
            break
        fine = st.fine[a]
        if not all(
            _newton_step(st, g, f, design, design32, pairs)
            for g, f in ((a[~fine], False), (a[fine], True))
            if len(g)
        ):
            break
    left = np.flatnonzero(~st.done)  # not converged (separation): the likelihood where they are
    if len(left):
        sa, ma = st.weights(left, True)
        st.ll[left] = _pass64(st.beta[left], design if design.ndim == 2 else design[left], sa, ma)[
            2
        ]
    beta = st.beta
    ok = st.done & np.all(np.isfinite(beta), axis=1) & (np.max(np.abs(beta), axis=1) <= 30)
    return beta, st.ll, st.full, ok
