"""Fixtures for the fleet grid tests: small synthetic fleets and their models."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hashinsight_desktop.core.fleet.records import MinerRecord
from hashinsight_desktop.core.fleet.synthetic import synthetic_cycle, synthetic_records
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.fleet.model import FleetTableModel


@pytest.fixture
def fleet_records() -> list[MinerRecord]:
    return synthetic_records(300)


@pytest.fixture
def make_model(qtbot) -> Callable[..., FleetTableModel]:
    """Factory: a FleetTableModel over ``n`` synthetic miners after one full cycle."""
    models: list[FleetTableModel] = []

    def make(n: int = 300, cycles: int = 1) -> FleetTableModel:
        records = synthetic_records(n)
        table = FleetTable(records)
        for c in range(cycles):
            table.apply_cycle(synthetic_cycle(records, c + 1))
        model = FleetTableModel(table)
        model.records = records  # type: ignore[attr-defined]  # for tests building cycles
        models.append(model)
        return model

    yield make
    for model in models:
        model.deleteLater()


def view_rows_to_ids(model: FleetTableModel, rows) -> list[int]:
    return model.miner_ids_at(np.asarray(sorted(rows), dtype=np.int64)).tolist()
