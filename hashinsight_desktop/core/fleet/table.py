"""FleetTable: the whole fleet as numpy column arrays, one row per miner.

The grid model, the filters and the sorts read these arrays directly; a
collector cycle is applied with a handful of vectorised assignments and
reports exactly which cells changed so the view repaints only those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from hashinsight_desktop.core.fleet.arrays import FleetArrays, empty_live_columns, object_array
from hashinsight_desktop.core.fleet.columns import LIVE_FIELD_COLUMN, FleetColumn
from hashinsight_desktop.core.fleet.derived import j_per_th, pct_of_nominal
from hashinsight_desktop.core.fleet.labels import LabelCodes
from hashinsight_desktop.core.fleet.records import ChangedCells, CycleUpdate, MinerRecord

#: Separates fields in the search haystack so a search cannot match across two fields.
_FIELD_SEPARATOR = "\x1f"


class FleetTable:
    """Column store of the fleet (see module docstring)."""

    def __init__(self, records: Sequence[MinerRecord] = ()) -> None:
        self.sites = LabelCodes()
        self.models = LabelCodes()
        self.firmwares = LabelCodes()
        self.clients = LabelCodes()
        self.pools = LabelCodes()
        self.arrays = self._build_arrays(list(records))
        self._check_unique_ids(self.arrays.miner_id)
        # Caches derived from static columns; cleared whenever rows are added or removed.
        self._static_cache: dict[str, Any] = {}
        self._reindex()

    # ----------------------------------------------------------------- shape
    def __len__(self) -> int:
        return len(self.arrays)

    @property
    def miner_ids(self) -> np.ndarray:
        return self.arrays.miner_id

    # ------------------------------------------------------------ id <-> row
    def rows_for_ids(self, miner_ids: Iterable[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Table rows of ``miner_ids`` (vectorised) and a mask of which ids were found.

        Returns ``(rows, found)``; ``rows`` only holds the found ids' rows, in the
        order of the found ids.
        """
        ids = np.asarray(
            miner_ids if isinstance(miner_ids, np.ndarray) else list(miner_ids), dtype=np.int64
        )
        if len(self._sorted_ids) == 0 or len(ids) == 0:
            return np.empty(0, dtype=np.int64), np.zeros(len(ids), dtype=bool)
        pos = np.searchsorted(self._sorted_ids, ids)
        pos_clipped = np.minimum(pos, len(self._sorted_ids) - 1)
        found = self._sorted_ids[pos_clipped] == ids
        return self._sorted_rows[pos_clipped[found]], found

    def row_of(self, miner_id: int) -> int | None:
        rows, found = self.rows_for_ids(np.array([miner_id], dtype=np.int64))
        return int(rows[0]) if found[0] else None

    # ------------------------------------------------------------ mutation
    def add_miners(self, records: Sequence[MinerRecord]) -> np.ndarray:
        """Append miners (live columns unknown); returns their new rows."""
        new = self._build_arrays(list(records))
        self._check_unique_ids(np.concatenate([self.arrays.miner_id, new.miner_id]))
        start = len(self.arrays)
        self.arrays = self.arrays.concat(new)
        self._static_cache.clear()
        self._reindex()
        return np.arange(start, len(self.arrays), dtype=np.int64)

    def remove_miners(self, miner_ids: Iterable[int]) -> int:
        """Remove miners by id (unknown ids ignored); rows after them shift up.

        Returns how many rows were removed.
        """
        rows, _found = self.rows_for_ids(miner_ids)
        if len(rows) == 0:
            return 0
        keep = np.ones(len(self.arrays), dtype=bool)
        keep[rows] = False
        self.arrays = self.arrays.take(np.flatnonzero(keep))
        self._static_cache.clear()
        self._reindex()
        return len(np.unique(rows))

    def apply_cycle(self, update: CycleUpdate) -> ChangedCells:
        """Write one cycle's readings in place; report the cells whose value changed."""
        changes = ChangedCells()
        rows, found = self.rows_for_ids(update.miner_ids)
        changes.unknown_ids = update.miner_ids[~found]
        if len(rows) == 0:
            return changes
        picks = np.flatnonzero(found)
        rows, picks = _last_occurrence(rows, picks)
        a = self.arrays
        for name in update.provided_fields():
            new = getattr(update, name)[picks]
            if name == "pool":
                new = self.pools.encode(new)
            changed = _write_changed(getattr(a, name), rows, new)
            changes.add(LIVE_FIELD_COLUMN[name], changed)
        provided = set(update.provided_fields())
        if provided & {"hashrate_ths"}:
            new_pct = pct_of_nominal(a.hashrate_ths[rows], a.nominal_ths[rows])
            changes.add(FleetColumn.PCT_NOMINAL, _write_changed(a.pct_of_nominal, rows, new_pct))
        if provided & {"hashrate_ths", "power_w"}:
            new_eff = j_per_th(a.power_w[rows], a.hashrate_ths[rows])
            changes.add(FleetColumn.J_PER_TH, _write_changed(a.j_per_th, rows, new_eff))
        return changes

    # --------------------------------------------------------------- caches
    def cached_static(self, key: str, build: Callable[[], Any]) -> Any:
        """Memoise something computed from static columns until rows change."""
        if key not in self._static_cache:
            self._static_cache[key] = build()
        return self._static_cache[key]

    # ------------------------------------------------------------- helpers
    def _reindex(self) -> None:
        order = np.argsort(self.arrays.miner_id, kind="stable")
        self._sorted_ids = self.arrays.miner_id[order]
        self._sorted_rows = order.astype(np.int64)

    @staticmethod
    def _check_unique_ids(ids: np.ndarray) -> None:
        unique, counts = np.unique(ids, return_counts=True)
        if len(unique) != len(ids):
            dupes = unique[counts > 1][:5].tolist()
            raise ValueError(f"miner_id must be unique; duplicated: {dupes}")

    def _build_arrays(self, records: list[MinerRecord]) -> FleetArrays:
        n = len(records)
        nominal = np.array(
            [np.nan if r.nominal_ths is None else r.nominal_ths for r in records], dtype=np.float64
        )
        for r in records:
            if not isinstance(r.tags, frozenset):
                raise ValueError(f"miner {r.miner_id}: tags must be a frozenset of str")
        return FleetArrays(
            miner_id=np.array([r.miner_id for r in records], dtype=np.int64),
            name=object_array([r.name for r in records]),
            ip=object_array([r.ip for r in records]),
            site=self.sites.encode(r.site for r in records),
            rack=object_array([r.rack for r in records]),
            position=object_array([r.position for r in records]),
            model=self.models.encode(r.model for r in records),
            firmware=self.firmwares.encode(r.firmware for r in records),
            serial=object_array([r.serial for r in records]),
            client=self.clients.encode(r.client for r in records),
            tags=object_array([r.tags for r in records]),
            nominal_ths=nominal,
            haystack=_haystack(records),
            **empty_live_columns(n),
        )


