"""Platt calibration turns margins into probabilities without reordering them."""

from __future__ import annotations

import numpy as np
import pytest

from smokewatch.score.ml.calibration import Platt, sigmoid


def test_platt_recovers_the_slope_and_offset_of_a_logistic_truth() -> None:
    rng = np.random.default_rng(0)
    margin = rng.normal(0, 2, size=20_000)
    y = (rng.random(20_000) < sigmoid(0.5 * margin - 1.0)).astype(int)
    platt = Platt.fit(margin, y)
    assert platt.a == pytest.approx(0.5, abs=0.05)
    assert platt.b == pytest.approx(-1.0, abs=0.08)


def test_calibration_keeps_the_order_and_round_trips_as_an_array() -> None:
    platt = Platt.fit(np.array([-2.0, -1.0, 1.0, 2.0, 0.5]), np.array([0, 0, 1, 1, 0]))
    margins = np.linspace(-3, 3, 7)
    assert np.all(np.diff(platt(margins)) > 0)
    assert Platt.from_array(platt.to_array()) == platt


def test_sigmoid_is_stable_for_large_margins() -> None:
    assert sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist() == [0.0, 0.5, 1.0]
