"""Control-chart constants computed from their definitions, not read from a table.

``d2(n)`` (mean of the range of n standard normals) and ``d3(n)`` (its standard
deviation) by numerical integration, ``c4(n)`` (the bias of the sample standard
deviation) from the gamma function.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from scipy import integrate, special, stats

from orient._validate import check_positive_int

__all__ = ["c4", "d2", "d3"]


@cache
def d2(n: int) -> float:
    """Expected range of ``n`` independent standard normal values.

    ``d2(n) = integral of 1 - Phi(x)^n - (1 - Phi(x))^n over the real line``.
    """
    n = check_positive_int(n, "n")
    if n < 2:
        raise ValueError(f"`n` must be >= 2 for a range; got {n}.")

    def f(x):
        return 1 - stats.norm.cdf(x) ** n - stats.norm.sf(x) ** n

    return float(integrate.quad(f, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12, limit=200)[0])


@cache
def d3(n: int) -> float:
    """Standard deviation of the range of ``n`` independent standard normal values.

    From ``E[R^2] = 2 * integral of r P(R > r) dr`` with
    ``P(R <= r) = n * integral of phi(x) (Phi(x + r) - Phi(x))^(n-1) dx``.
    """
    n = check_positive_int(n, "n")
    if n < 2:
        raise ValueError(f"`n` must be >= 2 for a range; got {n}.")

    # P(R <= r) = n * integral of phi(x) (Phi(x + r) - Phi(x))^(n-1) dx, on a fine grid
    # (Simpson's rule; the integrands are smooth and negligible beyond |x| = 9, r = 18)
    x = np.linspace(-9.0, 9.0, 1201)
    r = np.linspace(0.0, 18.0, 1201)
    phi = stats.norm.pdf(x)
    cdf_r = n * integrate.simpson(
        phi * (special.ndtr(x[None, :] + r[:, None]) - special.ndtr(x)[None, :]) ** (n - 1),
        x=x,
        axis=1,
    )
    second = 2 * integrate.simpson(r * (1 - cdf_r), x=r)
    return float(math.sqrt(second - d2(n) ** 2))


def c4(n: int) -> float:
    """Bias of the sample standard deviation: ``E[s] = c4(n) sigma`` for normal data."""
    n = check_positive_int(n, "n")
    if n < 2:
        raise ValueError(f"`n` must be >= 2; got {n}.")
    return float(
        math.sqrt(2 / (n - 1)) * math.exp(special.gammaln(n / 2) - special.gammaln((n - 1) / 2))
    )
