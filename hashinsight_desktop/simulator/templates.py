"""Real miner replies (see templates/INDEX.md) loaded once and copied per reply."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

TEMPLATE_DIR = Path(__file__).with_name("templates")


@functools.cache
def _load(name: str) -> Any:
    return json.loads((TEMPLATE_DIR / f"{name}.json").read_text(encoding="utf-8"))


def template(name: str) -> Any:
    """A deep copy of template ``name`` (file name without ``.json``)."""
    return copy.deepcopy(_load(name))


def shared(name: str) -> Any:
    """The cached template itself: read-only use (copy what you change)."""
    return _load(name)


def preload() -> None:
    """Read every template now, so serving never touches the disk."""
    for path in TEMPLATE_DIR.glob("*.json"):
        _load(path.stem)
