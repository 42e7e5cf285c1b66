"""Krippendorff's alpha at four levels (nominal, ordinal, interval, ratio) with percentile bootstrap intervals
over units, in numpy: the peer that tests/GradeBench.Benchmarks/agreement-vs-numpy.sh times against
`gradebench agreement`. Written as a competent numpy user would: per-unit value counts by bincount, the coincidence
matrix as one matrix product, and the bootstrap as a (resamples x units) multinomial weight matrix times the
per-unit statistics (coincidence contributions and value counts), in chunks of resamples to bound memory.

Usage: alpha_numpy.py RATINGS.csv [--bootstrap N] [--seed S]   (CSV header unit,rater,value; values numbers)
Prints one line per level: name, alpha and, with --bootstrap N > 0, the 2.5 and 97.5 percentiles (type 7).
Reference: Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
"""
import argparse

import numpy as np


def read_ratings(path):
    """Unit index, value index and the sorted numeric values of a long-format CSV."""
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=str, comments=None)
    _, unit = np.unique(table[:, 0], return_inverse=True)
    labels, value = np.unique(table[:, 2], return_inverse=True)
    numbers = labels.astype(np.float64)
    order = np.argsort(numbers, kind="stable")  # categories in numeric order
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return unit, rank[value], numbers[order]


def unit_counts(unit, value, k):
    """(units x K) matrix of how many ratings of each value each unit has."""
    units = unit.max() + 1
    return np.bincount(unit * k + value, minlength=units * k).reshape(units, k).astype(np.float64)


def delta2(level, values, marginals):
    """K x K squared differences for the level (Krippendorff 2011); ordinal uses the marginals n_c."""
    k = values.size
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    if level == "nominal":
        return (i != j).astype(np.float64)
    if level == "ordinal":
        cum = np.concatenate(([0.0], np.cumsum(marginals)))
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        d = cum[hi + 1] - cum[lo] - (marginals[i] + marginals[j]) / 2.0
        return np.where(i == j, 0.0, d * d)
    diff = values[:, None] - values[None, :]
    if level == "interval":
        return diff * diff
    total = values[:, None] + values[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(total == 0, 0.0, diff / total)
    return r * r


LEVELS = ("nominal", "ordinal", "interval", "ratio")


def alphas(coincidence, values):
    """Alpha at each level from coincidence matrices of shape (..., K, K)."""
    marginals = coincidence.sum(axis=-1)
    n = marginals.sum(axis=-1)
    out = {}
    for level in LEVELS:
        if level == "ordinal":
            d = np.stack([delta2(level, values, m) for m in marginals.reshape(-1, values.size)])
            d = d.reshape(coincidence.shape)
        else:
            d = delta2(level, values, None)
        observed = (coincidence * d).sum(axis=(-2, -1))
        expected = (marginals[..., :, None] * marginals[..., None, :] * d).sum(axis=(-2, -1))
        out[level] = 1.0 - (n - 1.0) * observed / expected
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()

    unit, value, values = read_ratings(args.csv)
    k = values.size
    counts = unit_counts(unit, value, k)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    scaled = counts / (m - 1.0)[:, None]
    # o = sum_u (n_u n_u^T - diag(n_u)) / (m_u - 1)
    coincidence = scaled.T @ counts - np.diag(scaled.sum(axis=0))
    point = alphas(coincidence, values)

    intervals = {}
    if args.bootstrap > 0:
        rng = np.random.default_rng(args.seed)
        units = counts.shape[0]
        # Per-unit statistics (units x (K(K-1)/2 + K)): each unit's contributions to the upper triangle of the
        # coincidence matrix, and its value counts (the marginals n_c, from which the diagonal follows).
        upper_i, upper_j = np.triu_indices(k, 1)
        per_unit = np.hstack([scaled[:, upper_i] * counts[:, upper_j], counts])
        chunk = max(1, min(args.bootstrap, 20_000_000 // (units * 8)))
        resampled = []
        for start in range(0, args.bootstrap, chunk):
            size = min(chunk, args.bootstrap - start)
            # Multinomial unit weights: each resample draws `units` units with replacement; a bincount per row keeps
            # the counting in cache (one bincount over the whole chunk is four times slower).
            draws = rng.integers(0, units, size=(size, units))
            weights = np.empty((size, units))
            for row in range(size):
                weights[row] = np.bincount(draws[row], minlength=units)
            sums = weights @ per_unit
            o = np.zeros((size, k, k))
            o[:, upper_i, upper_j] = sums[:, : upper_i.size]
            o[:, upper_j, upper_i] = sums[:, : upper_i.size]
            diagonal = sums[:, upper_i.size :] - o.sum(axis=2)
            o[:, np.arange(k), np.arange(k)] = diagonal
            resampled.append(alphas(o, values))
        for level in LEVELS:
            a = np.concatenate([r[level] for r in resampled])
            a = a[np.isfinite(a)]
            intervals[level] = np.percentile(a, [2.5, 97.5])

    for level in LEVELS:
        line = f"krippendorff_alpha_{level} {point[level]:.17g}"
        if level in intervals:
            lo, hi = intervals[level]
            line += f" {lo:.17g} {hi:.17g}"
        print(line)


if __name__ == "__main__":
    main()
