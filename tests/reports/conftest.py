"""Fixtures for the report tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from report_farm import Farm, make_farm


@pytest.fixture
def farm(sqlite_url: str) -> Iterator[Farm]:
    made = make_farm(sqlite_url)
    yield made
    made.engine.dispose()
