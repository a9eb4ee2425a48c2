"""Interviewer calibration on plain rows: how much more lenient (or strict) each rater is than
their co-panelists on the same applications and competencies, with an interval, how often they
answer "no evidence", and how much the panel agrees (Krippendorff's alpha, ordinal).

A *unit* is one thing rated by several people (an application's competency; a take-home's
criterion); a *cluster* is what units of one candidate share (the application; the take-home),
so the interval counts candidates, not ratings, which are correlated within a candidate.

Leniency of rater i on a unit = i's rating - the mean of the others' ratings there; averaged per
cluster, then over clusters. The interval shrinks each rater's mean towards 0 (empirical Bayes:
normal prior with the spread across raters, estimated by moments), so a rater with six shared
candidates is not called lenient on one generous afternoon. Nothing is given below
``MIN_SHARED`` shared clusters.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

import numpy as np

# The fewest ratings that can agree or disagree (of one unit, or distinct values in all).
PAIR = 2
MIN_SHARED = 5
# Prior spread of leniency (in points) used when fewer than two raters have enough data to
# estimate it: a rater a full point off is then plausible, two points are not.
DEFAULT_PRIOR_SD = 0.5
Z_90 = 1.6449


@dataclasses.dataclass(frozen=True)
class RaterCalibration:
    rater: Hashable
    shared: int  # clusters (candidates) shared with at least one co-rater
    ratings: int
    no_evidence_rate: float | None
    leniency: float | None  # None: not enough data
    low: float | None
    high: float | None
    raw_mean: float | None

    @property
    def enough_data(self) -> bool:
        return self.leniency is not None


@dataclasses.dataclass(frozen=True)
class Agreement:
    alpha: float | None  # None: not enough data (or no variation to agree on)
    units: int  # units rated by at least two raters


Rating = tuple[Hashable, Hashable, Hashable, int | None]  # (unit, cluster, rater, value or None)


def krippendorff_alpha_ordinal(units: Iterable[Sequence[int]]) -> float | None:
    """Krippendorff's alpha with the ordinal metric, over units given as the values they
    received (missing ratings left out). None when fewer than two values are pairable or all
    pairable values are equal (alpha is undefined)."""
    pairable = [list(u) for u in units if len(u) >= PAIR]
    if not pairable:
        return None
    domain = sorted({v for u in pairable for v in u})
    if len(domain) < PAIR:
        return None
    index = {v: i for i, v in enumerate(domain)}
    counts = np.zeros((len(pairable), len(domain)))
    for row, unit in enumerate(pairable):
        for value in unit:
            counts[row, index[value]] += 1
    m = counts.sum(axis=1)
    # Coincidences: each ordered pair of values within a unit, weighted 1 / (m_u - 1).
    coincidence = np.einsum("uc,uk->ck", counts / (m - 1)[:, None], counts) - np.diag(
        (counts / (m - 1)[:, None]).sum(axis=0)
    )
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    cumulative = np.concatenate([[0.0], np.cumsum(n_c)])
    c, k = np.meshgrid(np.arange(len(domain)), np.arange(len(domain)), indexing="ij")
    lo, hi = np.minimum(c, k), np.maximum(c, k)
    between = cumulative[hi + 1] - cumulative[lo]
    delta = (between - (n_c[c] + n_c[k]) / 2.0) ** 2
    observed = float((coincidence * delta).sum())
    expected = float((np.outer(n_c, n_c) * delta).sum()) / (n - 1)
    if expected == 0:
        return None
    return float(1.0 - observed / expected)


def agreement(ratings: Iterable[Rating]) -> Agreement:
    """Alpha over the units of ``ratings`` ("no evidence" is missing, not a value); not
    enough data below ``MIN_SHARED`` units rated twice or more."""
    by_unit: dict[Hashable, list[int]] = defaultdict(list)
    for unit, _, _, value in ratings:
        if value is not None:
            by_unit[unit].append(value)
    shared = [values for values in by_unit.values() if len(values) >= PAIR]
    if len(shared) < MIN_SHARED:
        return Agreement(alpha=None, units=len(shared))
    return Agreement(alpha=krippendorff_alpha_ordinal(shared), units=len(shared))


def rater_calibration(ratings: Sequence[Rating]) -> list[RaterCalibration]:
    """One entry per rater, ordered by leniency (most lenient first, not enough data last)."""
    by_unit: dict[Hashable, dict[Hashable, list[int]]] = defaultdict(lambda: defaultdict(list))
    cluster_of: dict[Hashable, Hashable] = {}
    answered: dict[Hashable, int] = defaultdict(int)
    no_evidence: dict[Hashable, int] = defaultdict(int)
    for unit, cluster, rater, value in ratings:
        answered[rater] += 1
        if value is None:
            no_evidence[rater] += 1
            continue
        by_unit[unit][rater].append(value)
        cluster_of[unit] = cluster

    # Per rater and cluster: the differences to the co-raters on each shared unit.
    diffs: dict[Hashable, dict[Hashable, list[float]]] = defaultdict(lambda: defaultdict(list))
    for unit, raters in by_unit.items():
        if len(raters) < PAIR:
            continue
        # Plain arithmetic: these lists hold one or two ratings, and there are many of them.
        means = {rater: sum(values) / len(values) for rater, values in raters.items()}
        total = sum(means.values())
        for rater, mine in means.items():
            others = (total - mine) / (len(means) - 1)
            diffs[rater][cluster_of[unit]].append(mine - others)

    summaries: dict[Hashable, tuple[int, float, float]] = {}
    for rater, clusters in diffs.items():
        per_cluster = np.array([sum(values) / len(values) for values in clusters.values()])
        if per_cluster.size >= MIN_SHARED:
            se2 = float(np.var(per_cluster, ddof=1)) / per_cluster.size
            summaries[rater] = (per_cluster.size, float(per_cluster.mean()), max(se2, 1e-6))
    if len(summaries) >= PAIR:
        rater_means = np.array([mean for _, mean, _ in summaries.values()])
        se2s = np.array([se2 for _, _, se2 in summaries.values()])
        tau2 = max(float(np.var(rater_means, ddof=1) - se2s.mean()), 0.01)
    else:
        tau2 = DEFAULT_PRIOR_SD**2

    out = []
    for rater, answered_count in answered.items():
        clusters_shared = len(diffs.get(rater, {}))
        no_evidence_rate = no_evidence[rater] / answered_count
        if rater not in summaries:
            out.append(
                RaterCalibration(rater, clusters_shared, answered_count, no_evidence_rate,
                                 None, None, None, None)
            )  # fmt: skip
            continue
        _, mean, se2 = summaries[rater]
        weight = tau2 / (tau2 + se2)
        shrunk = weight * mean
        sd = float(np.sqrt(tau2 * se2 / (tau2 + se2)))
        out.append(
            RaterCalibration(
                rater=rater,
                shared=clusters_shared,
                ratings=answered_count,
                no_evidence_rate=no_evidence_rate,
                leniency=shrunk,
                low=shrunk - Z_90 * sd,
                high=shrunk + Z_90 * sd,
                raw_mean=mean,
            )
        )
    out.sort(key=lambda r: (r.leniency is None, -(r.leniency or 0.0), str(r.rater)))
    return out
