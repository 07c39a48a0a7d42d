"""Property tests of managed-scaling limits (pure Python: no synthesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emr_constructs import ManagedScaling
from emr_constructs.cluster.scaling import MAX_CAPACITY_UNITS

units = st.integers(1, MAX_CAPACITY_UNITS)


@given(units, units, st.data())
def test_limits_within_bounds_are_accepted_and_rendered(a: int, b: int, data: st.DataObject) -> None:
    low, high = sorted((a, b))
    core = data.draw(st.integers(1, high))
    on_demand = data.draw(st.integers(1, high))
    scaling = ManagedScaling(
        minimum_units=low, maximum_units=high, maximum_core_units=core, maximum_on_demand_units=on_demand
    )
    scaling.validate_against("fleets", core_units=core)
    limits = scaling._render("fleets").compute_limits
    assert (limits.minimum_capacity_units, limits.maximum_capacity_units) == (low, high)


@given(units, units)
def test_minimum_above_maximum_is_rejected(a: int, b: int) -> None:
    if a == b:
        return
    low, high = sorted((a, b))
    with pytest.raises(ValueError, match=r"^managed_scaling.minimum_units: got \d+; must not exceed maximum_units"):
        ManagedScaling(minimum_units=high, maximum_units=low).validate("groups")


@given(st.integers(max_value=0) | st.integers(min_value=MAX_CAPACITY_UNITS + 1))
def test_out_of_range_maximum_is_rejected(value: int) -> None:
    with pytest.raises(ValueError, match=r"^managed_scaling.maximum_units: got -?\d+; must be between 1 and 2000"):
        ManagedScaling(minimum_units=1, maximum_units=value).validate("groups")
