"""Any other cgminer-family firmware (Hammer ccminer, unknown forks): best effort.

Reads ``summary`` (GHS or MHS keys, the unit named by the key) and a Bitmain-style flat
``stats`` block when present.
"""

from __future__ import annotations

from hashinsight_desktop.core.miners.parsers import antminer
from hashinsight_desktop.core.miners.parsers.common import ParseNotes, Replies
from hashinsight_desktop.core.miners.reading import MinerReading


def parse(replies: Replies, reading: MinerReading, notes: ParseNotes) -> None:
    antminer.parse(replies, reading, notes)
