"""From histories to the Monte Carlo's inputs, pooling opening → role → everything when data is
thin. Plain numbers in and out: the database selector and the backtest share these.

Conversions: a Beta posterior per stage, built in three layers. Everything: Beta(1 + advanced,
1 + exited) over the other roles. Role: a prior with the mean of the layer above and the weight
of ``PRIOR_WEIGHT`` decided cases, updated with the role's other openings. Opening: the same
with the role's posterior mean as prior, updated with the opening's own decided cases. With no
data of its own an opening gets the role's mean with ``PRIOR_WEIGHT`` cases' worth of
uncertainty; with plenty of its own the prior hardly matters.

Dwell: the days observed at the first layer with at least ``MIN_DWELL_OBSERVATIONS`` advances
(opening, then role, then everything).

Arrivals: a Gamma posterior per source on new applicants per day: the role's rate per opening
as prior with ``ARRIVAL_PRIOR_DAYS`` days of weight, updated with the opening's own arrivals
over the days it was open in the window.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from analytics.forecast.engine import STAGES, ArrivalRate, DwellDistribution
from analytics.history import PIPELINE, History

PRIOR_WEIGHT = 20.0
MIN_DWELL_OBSERVATIONS = 30
ARRIVAL_PRIOR_DAYS = 14.0


@dataclasses.dataclass(frozen=True)
class StageBasis:
    """What a stage's conversion and dwell rest on, to be shown next to the answer."""

    stage: str
    opening_decided: int
    role_decided: int
    everything_decided: int
    mean: float
    low: float
    high: float
    dwell_from: str
    dwell_observations: int
    dwell_median_days: int | None


def conversion_posteriors(
    *, opening: History, role_rest: History, others: History
) -> tuple[np.ndarray, np.ndarray]:
    """Beta (alpha, beta) per stage. ``role_rest`` is the role without this opening and
    ``others`` everything outside the role, so no case is counted twice."""
    alpha = np.empty(STAGES)
    beta = np.empty(STAGES)
    for stage in range(STAGES):
        top = others.stages[stage]
        a, b = 1.0 + top.advanced, 1.0 + top.exited
        for layer in (role_rest.stages[stage], opening.stages[stage]):
            mean = a / (a + b)
            a = PRIOR_WEIGHT * mean + layer.advanced
            b = PRIOR_WEIGHT * (1.0 - mean) + layer.exited
        alpha[stage], beta[stage] = a, b
    return alpha, beta


def dwell_distributions(
    *, opening: History, role: History, everything: History
) -> tuple[tuple[DwellDistribution, ...], list[tuple[str, int]]]:
    """One distribution per stage and, for each, which layer it came from and how many
    observed advances it holds."""
    out: list[DwellDistribution] = []
    basis: list[tuple[str, int]] = []
    for stage in range(STAGES):
        for name, layer in (("opening", opening), ("role", role), ("everything", everything)):
            stats = layer.stages[stage]
            observed = int(stats.dwell.sum())
            if observed >= MIN_DWELL_OBSERVATIONS or name == "everything":
                skip = stats.skipped / stats.advanced if stats.advanced else 0.0
                out.append(DwellDistribution(days=stats.dwell.astype(float), skip_share=skip))
                basis.append((name, observed))
                break
    return tuple(out), basis


def arrival_rate(
    *, source: str, arrived: int, exposure_days: float, prior_per_day: float
) -> ArrivalRate:
    shape = ARRIVAL_PRIOR_DAYS * prior_per_day + arrived
    return ArrivalRate(source=source, shape=shape, rate=ARRIVAL_PRIOR_DAYS + exposure_days)


def stage_bases(
    *,
    alpha: np.ndarray,
    beta: np.ndarray,
    opening: History,
    role: History,
    everything: History,
    dwell_basis: list[tuple[str, int]],
    dwell_layers: dict[str, History],
) -> list[StageBasis]:
    """The 90 % credible interval of each conversion (quantiles of 4,000 Beta draws) with the
    counts and the dwell layer behind it."""
    rng = np.random.default_rng(17)
    draws = rng.beta(alpha, beta, size=(4000, STAGES))
    low, high = np.quantile(draws, [0.05, 0.95], axis=0)
    out = []
    for stage in range(STAGES):
        layer_name, observed = dwell_basis[stage]
        out.append(
            StageBasis(
                stage=PIPELINE[stage],
                opening_decided=opening.stages[stage].decided,
                role_decided=role.stages[stage].decided,
                everything_decided=everything.stages[stage].decided,
                mean=float(alpha[stage] / (alpha[stage] + beta[stage])),
                low=float(low[stage]),
                high=float(high[stage]),
                dwell_from=layer_name,
                dwell_observations=observed,
                dwell_median_days=dwell_layers[layer_name].stages[stage].dwell_quantile(0.5),
            )
        )
    return out
