"""One parser module per firmware family; :data:`PARSERS` maps family id -> ``parse``.

Each ``parse(replies, reading, notes)`` fills a :class:`MinerReading` in place from the
replies it finds (absent commands are skipped) and records curtailment / degradation
hints in :class:`ParseNotes`.  Parsers never raise on odd values: see ``values``.
"""

from __future__ import annotations

from collections.abc import Callable

from hashinsight_desktop.core.miners.parsers import (
    antminer,
    auradine,
    avalon,
    braiins,
    generic,
    luxos,
    sealminer,
    whatsminer,
    whatsminer_v3,
)
from hashinsight_desktop.core.miners.parsers.common import ParseNotes, Replies
from hashinsight_desktop.core.miners.reading import MinerReading

Parser = Callable[[Replies, MinerReading, ParseNotes], None]

PARSERS: dict[str, Parser] = {
    "antminer_stock": antminer.parse,
    "luxos": luxos.parse,
    "braiins": braiins.parse,
    "whatsminer_v2": whatsminer.parse,
    "whatsminer_v3": whatsminer_v3.parse,
    "avalon": avalon.parse,
    "auradine": auradine.parse,
    "sealminer": sealminer.parse,
    "cgminer": generic.parse,
}

__all__ = ["PARSERS", "ParseNotes", "Parser", "Replies"]
