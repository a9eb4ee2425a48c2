"""The forecast against generated histories with a known process: does the 80 % interval of the
fill date hold the true fill date about 80 % of the time, and is P(filled by the target) better
than always answering the base rate (Brier score)? No database: the same pooling and engine the
selector uses, fed with histories in the shape ``history_rows`` returns.

The process is the model's own, with numbers the forecaster is not told: applicants arrive as a
Poisson process (1 a day); each opening's stage conversions are drawn around the role's (Beta
with the weight of ``PRIOR_WEIGHT`` cases: openings of one role differ); a stay lasts Gamma(2, 3)
days whether it ends in an advance or an exit. Each opening is forecast 21 days after it opened,
from its own history so far and a pooled past of 4,000 applicants of other openings of the role;
its true fill date is where its generated future puts the first hire."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analytics.forecast import pooling
from analytics.forecast.engine import STAGES, ForecastInputs, simulate
from analytics.history import PIPELINE, History, histories

CONVERSION = np.array([0.5, 0.6, 0.5, 0.6, 0.7, 0.5, 0.8])
ARRIVALS_PER_DAY = 1.0
CUT_DAY = 21.0
TARGET_DAY = 75.0
OPENINGS = 300
RUNS = 2000


@dataclasses.dataclass
class Applicant:
    arrived: float
    # (stage rank, entered at, left at, advanced)
    stays: list[tuple[int, float, float, bool]]

    @property
    def hired_at(self) -> float | None:
        last_rank, _, left, advanced = self.stays[-1]
        return left if advanced and last_rank == STAGES - 1 else None


def opening_conversion(rng: np.random.Generator) -> np.ndarray:
    weight = pooling.PRIOR_WEIGHT
    return rng.beta(weight * CONVERSION, weight * (1 - CONVERSION))


def generate(rng: np.random.Generator, arrived: float, conversion: np.ndarray) -> Applicant:
    stays = []
    t = arrived
    for rank in range(STAGES):
        dwell = rng.gamma(2.0, 3.0)
        advanced = bool(rng.random() < conversion[rank])
        stays.append((rank, t, t + dwell, advanced))
        t += dwell
        if not advanced:
            break
    return Applicant(arrived=arrived, stays=stays)


def rows_until(applicants: list[Applicant], cut: float) -> list[tuple]:
    """``history_rows``-shaped rows of what was visible at ``cut``."""
    rows = []
    for applicant in applicants:
        for rank, entered, left, advanced in applicant.stays:
            if entered > cut:
                break
            stage = PIPELINE[rank]
            if left > cut:
                rows.append((None, stage, None, None, 1))
                break
            next_stage = PIPELINE[rank + 1] if advanced else "rejected"
            rows.append((None, stage, next_stage, int(left - entered), 1))
            if advanced and rank == STAGES - 1:
                rows.append((None, PIPELINE[-1], None, None, 1))
    return rows


def pending_at(applicants: list[Applicant], cut: float) -> tuple[np.ndarray, np.ndarray]:
    ranks, ages = [], []
    for applicant in applicants:
        for rank, entered, left, _ in applicant.stays:
            if entered <= cut < left:
                ranks.append(rank)
                ages.append(cut - entered)
    return np.array(ranks, dtype=np.int64), np.array(ages)


def backtest(seed: int) -> tuple[float, float, float, int]:
    rng = np.random.default_rng(seed)
    past_applicants = []
    for _ in range(40):  # 40 past openings of 100 applicants each
        conversion = opening_conversion(rng)
        past_applicants += [generate(rng, t, conversion) for t in rng.random(100) * 100.0]
    past = histories(rows_until(past_applicants, cut=1e9))[None]
    covered, scored, brier, base = 0, 0, [], []
    outcomes, chances = [], []
    for _ in range(OPENINGS):
        count = rng.poisson(ARRIVALS_PER_DAY * 400)
        conversion = opening_conversion(rng)
        applicants = [generate(rng, t, conversion) for t in np.sort(rng.random(count) * 400.0)]
        hires = [a.hired_at for a in applicants if a.hired_at is not None]
        true_fill = min(hires) if hires else np.inf
        if true_fill <= CUT_DAY:
            continue  # filled before the forecast is made: nothing to forecast
        seen = [a for a in applicants if a.arrived <= CUT_DAY]
        own = histories(rows_until(seen, CUT_DAY)).get(None, History())
        alpha, beta = pooling.conversion_posteriors(opening=own, role_rest=past, others=History())
        dwell, _ = pooling.dwell_distributions(opening=own, role=past, everything=past)
        ranks, ages = pending_at(seen, CUT_DAY)
        rate = pooling.arrival_rate(
            source="generated",
            arrived=len(seen),
            exposure_days=CUT_DAY,
            prior_per_day=ARRIVALS_PER_DAY,
        )
        simulation = simulate(
            ForecastInputs(
                alpha=alpha,
                beta=beta,
                dwell=dwell,
                current_ranks=ranks,
                current_ages=ages,
                arrivals=(rate,),
                need=1,
                horizon_days=365.0,
            ),
            runs=RUNS,
            seed=int(rng.integers(2**31)),
        )
        remaining = true_fill - CUT_DAY
        low, high = (simulation.quantile_days(q) for q in (0.1, 0.9))
        low = np.inf if low is None else low
        high = np.inf if high is None else high
        covered += bool(low <= remaining <= high)
        scored += 1
        outcomes.append(float(true_fill <= TARGET_DAY))
        chances.append(simulation.p_filled_within(TARGET_DAY - CUT_DAY))
    outcome = np.array(outcomes)
    chance = np.array(chances)
    brier_score = float(np.mean((chance - outcome) ** 2))
    base_rate = float(np.mean((outcome.mean() - outcome) ** 2))
    del brier, base
    return covered / scored, brier_score, base_rate, scored


@pytest.mark.parametrize("seed", [1])
def test_80_percent_intervals_hold_the_true_fill_date_about_80_percent_of_the_time(seed):
    # given generated openings with a known process / when each is forecast at day 21
    coverage, brier, base_rate, scored = backtest(seed)

    # then
    print(
        f"seed {seed}: coverage {coverage:.3f} over {scored}; Brier {brier:.4f}, "
        f"base rate {base_rate:.4f}"
    )
    assert scored >= 250
    assert 0.75 <= coverage <= 0.85
    # P(filled by the target) is sharper than the base rate, which knows the answer's average.
    assert brier < base_rate
