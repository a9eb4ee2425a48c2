"""The time-to-fill Monte Carlo, on plain numbers (no database): ``ForecastInputs`` in,
``Simulation`` out. ``analytics.forecast.inputs`` builds the inputs from the stage history; the
backtest builds them from generated histories with a known process.

One run draws every stage's conversion from its Beta posterior and every source's arrival rate
from its Gamma posterior, then walks each applicant in the pipeline stage by stage (advance with
the run's conversion, after a dwell drawn from the observed days), and adds the hires that new
applicants bring within the horizon. The opening fills on the day of its ``need``-th hire. Runs
are vectorised: applicants x runs arrays, one numpy pass per stage.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from analytics.history import HIRED_RANK

STAGES = HIRED_RANK  # stages with a conversion (every stage before hired)


@dataclasses.dataclass(frozen=True)
class DwellDistribution:
    """Days spent in a stage before moving on: ``days[d]`` observed advances after ``d`` whole
    days, and ``skip_share`` of advances that passed through the stage in no time."""

    days: np.ndarray
    skip_share: float

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        cdf = _cdf(self.days)
        u = rng.random(size)
        drawn = np.searchsorted(cdf, rng.random(size), side="right") + rng.random(size)
        return np.where(u < self.skip_share, 0.0, drawn)

    def sample_after(self, rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
        """Days still to spend for stays already ``age`` days long (one draw per element of
        ``age``, any shape): a draw from the observed days beyond ``age``, less ``age``. When
        nothing was ever observed that long, a fresh draw (the stay is treated as restarting)."""
        cdf = _cdf(self.days)
        day = np.clip(np.floor(age).astype(np.int64), 0, len(cdf) - 1)
        below = np.where(day > 0, cdf[np.maximum(day - 1, 0)], 0.0)
        below = np.where(below >= 1.0 - 1e-12, 0.0, below)
        u = below + rng.random(age.shape) * (1.0 - below)
        total = np.searchsorted(cdf, u, side="right") + rng.random(age.shape)
        remaining = total - age
        fresh = np.searchsorted(cdf, rng.random(age.shape), side="right") + rng.random(age.shape)
        return np.where(remaining > 0, remaining, fresh)


def _cdf(days: np.ndarray) -> np.ndarray:
    total = float(days.sum())
    if total <= 0:
        # No observation at all: a week, which the assumptions list says.
        fallback = np.zeros(len(days))
        fallback[7] = 1.0
        return np.cumsum(fallback)
    return np.cumsum(days) / total


@dataclasses.dataclass(frozen=True)
class ArrivalRate:
    """New applicants of one source per day: a Gamma(shape, rate) posterior; they enter at
    ``entry_rank``."""

    source: str
    shape: float
    rate: float
    entry_rank: int = 0

    @property
    def mean_per_day(self) -> float:
        return self.shape / self.rate if self.rate > 0 else 0.0


@dataclasses.dataclass(frozen=True)
class ForecastInputs:
    """``alpha``/``beta``: Beta posterior of each stage's conversion (``STAGES`` values);
    ``dwell``: one distribution per stage; ``current_ranks``/``current_ages``: the applicants in
    the pipeline now (stage rank, days in it); ``need``: hires still to make; ``horizon_days``:
    how far ahead to simulate (later fills are reported as beyond it)."""

    alpha: np.ndarray
    beta: np.ndarray
    dwell: tuple[DwellDistribution, ...]
    current_ranks: np.ndarray
    current_ages: np.ndarray
    arrivals: tuple[ArrivalRate, ...]
    need: int
    horizon_days: float


@dataclasses.dataclass(frozen=True)
class Simulation:
    """``fill_days[r]``: days from now to the fill in run ``r`` (``inf`` beyond the horizon);
    ``hire_days``: every hire's day in each run (runs x hires, ``inf`` padded), kept to answer
    "how many more sourced candidates"; ``p_hire_sourced[r]``: the run's chance that one newly
    sourced candidate is hired; ``sourced_path_days``: sample of days from sourced to hired."""

    fill_days: np.ndarray
    hire_days: np.ndarray
    p_hire_sourced: np.ndarray
    sourced_path_days: np.ndarray
    need: int

    def p_filled_within(self, days: float) -> float:
        return float(np.mean(self.fill_days <= days))

    def quantile_days(self, q: float) -> float | None:
        """The ``q`` quantile of days to fill, None when it lies beyond the horizon."""
        # An empirical quantile (no interpolation: fills beyond the horizon are infinite).
        value = float(np.quantile(self.fill_days, q, method="inverted_cdf"))
        return value if np.isfinite(value) else None

    def extra_sourced_for(self, *, days: float, chance: float, limit: int = 5000) -> int | None:
        """The fewest extra candidates sourced today that lift P(filled within ``days``) to
        ``chance``; None if even ``limit`` would not. Each extra candidate is hired within
        ``days`` with the run's conversion chance times the share of sourced-to-hired paths
        shorter than ``days``, independently; the opening fills when the hires already expected
        by then plus the extra ones reach ``need``."""
        by_then = np.sum(self.hire_days <= days, axis=1)
        missing = np.maximum(self.need - by_then, 0)
        reach = float(np.mean(self.sourced_path_days <= days))
        q = np.clip(self.p_hire_sourced * reach, 0.0, 1.0 - 1e-12)

        def chance_with(n: int) -> float:
            return float(np.mean(_binomial_at_least(n, q, missing)))

        if chance_with(0) >= chance:
            return 0
        if chance_with(limit) < chance:
            return None
        low, high = 0, limit
        while high - low > 1:
            middle = (low + high) // 2
            if chance_with(middle) >= chance:
                high = middle
            else:
                low = middle
        return high


def _binomial_at_least(n: int, q: np.ndarray, k: np.ndarray) -> np.ndarray:
    """P(Binomial(n, q) >= k), elementwise, exactly (k is small: the hires still missing)."""
    out = np.ones_like(q)
    top = int(k.max()) if k.size else 0
    if top == 0:
        return out
    log_q, log_1q = np.log(np.maximum(q, 1e-300)), np.log1p(-q)
    below = np.zeros_like(q)
    log_choose = 0.0
    for j in range(top):
        if j > n:
            break
        if j > 0:
            log_choose += np.log(n - j + 1) - np.log(j)
        term = np.exp(log_choose + j * log_q + (n - j) * log_1q)
        below += np.where(j < k, term, 0.0)
    return np.clip(1.0 - below, 0.0, 1.0)


def simulate(inputs: ForecastInputs, *, runs: int, seed: int = 0) -> Simulation:
    rng = np.random.default_rng(seed)
    conversion = rng.beta(inputs.alpha, inputs.beta, size=(runs, STAGES))

    current = _current_hires(inputs, conversion, rng)
    arriving = _arrival_hires(inputs, conversion, rng)
    hire_days = np.concatenate([current, arriving], axis=1)
    hire_days = np.where(hire_days <= inputs.horizon_days, hire_days, np.inf)

    if inputs.need <= 0:
        fill_days = np.zeros(runs)
    elif hire_days.shape[1] < inputs.need:
        fill_days = np.full(runs, np.inf)
    else:
        fill_days = np.partition(hire_days, inputs.need - 1, axis=1)[:, inputs.need - 1]

    p_hire_sourced = np.prod(conversion, axis=1)
    return Simulation(
        fill_days=fill_days,
        hire_days=hire_days,
        p_hire_sourced=p_hire_sourced,
        sourced_path_days=_path_days(inputs, rng, start=0, size=runs),
        need=inputs.need,
    )


def _current_hires(
    inputs: ForecastInputs, conversion: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Runs x applicants: the day each applicant now in the pipeline is hired (inf if not).
    Works on flat (run, applicant) pairs and drops those who leave at each step, so later
    stages cost only what is still alive."""
    runs = conversion.shape[0]
    ranks = inputs.current_ranks.astype(np.int64)
    count = ranks.size
    out = np.full(runs * count, np.inf)
    if count == 0:
        return out.reshape(runs, 0)
    pair = np.arange(runs * count)
    run, who = pair // count, pair % count
    rank = ranks[who]
    waiting = rank < STAGES
    pair, run, who, rank = pair[waiting], run[waiting], who[waiting], rank[waiting]
    days = np.zeros(pair.size)
    # The stage they are in now: the rest of a stay already this old.
    for stage in np.unique(rank):
        here = rank == stage
        days[here] = inputs.dwell[stage].sample_after(rng, inputs.current_ages[who[here]])
    while pair.size:
        advance = rng.random(pair.size) < conversion[run, rank]
        pair, run, rank, days = pair[advance], run[advance], rank[advance] + 1, days[advance]
        hired = rank >= STAGES
        out[pair[hired]] = days[hired]
        pair, run, rank, days = pair[~hired], run[~hired], rank[~hired], days[~hired]
        # Every later stage: a stay drawn afresh.
        for stage in np.unique(rank):
            here = rank == stage
            days[here] += inputs.dwell[stage].sample(rng, int(here.sum()))
    return out.reshape(runs, count)


