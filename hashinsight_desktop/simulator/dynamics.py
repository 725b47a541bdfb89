"""Fleet dynamics: hashrate, power, temperatures, fans and share counters over time.

All miners live in numpy arrays and move together in :meth:`FleetDynamics.advance`,
so stepping 100,000 miners costs a few milliseconds.  Time is simulated: the server
advances it by the wall clock, tests advance it explicitly for reproducible values.

Model, in short:

* hashrate = nominal x unit spread x power_target**0.85 x (1 + drift + noise) x ramp,
  so a down-clocked miner loses less hashrate than power (better J/TH);
* power = nominal x unit spread x power_target (a dead board saves its share);
  curtailed miners idle at 10-30 W with near-zero hashrate;
* chip temperature relaxes (tau 90 s) toward ambient + rise x load; ambient follows a
  daily cycle per site; hydro/immersion follow the coolant instead of the air;
* air-cooled fans follow the hottest chip; hydro/immersion fans are 0 by design.
"""

from __future__ import annotations

import math
import time

import numpy as np

from hashinsight_desktop.simulator.faults import FaultAssignment
from hashinsight_desktop.simulator.layout import SITES, SimMinerSpec

MAX_BOARDS = 4
MAX_FANS = 4
SHARE_DIFFICULTY = 65536.0
_SITE_AMBIENT_C = {"TX1": 27.0, "ND1": 9.0, "PY1": 30.0}
_SITE_UTC_OFFSET_H = {"TX1": -6.0, "ND1": -6.0, "PY1": -3.0}
_COOLING_CODE = {"air": 0, "hydro": 1, "immersion": 2}
_EMA_WINDOWS_S = {"1m": 60.0, "5m": 300.0, "15m": 900.0, "30m": 1800.0}
RAMP_S = 180.0  # a restarted or woken miner reaches full speed after ~3 minutes


