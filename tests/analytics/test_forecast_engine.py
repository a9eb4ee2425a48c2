"""The Monte Carlo on hand-made inputs: a certain pipeline fills on a known day, thin data gives
wide intervals, and "how many more sourced candidates" is checked by sourcing them."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.forecast.engine import (
    STAGES,
    ArrivalRate,
    DwellDistribution,
    ForecastInputs,
    simulate,
)


def days(value: int) -> DwellDistribution:
    histogram = np.zeros(366)
    histogram[value] = 1
    return DwellDistribution(days=histogram, skip_share=0.0)


def inputs(**overrides):
    base = {
        "alpha": np.full(STAGES, 1e6),
        "beta": np.full(STAGES, 1e-6),
        "dwell": tuple(days(2) for _ in range(STAGES)),
        "current_ranks": np.array([], dtype=np.int64),
        "current_ages": np.array([]),
        "arrivals": (),
        "need": 1,
        "horizon_days": 365.0,
    }
    base.update(overrides)
    return ForecastInputs(**base)


def test_a_candidate_who_surely_converts_fills_on_the_sum_of_the_remaining_days():
    # given one candidate in onsite (rank 4) for 1.5 days; every stay is 2-3 days, every
    # conversion certain: 0.5-1.5 days left there, then debrief and offer, 2-3 days each
    simulation = simulate(
        inputs(current_ranks=np.array([4]), current_ages=np.array([1.5])), runs=4000
    )

    # then
    assert simulation.fill_days.min() >= 4.5
    assert simulation.fill_days.max() <= 7.5
    assert simulation.p_filled_within(7.5) == 1.0


def test_nobody_in_the_pipeline_and_nobody_arriving_never_fills():
    simulation = simulate(inputs(), runs=1000)
    assert simulation.p_filled_within(365) == 0.0
    assert simulation.quantile_days(0.5) is None


def test_arrivals_fill_at_the_rate_they_bring_hires():
    # given one applicant a day, each hired for sure after 7 stays of 2-3 days (17.5 on average)
    simulation = simulate(
        inputs(arrivals=(ArrivalRate("ats", shape=1e6, rate=1e6),), need=3), runs=4000
    )
    # then the third arrival (median of a Gamma(3, 1): 2.67 days) is hired 17.5 days later
    assert simulation.quantile_days(0.5) == pytest.approx(2.67 + 17.5, abs=0.5)


def test_the_extra_sourced_candidates_it_asks_for_do_lift_the_chance_to_80_percent():
    # given an opening nobody is in, every stage a coin flip (1/128 hired), 3 days a stage
    coin = {"alpha": np.full(STAGES, 5000.0), "beta": np.full(STAGES, 5000.0)}
    dwell = tuple(days(3) for _ in range(STAGES))
    before = simulate(inputs(**coin, dwell=dwell), runs=10_000, seed=1)

    # when
    extra = before.extra_sourced_for(days=60, chance=0.8)

    # then: sourcing that many now fills by day 60 in about 80 % of futures, one fewer does not
    assert extra is not None
    assert extra > 100
    for n, expected in ((extra, 0.8), (extra - 15, 0.8)):
        after = simulate(
            inputs(**coin, dwell=dwell, current_ranks=np.zeros(n, dtype=np.int64),
                   current_ages=np.zeros(n)),
            runs=10_000,
            seed=2,
        )  # fmt: skip
        chance = after.p_filled_within(60)
        if n == extra:
            assert chance == pytest.approx(expected, abs=0.02)
        else:
            assert chance < expected


def test_taking_a_fresher_opening_out_of_an_older_cached_role_never_goes_negative():
    # given a role history cached before the opening's latest moves
    from analytics.forecast import pooling
    from analytics.history import History

    role, own = History(), History()
    own.add("sourced", "rejected", 1, 3)
    own.add("sourced", "contacted", 2, 2)

    # when
    rest = role.merged(own, sign=-1)
    alpha, beta = pooling.conversion_posteriors(opening=own, role_rest=rest, others=History())

    # then
    assert rest.stages[0].exited == 0
    assert rest.stages[0].dwell.min() == 0
    assert (alpha > 0).all()
    assert (beta > 0).all()