def _haystack(records: list[MinerRecord]) -> np.ndarray:
    """Lowercase UTF-8 bytes of the searchable fields, one entry per row.

    Bytes (dtype S) are a quarter the size of numpy unicode and ``np.strings.find``
    over 100,000 of them takes a few ms; UTF-8 substring search is exact because
    UTF-8 never matches in the middle of a character.
    """
    texts = [
        _FIELD_SEPARATOR.join(x or "" for x in (r.name, r.ip, r.serial, r.client)).lower().encode()
        for r in records
    ]
    return np.array(texts, dtype=bytes) if texts else np.empty(0, dtype="S1")


def _last_occurrence(rows: np.ndarray, picks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop duplicate rows keeping the last reading (numpy fancy assignment
    does not promise which duplicate wins)."""
    ordered = np.sort(rows)
    if not (ordered[1:] == ordered[:-1]).any():
        return rows, picks
    reversed_rows = rows[::-1]
    _, first_in_reversed = np.unique(reversed_rows, return_index=True)
    keep = np.sort(len(rows) - 1 - first_in_reversed)
    return rows[keep], picks[keep]


def _write_changed(column: np.ndarray, rows: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Assign ``column[rows] = new`` and return the rows whose value changed (NaN-aware)."""
    old = column[rows]
    if column.dtype.kind == "f":
        same = (old == new) | (np.isnan(old) & np.isnan(new))
    else:
        same = old == new
    changed_rows = rows[~same]
    column[changed_rows] = new[~same]
    return np.sort(changed_rows)