class FleetDynamics:
    """Vectorised state of every simulated miner (index-aligned with the specs)."""

    def __init__(
        self,
        specs: list[SimMinerSpec],
        faults: FaultAssignment,
        seed: int = 1,
        start_time: float | None = None,
        stream: int = 0,
    ) -> None:
        n = len(specs)
        self.n = n
        self.rng = np.random.default_rng([seed, 0xD1A, stream])
        rng = self.rng
        models = [spec.catalog_model for spec in specs]
        self.nominal_ths = np.array([m.hashrate_ths for m in models])
        self.nominal_w = np.array([m.power_w for m in models])
        self.n_boards = np.array([min(m.hashboards, MAX_BOARDS) for m in models])
        self.n_fans = np.array([min(m.fans, MAX_FANS) for m in models])
        self.chips_per_board = np.array([m.chips_per_board or 110 for m in models])
        self.cooling = np.array([_COOLING_CODE[m.cooling] for m in models])
        sites = [spec.site if spec.site in _SITE_AMBIENT_C else SITES[0][0] for spec in specs]
        self.site_ambient = np.array([_SITE_AMBIENT_C[s] for s in sites])
        self.site_offset_h = np.array([_SITE_UTC_OFFSET_H[s] for s in sites])
        self.unit_hash = rng.normal(1.0, 0.012, n).clip(0.96, 1.04)
        self.unit_power = rng.normal(1.0, 0.02, n).clip(0.94, 1.06)
        self.idle_w = rng.uniform(10.0, 30.0, n)
        self.dead_board = faults.dead_board.copy()
        self.overheating = faults.overheating.copy()
        self.fan_failure = faults.fan_failure.copy()
        board_slots = np.arange(MAX_BOARDS)[None, :]
        self.board_present = board_slots < self.n_boards[:, None]
        self.board_alive = self.board_present.copy()
        self.board_alive[self.dead_board, 0] = False
        self.board_weight = rng.normal(1.0, 0.02, (n, MAX_BOARDS)) * self.board_alive

        # Controlled state.
        self.power_target = np.ones(n)
        self.curtailed = np.zeros(n, dtype=bool)
        # Evolving state.
        self.now = time.time() if start_time is None else float(start_time)
        self.elapsed_s = rng.uniform(2 * 3600, 20 * 86400, n)
        self.ramp_since = self.now - self.elapsed_s
        self.drift = rng.normal(0.0, 0.01, n).clip(-0.03, 0.03)
        self.noise = rng.normal(0.0, 0.012, n)
        self._compute_instant()
        self.chip_temp = self._target_chip_temp()
        self._compute_fans()
        self.ema = {name: self.hashrate_ths.copy() for name in _EMA_WINDOWS_S}
        self.total_mh = self.hashrate_ths * 1e6 * self.elapsed_s
        expected = self._share_rate() * self.elapsed_s
        self.accepted = rng.poisson(expected).astype(np.int64)
        self.rejected = rng.poisson(expected * 0.002).astype(np.int64)
        self._last_wall = time.monotonic()

    # ----------------------------------------------------------------- stepping
    def advance(self, seconds: float) -> None:
        """Move simulated time forward by ``seconds`` (> 0) for every miner."""
        if seconds <= 0:
            return
        dt = float(seconds)
        rng = self.rng
        self.now += dt
        self.elapsed_s += dt
        self.drift = (self.drift + rng.normal(0.0, 0.002 * math.sqrt(dt / 60.0), self.n)
                      ).clip(-0.03, 0.03)
        keep = math.exp(-dt / 30.0)
        self.noise = self.noise * keep + math.sqrt(1 - keep * keep) * rng.normal(
            0.0, 0.012, self.n)
        self._compute_instant()
        relax = 1.0 - math.exp(-dt / 90.0)
        self.chip_temp += (self._target_chip_temp() - self.chip_temp) * relax
        self._compute_fans()
        for name, window in _EMA_WINDOWS_S.items():
            alpha = 1.0 - math.exp(-dt / window)
            self.ema[name] += (self.hashrate_ths - self.ema[name]) * alpha
        self.total_mh += self.hashrate_ths * 1e6 * dt
        expected = self._share_rate() * dt
        self.accepted += rng.poisson(expected)
        self.rejected += rng.poisson(expected * 0.002)

    def sync_wall_clock(self) -> None:
        """Advance by the real time elapsed since the previous sync."""
        wall = time.monotonic()
        self.advance(wall - self._last_wall)
        self._last_wall = wall

    # ----------------------------------------------------------------- control
    def set_curtailed(self, index: int, curtailed: bool) -> None:
        if self.curtailed[index] and not curtailed:
            self.ramp_since[index] = self.now  # hashboards re-initialise: ramps again
        self.curtailed[index] = curtailed
        self._compute_instant()

    def set_power_target(self, index: int, fraction: float) -> None:
        self.power_target[index] = min(max(float(fraction), 0.25), 1.5)
        self._compute_instant()

    def restart(self, index: int) -> None:
        self.elapsed_s[index] = 1.0
        self.ramp_since[index] = self.now
        self.accepted[index] = 0
        self.rejected[index] = 0
        self.total_mh[index] = 0.0
        for ema in self.ema.values():
            ema[index] = 0.0
        self._compute_instant()

    # ----------------------------------------------------------------- derived
    def ambient_c(self) -> np.ndarray:
        hour = (self.now / 3600.0 + self.site_offset_h) % 24.0
        return self.site_ambient + 7.0 * np.sin(2 * np.pi * (hour - 9.0) / 24.0)

    def ambient_at(self, index: int) -> float:
        hour = (self.now / 3600.0 + float(self.site_offset_h[index])) % 24.0
        return float(self.site_ambient[index]) + 7.0 * math.sin(2 * math.pi * (hour - 9.0) / 24.0)

    def avg_ths(self, index: int) -> float:
        return float(self.total_mh[index]) / 1e6 / max(float(self.elapsed_s[index]), 1.0)

    def average_hashrate_ths(self) -> np.ndarray:
        return self.total_mh / 1e6 / np.maximum(self.elapsed_s, 1.0)

    def _compute_instant(self) -> None:
        ramp = np.clip((self.now - self.ramp_since) / RAMP_S, 0.02, 1.0)
        alive_frac = self.board_alive.sum(axis=1) / self.n_boards
        running = ~self.curtailed
        hash_frac = self.power_target ** 0.85
        self.hashrate_ths = (self.nominal_ths * self.unit_hash * hash_frac
                             * (1.0 + self.drift + self.noise) * ramp * alive_frac * running)
        # Control board, fans and PSU losses stay when a board dies: ~90 % of the share goes.
        board_power = 1.0 - 0.9 * (1.0 - alive_frac)
        hashing_w = self.nominal_w * self.unit_power * self.power_target * board_power
        self.power_w = np.where(running, hashing_w * (0.35 + 0.65 * ramp), self.idle_w)
        weights = self.board_weight / np.maximum(self.board_weight.sum(axis=1, keepdims=True),
                                                 1e-9)
        self.board_ths = weights * self.hashrate_ths[:, None]

    def _target_chip_temp(self) -> np.ndarray:
        load = self.power_w / self.nominal_w
        ambient = self.ambient_c()
        coolant = np.where(self.cooling == 0, ambient, np.where(self.cooling == 1, 32.0, 36.0))
        rise = np.where(self.cooling == 0, 40.0, 28.0)
        chip = coolant + rise * load + 25.0 * self.overheating + 9.0 * self.fan_failure
        per_board = chip[:, None] + np.linspace(-1.5, 1.5, MAX_BOARDS)[None, :]
        idle_board = coolant[:, None] + 3.0
        return np.where(self.board_alive, per_board,
                        np.where(self.board_present, idle_board, 0.0))

    def _compute_fans(self) -> None:
        hottest = self.chip_temp.max(axis=1)
        rpm = np.clip(1800.0 + (hottest - 55.0) * 160.0, 1500.0, 6600.0)
        rpm = np.where(self.curtailed, 1000.0, rpm)
        slots = np.arange(MAX_FANS)[None, :]
        fans = np.where(slots < self.n_fans[:, None], rpm[:, None] + slots * 60.0, 0.0)
        fans[self.fan_failure, 0] = 0.0
        self.fan_rpm = fans

    def _share_rate(self) -> np.ndarray:
        return self.hashrate_ths * 1e12 / (SHARE_DIFFICULTY * 2.0 ** 32)
