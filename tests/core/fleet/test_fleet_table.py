"""FleetTable: construction, missing values, id mapping, apply_cycle change detection."""

from __future__ import annotations

import numpy as np
import pytest

from hashinsight_desktop.core.fleet import (
    CycleUpdate,
    FleetColumn,
    FleetTable,
    MinerRecord,
    MinerStatus,
)
from hashinsight_desktop.core.fleet.codes import MISSING_CODE


def _records(n: int = 5) -> list[MinerRecord]:
    return [
        MinerRecord(
            miner_id=10 + i * 3,
            name=f"m{i}",
            ip=f"10.0.0.{i + 1}",
            site="A" if i % 2 else "B",
            model="S21",
            client=None if i == 0 else "Acme",
            tags=frozenset({"hot"}) if i == 1 else frozenset(),
            nominal_ths=200.0 if i != 4 else None,
        )
        for i in range(n)
    ]


def test_new_table_has_unknown_live_values_not_zero() -> None:
    table = FleetTable(_records())
    a = table.arrays
    assert len(table) == 5
    assert np.isnan(a.hashrate_ths).all() and np.isnan(a.temp_max_c).all()
    assert np.isnan(a.last_seen).all() and np.isnan(a.j_per_th).all()
    assert (a.status == MinerStatus.UNKNOWN).all()
    assert (a.pool == MISSING_CODE).all()
    assert a.client[0] == MISSING_CODE and table.clients.label(int(a.client[1])) == "Acme"
    assert np.isnan(a.nominal_ths[4])


def test_duplicate_miner_ids_are_rejected_with_the_id() -> None:
    records = [*_records(2), MinerRecord(miner_id=10, name="dup")]
    with pytest.raises(ValueError, match=r"miner_id must be unique; duplicated: \[10\]"):
        FleetTable(records)


def test_rows_for_ids_is_vectorised_and_reports_unknown() -> None:
    table = FleetTable(_records())
    rows, found = table.rows_for_ids(np.array([22, 999, 10, 13]))
    assert found.tolist() == [True, False, True, True]
    assert rows.tolist() == [4, 0, 1]
    assert table.row_of(16) == 2 and table.row_of(11) is None


def test_apply_cycle_reports_exactly_the_changed_cells() -> None:
    table = FleetTable(_records())
    first = CycleUpdate(
        miner_ids=np.array([10, 13, 16]),
        hashrate_ths=np.array([200.0, 100.0, np.nan]),
        temp_max_c=np.array([70.0, np.nan, 80.0]),
        status=np.array([0, 0, 2]),
    )
    changes = table.apply_cycle(first)
    assert changes.by_column[FleetColumn.HASHRATE].tolist() == [0, 1]  # NaN -> NaN: no change
    assert changes.by_column[FleetColumn.TEMP_MAX].tolist() == [0, 2]
    assert changes.by_column[FleetColumn.STATUS].tolist() == [0, 1, 2]
    assert changes.by_column[FleetColumn.PCT_NOMINAL].tolist() == [0, 1]
    assert FleetColumn.POWER not in changes.by_column  # not provided: untouched
    assert table.arrays.pct_of_nominal[:2].tolist() == [100.0, 50.0]

    again = table.apply_cycle(first)
    assert not again and again.cell_count == 0

    second = CycleUpdate(miner_ids=np.array([13]), hashrate_ths=np.array([120.0]),
                         power_w=np.array([3000.0]))
    changes = table.apply_cycle(second)
    assert set(changes.by_column) == {
        FleetColumn.HASHRATE, FleetColumn.POWER, FleetColumn.PCT_NOMINAL, FleetColumn.J_PER_TH,
    }
    assert table.arrays.j_per_th[1] == pytest.approx(25.0)
    assert changes.rows.tolist() == [1]


def test_apply_cycle_unknown_ids_and_duplicates_last_wins() -> None:
    table = FleetTable(_records())
    update = CycleUpdate(
        miner_ids=np.array([10, 555, 10]),
        temp_max_c=np.array([60.0, 61.0, 62.0]),
        pool=np.array(["stratum+tcp://a:1", None, "stratum+tcp://b:2"], dtype=object),
    )
    changes = table.apply_cycle(update)
    assert changes.unknown_ids.tolist() == [555]
    assert table.arrays.temp_max_c[0] == 62.0
    assert table.pools.label(int(table.arrays.pool[0])) == "stratum+tcp://b:2"


def test_derived_columns_are_nan_when_undefined() -> None:
    table = FleetTable(_records())
    table.apply_cycle(CycleUpdate(
        miner_ids=np.array([10, 22]), hashrate_ths=np.array([0.0, 150.0]),
        power_w=np.array([50.0, 3000.0]),
    ))
    a = table.arrays
    assert np.isnan(a.j_per_th[0])  # not hashing: no efficiency
    assert a.pct_of_nominal[0] == 0.0
    assert np.isnan(a.pct_of_nominal[4])  # no nominal hashrate known
    assert a.j_per_th[4] == pytest.approx(20.0)


def test_cycle_update_names_the_bad_field() -> None:
    with pytest.raises(ValueError, match=r"CycleUpdate.temp_max_c has shape \(1,\); expected \(2,\)"):
        CycleUpdate(miner_ids=np.array([1, 2]), temp_max_c=np.array([3.0]))


def test_add_and_remove_miners_keep_live_values_and_mapping() -> None:
    table = FleetTable(_records())
    table.apply_cycle(CycleUpdate(miner_ids=np.array([22]), temp_max_c=np.array([77.0])))
    new_rows = table.add_miners([MinerRecord(miner_id=1, name="new", site="C")])
    assert new_rows.tolist() == [5]
    assert table.row_of(1) == 5 and np.isnan(table.arrays.temp_max_c[5])
    assert "C" in table.sites.labels
    assert table.remove_miners([10, 13, 4242]) == 2
    assert len(table) == 4
    assert table.arrays.temp_max_c[table.row_of(22)] == 77.0
    assert table.row_of(10) is None
    with pytest.raises(ValueError, match="duplicated"):
        table.add_miners([MinerRecord(miner_id=22, name="again")])


def test_empty_table_accepts_cycles() -> None:
    table = FleetTable([])
    changes = table.apply_cycle(CycleUpdate(miner_ids=np.array([1]), temp_max_c=np.array([1.0])))
    assert not changes and changes.unknown_ids.tolist() == [1]
