"""Reference values for test/stats: computed with scipy (Debian's python3-scipy).

Run: /usr/bin/python3 test/stats/reference/make_vectors.py > test/stats/reference/vectors.json
The JSON is committed, so the tests need no Python. Where scipy has no function (the exact
sign-flip permutation with ties, Newcombe's paired interval) the value is computed here from its
definition, on top of scipy's building blocks, as an independent second implementation.
"""
import itertools
import json
import math
import random
import warnings

import numpy as np
import scipy
from scipy import stats

warnings.simplefilter("ignore")
rng = random.Random(20261124)
out = {"scipy": scipy.__version__}

out["t_sf"] = [[t, df, float(stats.t.sf(t, df))] for t, df in [
    (0.1, 1), (2.5, 10), (2.015, 5), (-1.3, 3.7), (4.2, 2.5), (12.0, 30), (50.0, 4), (1.96, 1e5), (0.7, 0.8), (3.3, 17.25), (8.0, 200), (25.0, 9)]]
out["t_quantile"] = [[p, df, float(stats.t.ppf(p, df))] for p, df in [
    (0.975, 1), (0.975, 2), (0.975, 9), (0.995, 3.5), (0.9, 120), (0.999999, 6), (0.6, 40), (0.025, 14), (0.975, 1e4)]]
out["normal_sf"] = [[z, float(stats.norm.sf(z))] for z in [-8, -3, -1.5, 0, 0.5, 1.959963984540054, 3, 6, 9, 12, 20]]
out["normal_quantile"] = [[p, float(stats.norm.ppf(p))] for p in [1e-20, 1e-10, 1e-4, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999, 1 - 1e-12]]
out["binomial"] = [[k, n, p, float(stats.binom.cdf(k, n, p)), float(stats.binom.sf(k - 1, n, p))] for k, n, p in [
    (3, 10, 0.5), (0, 20, 0.3), (14, 20, 0.3), (20, 1500, 0.5), (700, 1500, 0.5), (5, 50, 0.02), (2900, 3000, 0.97)]]
out["binomtest"] = [[k, n, p, float(stats.binomtest(k, n, p).pvalue)] for k, n, p in [
    (3, 10, 0.5), (7, 10, 0.5), (0, 5, 0.5), (2, 30, 0.2), (10, 30, 0.2), (682, 925, 0.75), (1, 1, 0.5), (40, 100, 0.5), (13, 60, 0.1)]]
out["mcnemar"] = [[b, c, float(stats.binomtest(min(b, c), b + c, 0.5).pvalue)] for b, c in [(3, 12), (10, 10), (0, 7), (25, 41), (1, 0), (150, 190)]]

def sample(n, loc=0.0, scale=1.0, digits=3):
    return [round(rng.gauss(loc, scale), digits) for _ in range(n)]

paired = []
for n, shift in [(2, 0.3), (5, 0.5), (12, 0.2), (30, 0.1), (80, -0.05)]:
    x = sample(n)
    y = [round(v + shift + rng.gauss(0, 0.4), 3) for v in x]
    res = stats.ttest_rel(x, y)
    paired.append([x, y, float(res.statistic), float(res.pvalue)])
out["ttest_rel"] = paired

welch = []
for n1, n2, shift, s2 in [(3, 4, 1.0, 2.0), (10, 25, 0.3, 0.5), (40, 12, -0.2, 3.0)]:
    x = sample(n1)
    y = sample(n2, shift, s2)
    res = stats.ttest_ind(x, y, equal_var=False)
    welch.append([x, y, float(res.statistic), float(res.pvalue)])
out["ttest_welch"] = welch

wilcoxon = []
for n in [5, 9, 20, 50]:  # exact: distinct non-zero differences
    x = sample(n)
    y = [round(v + 0.2 + rng.gauss(0, 0.5), 3) for v in x]
    d = [a - b for a, b in zip(x, y)]
    if len(set(abs(v) for v in d)) == n and 0 not in d:
        res = stats.wilcoxon(x, y, method="exact")
        wilcoxon.append([x, y, float(res.statistic), float(res.pvalue), "exact"])