def _arrival_hires(
    inputs: ForecastInputs, conversion: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Runs x k: the days of hires among applicants who arrive within the horizon. Only the
    arrivals who will be hired are drawn (a Poisson thinned by the run's chance of hire from
    the entry stage), so the arrays stay small whatever the arrival rate."""
    runs = conversion.shape[0]
    days_parts: list[np.ndarray] = []
    run_parts: list[np.ndarray] = []
    for arrival in inputs.arrivals:
        if arrival.shape <= 0 or arrival.rate <= 0:
            continue
        rate = rng.gamma(arrival.shape, 1.0 / arrival.rate, size=runs)
        p_hire = np.prod(conversion[:, arrival.entry_rank :], axis=1)
        hires = rng.poisson(rate * inputs.horizon_days * p_hire)
        total = int(hires.sum())
        if total == 0:
            continue
        arrived = rng.random(total) * inputs.horizon_days
        days_parts.append(arrived + _path_days(inputs, rng, start=arrival.entry_rank, size=total))
        run_parts.append(np.repeat(np.arange(runs), hires))
    if not days_parts:
        return np.full((runs, 0), np.inf)
    days = np.concatenate(days_parts)
    run = np.concatenate(run_parts)
    order = np.argsort(run, kind="stable")
    run, days = run[order], days[order]
    per_run = np.bincount(run, minlength=runs)
    starts = np.concatenate([[0], np.cumsum(per_run)[:-1]])
    column = np.arange(run.size) - starts[run]
    out = np.full((runs, int(per_run.max())), np.inf)
    out[run, column] = days
    return out


def _path_days(
    inputs: ForecastInputs, rng: np.random.Generator, *, start: int, size: int
) -> np.ndarray:
    """Days from entering stage ``start`` to hired, for applicants who get there."""
    days = np.zeros(size)
    for stage in range(start, STAGES):
        days += inputs.dwell[stage].sample(rng, size)
    return days
