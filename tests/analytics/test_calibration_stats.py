"""Calibration statistics on plain rows: alpha against the reference ``krippendorff`` package,
leniency recovered from generated panels with a known bias, and 'not enough data' below the
minimum."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from analytics.calibration import (
    MIN_SHARED,
    agreement,
    krippendorff_alpha_ordinal,
    rater_calibration,
)


def reference_alpha(matrix: np.ndarray) -> float:
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal"))


@pytest.mark.parametrize("seed", range(6))
def test_ordinal_alpha_matches_the_krippendorff_package_with_missing_ratings(seed):
    # given raters x units on the 1-4 scale, a third missing, raters partly agreeing
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 5, size=40)
    matrix = np.clip(truth + rng.integers(-1, 2, size=(5, 40)), 1, 4).astype(float)
    matrix[rng.random(matrix.shape) < 0.33] = np.nan

    # when
    units = [[int(v) for v in column if not np.isnan(v)] for column in matrix.T]
    ours = krippendorff_alpha_ordinal(units)

    # then
    assert ours == pytest.approx(reference_alpha(matrix), abs=1e-9)


def test_alpha_is_one_for_perfect_agreement_and_undefined_without_variation():
    assert krippendorff_alpha_ordinal([[1, 1], [3, 3, 3], [4, 4]]) == pytest.approx(1.0)
    assert krippendorff_alpha_ordinal([[2, 2], [2, 2]]) is None
    assert krippendorff_alpha_ordinal([[2], [3]]) is None


def panel(rng, *, bias: dict[str, float], applications: int, raters_per_panel: int = 3):
    rows = []
    raters = list(bias)
    for application in range(applications):
        panelists = rng.choice(raters, size=raters_per_panel, replace=False)
        for competency in range(4):
            truth = rng.normal(2.5, 0.8)
            for rater in panelists:
                value = int(np.clip(np.rint(truth + bias[rater] + rng.normal(0, 0.4)), 1, 4))
                rows.append(((application, competency), application, rater, value))
    return rows


def test_a_lenient_rater_stands_out_with_an_interval_that_holds_the_true_bias():
    # given five raters, one rating a point above the others
    rng = np.random.default_rng(3)
    bias = {"ada": 1.0, "bob": 0.0, "cy": 0.0, "dee": 0.0, "eve": 0.0}
    rows = panel(rng, bias=bias, applications=120)

    # when
    result = {r.rater: r for r in rater_calibration(rows)}

    # then: ada is first, clearly above 0; her co-raters' own bias pulls the contrast below 1
    ada = result["ada"]
    assert ada.low is not None
    assert ada.low > 0.5
    assert ada.leniency == max(r.leniency for r in result.values() if r.leniency is not None)
    for name in ("bob", "cy", "dee", "eve"):
        assert result[name].low < 0 < result[name].high + 0.3


def test_no_evidence_answers_count_in_the_rate_not_in_leniency():
    rows = [((a, 0), a, "ada", None) for a in range(4)] + [((a, 0), a, "ada", 3) for a in range(4)]
    result = {r.rater: r for r in rater_calibration(rows)}
    assert result["ada"].no_evidence_rate == pytest.approx(0.5)


def test_fewer_shared_applications_than_the_minimum_give_no_number():
    # given raters who shared one application fewer than the minimum
    rng = np.random.default_rng(0)
    rows = panel(rng, bias={"ada": 0.0, "bob": 0.0}, applications=MIN_SHARED - 1,
                 raters_per_panel=2)  # fmt: skip

    # when
    result = rater_calibration(rows)
    alpha = agreement([r for r in rows if r[0][1] == 0])

    # then
    assert all(r.leniency is None and r.low is None and not r.enough_data for r in result)
    assert all(r.shared == MIN_SHARED - 1 for r in result)
    assert alpha.alpha is None
    assert alpha.units == MIN_SHARED - 1
