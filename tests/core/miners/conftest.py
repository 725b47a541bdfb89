"""Fixtures for the miner protocol tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_multi_command_memory() -> None:
    from hashinsight_desktop.core.miners.client import reset_multi_command_memory

    reset_multi_command_memory()
