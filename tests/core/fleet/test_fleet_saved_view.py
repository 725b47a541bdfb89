"""SavedView <-> JSON dict."""

from __future__ import annotations

import json

import pytest

from hashinsight_desktop.core.fleet import FleetColumn, FleetQuery, MinerStatus, SavedView
from hashinsight_desktop.core.fleet.columns import ALL_COLUMNS


def test_round_trip_through_json() -> None:
    view = SavedView(
        name="Hot site B",
        query=FleetQuery("s2", {MinerStatus.DEGRADED}, {"Site B"}, (), {None}, {"watch"},
                         FleetColumn.TEMP_MAX, True),
        visible_columns=(FleetColumn.NAME, FleetColumn.TEMP_MAX),
        column_order=tuple(reversed(ALL_COLUMNS)),
    )
    assert SavedView.from_dict(json.loads(json.dumps(view.to_dict()))) == view


def test_unknown_columns_are_dropped_and_new_ones_appended() -> None:
    data = SavedView("v").to_dict()
    data["visible_columns"] = ["name", "warp_speed"]
    data["column_order"] = ["ip", "name"]
    view = SavedView.from_dict(data)
    assert view.visible_columns == (FleetColumn.NAME,)
    assert view.column_order[:2] == (FleetColumn.IP, FleetColumn.NAME)
    assert set(view.column_order) == set(ALL_COLUMNS)


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="name"):
        SavedView.from_dict({"query": {}})
    with pytest.raises(ValueError, match="schema 99"):
        SavedView.from_dict({"name": "x", "schema": 99})
    with pytest.raises(ValueError, match="must not be empty"):
        SavedView(" ")