for n in [20, 60, 120]:  # normal approximation: ties and zeros
    x = [rng.randint(0, 5) for _ in range(n)]
    y = [rng.randint(0, 6) for _ in range(n)]
    res = stats.wilcoxon(x, y, zero_method="wilcox", correction=True, method="approx")
    wilcoxon.append([x, y, float(res.statistic), float(res.pvalue), "normal approximation"])
for n in [6, 11]:  # exact permutation with ties (and zeros dropped), by brute force
    x = [rng.randint(0, 3) for _ in range(n)]
    y = [rng.randint(0, 4) for _ in range(n)]
    d = np.array([a - b for a, b in zip(x, y)], dtype=float)
    d = d[d != 0]
    r = stats.rankdata(np.abs(d))
    r_plus = float(np.sum(r[d > 0]))
    sums = [float(np.dot(r, signs)) for signs in itertools.product([0, 1], repeat=len(r))]
    p = min(1.0, 2 * min(sum(s <= r_plus + 1e-9 for s in sums), sum(s >= r_plus - 1e-9 for s in sums)) / len(sums))
    wilcoxon.append([x, y, float(min(r_plus, r.sum() - r_plus)), p, "exact permutation (ties)"])
out["wilcoxon"] = wilcoxon

mwu = []
for n1, n2 in [(4, 5), (7, 8), (3, 8)]:  # exact, no ties
    x = sample(n1)
    y = sample(n2, 0.8)
    res = stats.mannwhitneyu(x, y, method="exact")
    mwu.append([x, y, float(res.statistic), float(res.pvalue), "exact"])
for n1, n2 in [(12, 15), (30, 9)]:  # asymptotic with ties
    x = [rng.randint(0, 6) for _ in range(n1)]
    y = [rng.randint(1, 8) for _ in range(n2)]
    res = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
    mwu.append([x, y, float(res.statistic), float(res.pvalue), "normal approximation"])
out["mannwhitneyu"] = mwu

def wilson(k, n, level=0.95):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    return float(ci.low), float(ci.high)

out["wilson"] = [[k, n, *wilson(k, n)] for k, n in [(0, 10), (3, 10), (10, 10), (45, 120), (1, 1000)]]

def newcombe(a, b, c, d, level=0.95):
    n = a + b + c + d
    pa, pb = (a + b) / n, (a + c) / n
    la, ua = wilson(a + b, n, level)
    lb, ub = wilson(a + c, n, level)
    den = (a + b) * (c + d) * (a + c) * (b + d)
    phi = 0.0 if den == 0 else (a * d - b * c) / math.sqrt(den)
    est = pb - pa
    low = est - math.sqrt(max(0.0, (pb - lb) ** 2 - 2 * phi * (pb - lb) * (ua - pa) + (ua - pa) ** 2))
    high = est + math.sqrt(max(0.0, (ub - pb) ** 2 - 2 * phi * (ub - pb) * (pa - la) + (pa - la) ** 2))
    return est, max(-1.0, low), min(1.0, high)

out["newcombe"] = [[a, b, c, d, *newcombe(a, b, c, d)] for a, b, c, d in [(40, 5, 12, 43), (10, 0, 0, 10), (3, 7, 1, 9), (60, 2, 9, 29), (0, 4, 6, 0)]]

mean_ci = []
for n in [2, 7, 40]:
    v = sample(n, 0.1, 0.3)
    m = float(np.mean(v))
    se = float(stats.sem(v))
    lo, hi = stats.t.interval(0.95, n - 1, loc=m, scale=se)
    mean_ci.append([v, m, float(lo), float(hi)])
out["mean_ci"] = mean_ci

print(json.dumps(out, indent=1))
