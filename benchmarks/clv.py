"""BG/NBD and Gamma-Gamma against the published CDNOW figures.

    python benchmarks/clv.py PATH/cdnow_customers_summary_with_transactions.csv

The CSV (2,357 CDNOW customers, columns ID, x, t_x, T, zbar; weeks) ships with the
``lifetimes`` package (lifetimes/datasets/); it is not part of orient. Published:
BG/NBD r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, log-likelihood -9582.4
(Fader, Hardie & Lee 2005); Gamma-Gamma p = 6.25, q = 3.74, gamma = 15.44 (lifetimes'
documentation). Measured (orient.operations.crm.clv, scipy ML on log-parameters):

    BG/NBD   r = 0.2426  alpha = 4.414  a = 0.7929  b = 2.426  LL = -9582.43
    Gamma-G  p = 6.249   q = 3.745      gamma = 15.45 (946 repeat buyers)
    customer 1 (x=2, t_x=30.43, T=38.86): 1.226 expected purchases in the next 39
    weeks (FHL 2005 report 1.226), P(alive) = 0.727; fits take under a second together.
"""

from __future__ import annotations

import sys
import time

import pandas as pd

from orient.operations.crm.clv import fit_bgnbd, fit_gamma_gamma


def main(path: str) -> None:
    d = pd.read_csv(path)
    rfm = pd.DataFrame({"frequency": d.x, "recency": d.t_x, "T": d["T"], "monetary": d.zbar})
    t0 = time.perf_counter()
    m = fit_bgnbd(rfm)
    g = fit_gamma_gamma(rfm)
    dt = time.perf_counter() - t0
    print(
        f"BG/NBD  r={m.r:.4f} alpha={m.alpha:.4f} a={m.a:.4f} b={m.b:.4f} LL={m.log_likelihood:.2f}"
    )
    print(f"Gamma-Gamma p={g.p:.4f} q={g.q:.4f} gamma={g.gamma:.4f} n={g.n}")
    e = float(m.expected_purchases(39, 2, 30.43, 38.86))
    print(
        f"customer 1: E[purchases in 39 weeks]={e:.4f} P(alive)={float(m.p_alive(2, 30.43, 38.86)):.4f}"
    )
    print(f"fitting took {dt:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1])
