"""Filtering, text search and sorting of the fleet in numpy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hashinsight_desktop.core.fleet import (
    CycleUpdate,
    FleetColumn,
    FleetQuery,
    FleetTable,
    MinerRecord,
    MinerStatus,
    filter_rows,
    run_query,
    sort_rows,
)
from hashinsight_desktop.core.fleet.sort_keys import sort_key
from hashinsight_desktop.core.fleet.synthetic import synthetic_cycle, synthetic_records


def _table() -> FleetTable:
    records = [
        MinerRecord(1, "miner-10", "10.0.0.10", "Site B", "R2", 3, "S21", "fw1", "SNAAA",
                    "Acme Corp", frozenset({"hydro"}), 200.0),
        MinerRecord(2, "miner-9", "10.0.0.9", "site a", "R10", 1, "S19", None, "SNBBB", None,
                    frozenset(), 100.0),
        MinerRecord(3, "Mïner-ß", "192.168.1.2", "Site B", None, None, None, "fw2", None,
                    "Beta", frozenset({"hydro", "watch"}), None),
        MinerRecord(4, "other", None, None, "R2", 1, "S21", "fw1", "snccc", "Acme Corp",
                    frozenset({"watch"}), 200.0),
    ]
    table = FleetTable(records)
    table.apply_cycle(CycleUpdate(
        miner_ids=np.array([1, 2, 3]),
        status=np.array([MinerStatus.OK, MinerStatus.OFFLINE, MinerStatus.OK]),
        hashrate_ths=np.array([190.0, np.nan, 50.0]),
        temp_max_c=np.array([85.0, np.nan, 60.0]),
        pool=np.array(["stratum+tcp://b", None, "stratum+tcp://a"], dtype=object),
        alert_count=np.array([1, 2, 0]),
        alert_max_severity=np.array([2, 3, 0]),
    ))
    return table


def ids(table: FleetTable, rows: np.ndarray) -> list[int]:
    return table.arrays.miner_id[rows].tolist()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (FleetQuery(), [1, 2, 3, 4]),
        (FleetQuery(statuses={MinerStatus.OK}), [1, 3]),
        (FleetQuery(statuses={MinerStatus.OFFLINE, MinerStatus.UNKNOWN}), [2, 4]),
        (FleetQuery(sites={"Site B"}), [1, 3]),
        (FleetQuery(sites={None}), [4]),
        (FleetQuery(sites={"nowhere"}), []),
        (FleetQuery(models={"S21"}, clients={"Acme Corp"}), [1, 4]),
        (FleetQuery(clients={None, "Beta"}), [2, 3]),
        (FleetQuery(tags={"watch"}), [3, 4]),
        (FleetQuery(tags={"hydro", "watch"}), [1, 3, 4]),
        (FleetQuery(search_text="MINER"), [1, 2]),  # casefold-insensitive, ß/ï untouched
        (FleetQuery(search_text="mïner"), [3]),
        (FleetQuery(search_text="10.0.0.1"), [1]),  # IP substring
        (FleetQuery(search_text="snc"), [4]),  # serial, case-insensitive
        (FleetQuery(search_text="acme 10.0"), [1]),  # every word must match
        (FleetQuery(search_text="9acme"), []),  # no match across two fields
        (FleetQuery(search_text="   "), [1, 2, 3, 4]),
        (FleetQuery(search_text="miner", statuses={MinerStatus.OK}), [1]),
    ],
)
def test_filters(query: FleetQuery, expected: list[int]) -> None:
    table = _table()
    assert ids(table, filter_rows(table, query)) == expected


SORT_EXPECTED = {
    FleetColumn.NAME: [2, 1, 3, 4],  # natural: miner-9 < miner-10 < mïner-ß < other
    FleetColumn.IP: [2, 1, 3, 4],  # numeric, missing last
    FleetColumn.SITE: [2, 1, 3, 4],  # "site a" < "Site B" case-insensitively, missing last
    FleetColumn.HASHRATE: [3, 1, 2, 4],
    FleetColumn.TEMP_MAX: [3, 1, 2, 4],
    FleetColumn.STATUS: [1, 3, 2, 4],  # ok < offline, unknown last
    FleetColumn.POOL: [3, 1, 2, 4],
    FleetColumn.CLIENT: [1, 4, 3, 2],
    FleetColumn.RACK_POSITION: [4, 1, 2, 3],  # R2/1 < R2/3 < R10/1
    FleetColumn.ALERTS: [3, 4, 1, 2],  # none < warning < critical
    FleetColumn.FIRMWARE: [1, 4, 3, 2],
    FleetColumn.SERIAL: [1, 2, 4, 3],
}


@pytest.mark.parametrize("column", list(FleetColumn))
def test_every_column_sorts_with_missing_last_both_ways(column: FleetColumn) -> None:
    table = _table()
    rows = np.arange(len(table))
    key = sort_key(table, column)
    for descending in (False, True):
        order = sort_rows(table, rows, column, descending)
        values = key[order]
        present = values[~np.isnan(values)]
        assert np.isnan(values[len(present):]).all(), "missing values must come last"
        step = np.diff(present)
        assert (step <= 0).all() if descending else (step >= 0).all()
    if column in SORT_EXPECTED:
        assert ids(table, sort_rows(table, rows, column)) == SORT_EXPECTED[column]


def test_descending_sort_is_stable_for_ties() -> None:
    table = _table()
    order = sort_rows(table, np.arange(4), FleetColumn.MODEL, descending=True)
    assert ids(table, order) == [1, 4, 2, 3]  # S21 tie keeps table order; missing model last


def test_run_query_filters_then_sorts() -> None:
    table = _table()
    query = FleetQuery(sites={"Site B"}, sort_column=FleetColumn.HASHRATE, descending=True)
    assert ids(table, run_query(table, query)) == [1, 3]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(math.nan)), min_size=1, max_size=60),
       st.booleans())
def test_numeric_sort_matches_a_python_reference(values: list[float], descending: bool) -> None:
    records = [MinerRecord(i, f"m{i}") for i in range(len(values))]
    table = FleetTable(records)
    table.apply_cycle(CycleUpdate(miner_ids=np.arange(len(values)), temp_max_c=np.array(values)))
    order = sort_rows(table, np.arange(len(values)), FleetColumn.TEMP_MAX, descending)
    present = [i for i, v in enumerate(values) if not math.isnan(v)]
    missing = [i for i, v in enumerate(values) if math.isnan(v)]
    expected = sorted(present, key=lambda i: -values[i] if descending else values[i]) + missing
    assert order.tolist() == expected


def test_query_validation_names_the_field() -> None:
    with pytest.raises(ValueError, match=r"FleetQuery.statuses"):
        FleetQuery(statuses={42})
    with pytest.raises(ValueError, match=r"FleetQuery.sort_column: unknown column 'speed'"):
        FleetQuery(sort_column="speed")


def test_query_dict_round_trip() -> None:
    query = FleetQuery("x 10.", {MinerStatus.ERROR, MinerStatus.OK}, {"A", None}, {"S21"},
                       {"Acme"}, {"t"}, FleetColumn.POWER, True)
    assert FleetQuery.from_dict(query.to_dict()) == query
    with pytest.raises(ValueError, match="unknown status 'sleeping'"):
        FleetQuery.from_dict({"statuses": ["sleeping"]})


def test_synthetic_fleet_search_and_status_filter_at_scale() -> None:
    records = synthetic_records(3000)
    table = FleetTable(records)
    table.apply_cycle(synthetic_cycle(records, 1))
    query = FleetQuery(search_text="s2-r00", statuses={MinerStatus.OK})
    rows = filter_rows(table, query)
    names = table.arrays.name[rows]
    assert len(rows) > 0
    assert all(n.lower().startswith("s2-r00") for n in names)
    assert (table.arrays.status[rows] == MinerStatus.OK).all()
    brute = [i for i, r in enumerate(records) if r.name.lower().startswith("s2-r00")
             and table.arrays.status[i] == MinerStatus.OK]
    assert rows.tolist() == brute
