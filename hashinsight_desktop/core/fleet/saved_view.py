"""A named grid layout the operator can come back to: query + visible columns + order.

Storage is someone else's job (settings, database); this only converts to and
from a JSON-ready dict.  Unknown column names in stored data are dropped rather
than failing, so a view saved by a newer version still opens.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hashinsight_desktop.core.fleet.columns import ALL_COLUMNS, HIDDEN_BY_DEFAULT, FleetColumn
from hashinsight_desktop.core.fleet.query import FleetQuery

#: Bump when the dict layout changes incompatibly.
SAVED_VIEW_SCHEMA = 1


@dataclasses.dataclass(frozen=True)
class SavedView:
    name: str
    query: FleetQuery = dataclasses.field(default_factory=FleetQuery)
    visible_columns: tuple[FleetColumn, ...] = tuple(
        c for c in ALL_COLUMNS if c not in HIDDEN_BY_DEFAULT
    )
    column_order: tuple[FleetColumn, ...] = ALL_COLUMNS

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("SavedView.name must not be empty")
        object.__setattr__(self, "visible_columns", tuple(FleetColumn(c) for c in self.visible_columns))
        object.__setattr__(self, "column_order", tuple(FleetColumn(c) for c in self.column_order))

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SAVED_VIEW_SCHEMA,
            "name": self.name,
            "query": self.query.to_dict(),
            "visible_columns": [c.value for c in self.visible_columns],
            "column_order": [c.value for c in self.column_order],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SavedView:
        schema = data.get("schema", SAVED_VIEW_SCHEMA)
        if schema > SAVED_VIEW_SCHEMA:
            raise ValueError(
                f"saved view {data.get('name')!r} has schema {schema}; this version reads "
                f"up to {SAVED_VIEW_SCHEMA}"
            )
        if not isinstance(data.get("name"), str):
            raise ValueError("saved view: 'name' is missing or not a string")
        return cls(
            name=data["name"],
            query=FleetQuery.from_dict(data.get("query", {})),
            visible_columns=_known_columns(data.get("visible_columns", [])),
            column_order=_complete_order(_known_columns(data.get("column_order", []))),
        )


def _known_columns(values: list[str]) -> tuple[FleetColumn, ...]:
    known = {c.value for c in FleetColumn}
    return tuple(FleetColumn(v) for v in values if v in known)


def _complete_order(order: tuple[FleetColumn, ...]) -> tuple[FleetColumn, ...]:
    """Columns added after the view was saved go at the end, in default order."""
    return order + tuple(c for c in ALL_COLUMNS if c not in order)
