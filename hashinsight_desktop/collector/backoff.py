"""Per-miner backoff: stop hammering miners that have been dead for several cycles.

After ``threshold`` offline cycles in a row a miner is skipped for 1, 2, 4, ... cycles
(capped at ``max_skip``) between retries; the first answer resets it.  A skipped miner
still counts as offline (reason "backoff") in the cycle's statistics.  State lives in
memory: a restarted collector polls everyone once, which is what an operator expects.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(slots=True)
class _MinerBackoff:
    offline_streak: int = 0
    retries: int = 0  # failed retries since the streak reached the threshold
    skip_until: int = 0  # cycle number before which the miner is skipped


class Backoff:
    def __init__(self, threshold: int = 3, max_skip: int = 16) -> None:
        if threshold < 1 or max_skip < 1:
            raise ValueError("backoff threshold and max_skip must be at least 1")
        self.threshold = threshold
        self.max_skip = max_skip
        self._state: dict[int, _MinerBackoff] = {}

    def should_skip(self, miner_id: int, cycle_no: int) -> bool:
        state = self._state.get(miner_id)
        return state is not None and cycle_no < state.skip_until

    def record(self, miner_id: int, cycle_no: int, offline: bool) -> None:
        if not offline:
            self._state.pop(miner_id, None)
            return
        state = self._state.setdefault(miner_id, _MinerBackoff())
        state.offline_streak += 1
        if state.offline_streak >= self.threshold:
            skip = min(self.max_skip, 2 ** state.retries)
            state.retries += 1
            state.skip_until = cycle_no + 1 + skip

    def backed_off(self) -> int:
        """Miners currently in backoff (for status displays)."""
        return sum(1 for s in self._state.values() if s.offline_streak >= self.threshold)
