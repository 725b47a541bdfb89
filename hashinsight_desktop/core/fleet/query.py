"""Filter and sort the fleet in numpy: a FleetQuery becomes the grid's view order.

The view order is an int array of table rows, top to bottom.  Filters are
combined with AND across kinds and OR within a kind (statuses {offline, error}
shows both); an empty set means "no filter".  Labels, not codes, are stored in
a query so a saved query survives a restart where codes are numbered anew.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import numpy as np

from hashinsight_desktop.core.fleet.codes import MinerStatus
from hashinsight_desktop.core.fleet.columns import FleetColumn
from hashinsight_desktop.core.fleet.labels import LabelCodes
from hashinsight_desktop.core.fleet.sort_keys import sort_key
from hashinsight_desktop.core.fleet.table import FleetTable


@dataclasses.dataclass(frozen=True)
class FleetQuery:
    """What the operator asked to see, and in which order.

    ``search_text`` is split on whitespace; every word must occur (case-
    insensitively) in the name, IP, serial or client of a row.  In the label
    sets, None stands for "no value" (e.g. miners without a client).
    """

    search_text: str = ""
    statuses: frozenset[MinerStatus] = frozenset()
    sites: frozenset[str | None] = frozenset()
    models: frozenset[str | None] = frozenset()
    clients: frozenset[str | None] = frozenset()
    tags: frozenset[str] = frozenset()
    sort_column: FleetColumn | None = None
    descending: bool = False

    def __post_init__(self) -> None:
        # Accept any iterable (lists from JSON, sets from widgets) but store frozensets.
        for name in ("sites", "models", "clients", "tags"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        try:
            statuses = frozenset(MinerStatus(s) for s in self.statuses)
        except ValueError as exc:
            raise ValueError(f"FleetQuery.statuses: {exc}") from None
        object.__setattr__(self, "statuses", statuses)
        if self.sort_column is not None:
            try:
                object.__setattr__(self, "sort_column", FleetColumn(self.sort_column))
            except ValueError:
                raise ValueError(
                    f"FleetQuery.sort_column: unknown column {self.sort_column!r}"
                ) from None

    def is_filtered(self) -> bool:
        return bool(
            self.search_text.strip()
            or self.statuses or self.sites or self.models or self.clients or self.tags
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "search_text": self.search_text,
            "statuses": sorted(s.name.lower() for s in self.statuses),
            "sites": _sorted_labels(self.sites),
            "models": _sorted_labels(self.models),
            "clients": _sorted_labels(self.clients),
            "tags": sorted(self.tags),
            "sort_column": None if self.sort_column is None else self.sort_column.value,
            "descending": self.descending,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FleetQuery:
        statuses = []
        for name in data.get("statuses", []):
            try:
                statuses.append(MinerStatus[str(name).upper()])
            except KeyError:
                raise ValueError(
                    f"FleetQuery.statuses: unknown status {name!r}; expected one of "
                    f"{', '.join(s.name.lower() for s in MinerStatus)}"
                ) from None
        return cls(
            search_text=str(data.get("search_text", "")),
            statuses=frozenset(statuses),
            sites=frozenset(data.get("sites", [])),
            models=frozenset(data.get("models", [])),
            clients=frozenset(data.get("clients", [])),
            tags=frozenset(data.get("tags", [])),
            sort_column=data.get("sort_column"),
            descending=bool(data.get("descending", False)),
        )


def run_query(table: FleetTable, query: FleetQuery) -> np.ndarray:
    """The view order for ``query``: filtered rows, sorted if a sort column is set."""
    rows = filter_rows(table, query)
    if query.sort_column is None:
        return rows
    return sort_rows(table, rows, query.sort_column, query.descending)


def filter_rows(table: FleetTable, query: FleetQuery) -> np.ndarray:
    """Table rows passing every filter of ``query``, in table order."""
    a = table.arrays
    mask = np.ones(len(table), dtype=bool)
    if query.statuses:
        mask &= np.isin(a.status, np.array(sorted(query.statuses), dtype=np.int8))
    for labels, codes, wanted in (
        (table.sites, a.site, query.sites),
        (table.models, a.model, query.models),
        (table.clients, a.client, query.clients),
    ):
        if wanted:
            mask &= _label_mask(labels, codes, wanted)
    if query.tags:
        mask &= tag_mask(table, query.tags)
    rows = np.flatnonzero(mask)
    for word in query.search_text.lower().split():
        if len(rows) == 0:
            break
        hits = np.strings.find(a.haystack[rows], word.encode()) >= 0
        rows = rows[hits]
    return rows.astype(np.int64, copy=False)


def sort_rows(
    table: FleetTable, rows: np.ndarray, column: FleetColumn, descending: bool = False
) -> np.ndarray:
    """``rows`` reordered by ``column``; stable, missing values last in both directions."""
    key = sort_key(table, column)[rows]
    if descending:
        key = -key  # -NaN is NaN: still last
    return rows[np.argsort(key, kind="stable")]


def tag_mask(table: FleetTable, tags: Iterable[str]) -> np.ndarray:
    """Rows carrying at least one of ``tags``."""
    per_tag = table.cached_static("tag_masks", lambda: _build_tag_masks(table))
    mask = np.zeros(len(table), dtype=bool)
    for tag in tags:
        found = per_tag.get(tag)
        if found is not None:
            mask |= found
    return mask


def all_tags(table: FleetTable) -> list[str]:
    """Every tag used in the fleet, sorted, for the tag filter drop-down."""
    per_tag = table.cached_static("tag_masks", lambda: _build_tag_masks(table))
    return sorted(per_tag, key=str.casefold)


def _build_tag_masks(table: FleetTable) -> dict[str, np.ndarray]:
    rows_by_tag: dict[str, list[int]] = {}
    for row, tags in enumerate(table.arrays.tags):
        for tag in tags:
            rows_by_tag.setdefault(tag, []).append(row)
    masks = {}
    for tag, rows in rows_by_tag.items():
        mask = np.zeros(len(table), dtype=bool)
        mask[rows] = True
        masks[tag] = mask
    return masks


def _label_mask(labels: LabelCodes, codes: np.ndarray, wanted: frozenset[str | None]) -> np.ndarray:
    return np.isin(codes, labels.existing_codes(wanted))


def _sorted_labels(labels: frozenset[str | None]) -> list[str | None]:
    return sorted(labels, key=lambda x: (x is not None, x or ""))
