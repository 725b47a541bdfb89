"""Categorical text columns: an int code per row plus one list of labels.

Sites, models, clients, firmware versions and pools repeat across thousands of
miners; storing codes makes filters an ``np.isin`` and sorts a rank lookup.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from hashinsight_desktop.core.fleet.codes import MISSING_CODE
from hashinsight_desktop.core.fleet.natural import natural_key


class LabelCodes:
    """Grow-only mapping label <-> code (codes are never reused)."""

    def __init__(self) -> None:
        self._labels: list[str] = []
        self._codes: dict[str, int] = {}

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def label(self, code: int) -> str | None:
        return None if code < 0 else self._labels[code]

    def code(self, label: str | None) -> int:
        """Code of ``label``; adds it when new. None and "" are missing."""
        if label is None or label == "":
            return MISSING_CODE
        found = self._codes.get(label)
        if found is None:
            found = len(self._labels)
            self._labels.append(label)
            self._codes[label] = found
        return found

    def encode(self, labels: Iterable[str | None]) -> np.ndarray:
        """Codes for many labels: one Python-level lookup per distinct label, the
        per-element mapping runs through C (``map`` over ``dict.__getitem__``)."""
        values = list(labels)
        mapping = {label: self.code(label) for label in dict.fromkeys(values)}
        return np.fromiter(map(mapping.__getitem__, values), dtype=np.int32, count=len(values))

    def existing_codes(self, labels: Iterable[str | None]) -> np.ndarray:
        """Codes of labels already known (None -> MISSING_CODE); unknown labels are skipped."""
        out = []
        for label in labels:
            if label is None or label == "":
                out.append(MISSING_CODE)
            elif label in self._codes:
                out.append(self._codes[label])
        return np.asarray(out, dtype=np.int32)

    def sort_rank(self) -> np.ndarray:
        """Float rank per code in natural, case-insensitive label order.

        Index with ``codes`` directly: the extra last slot (NaN) is what code -1
        picks, which puts missing values last.
        """
        rank = np.full(len(self._labels) + 1, np.nan)
        order = sorted(range(len(self._labels)), key=lambda c: natural_key(self._labels[c]))
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.float64)
        return rank
