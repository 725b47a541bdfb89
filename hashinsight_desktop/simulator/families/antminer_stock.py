"""Stock Antminer (bmminer 49.0.1.3, S19 Pro capture) over the cgminer RPC.

Quirks kept from the real replies: ``Getwork`` (not ``Getworks``) in summary,
``"total rate"`` with a space, ``temp_pcbN``/``temp_chipN`` as "a-b-c-d" strings,
``chain_rateN`` as strings with ``""`` for the absent 4th chain, ``Tenperature`` in
devs (whose single ``BTM_SOC`` device always reports MHS 0), ``"Pool Stale%%"``.

Stock firmware accepts no write command from the network (its api-allow grants W
only to 127.0.0.1), so restart/addpool/switchpool/... answer "Access denied" (code
45), curtail commands are invalid (code 14) and ``+``-joined commands are rejected.
"""

from __future__ import annotations

import functools
from typing import Any

from hashinsight_desktop.simulator.families.base import Farm, Firmware, Reply
from hashinsight_desktop.simulator.templates import shared, template

_T = "antminer-s19pro-stock49.0.1.3_"


@functools.cache
def chip_status(chips: int) -> str:
    """The ``chain_acsN`` string: chips in groups of 3 or 4 'o's, space separated."""
    if chips <= 0:
        return ""
    group = 4 if chips % 4 == 0 and chips % 3 else 3
    full, rest = divmod(chips, group)
    parts = ["o" * group] * full + (["o" * rest] if rest else [])
    return " " + " ".join(parts)


def _set_typed(block: dict[str, Any], key: str, value: float) -> None:
    """Set ``key`` only if the template has it, in the template's type (int or float)."""
    if key in block:
        block[key] = type(block[key])(value)


def temp_quad(hot: float, cold: float) -> str:
    """Bitmain's four-sensor string: outlet, inlet, inlet, outlet ("78-50-69-70")."""
    return f"{round(hot)}-{round(cold)}-{round(hot - 9)}-{round(hot - 8)}"


def fill_bitmain_stats(block: dict[str, Any], farm: Farm, i: int, freq: float) -> None:
    """Update a flat Bitmain-style stats block (stock and LuxOS share the layout)."""
    dyn = farm.dyn
    chips = int(dyn.chips_per_board[i])
    # Plain lists: indexing numpy element by element costs more than the rest here.
    chip_temps = dyn.chip_temp[i].tolist()
    board_ths = dyn.board_ths[i].tolist()
    present = dyn.board_present[i].tolist()
    alive = dyn.board_alive[i].tolist()
    fans = dyn.fan_rpm[i].tolist()
    inlet = dyn.ambient_at(i) + 3.0 if dyn.cooling[i] == 0 else 32.0
    block.update({"Elapsed": int(dyn.elapsed_s[i]),
                  "GHS 5s": round(float(dyn.hashrate_ths[i]) * 1000.0, 2),
                  "GHS av": round(dyn.avg_ths(i) * 1000.0, 2)})
    if "rate_30m" in block:
        block["rate_30m"] = round(float(dyn.ema["30m"][i]) * 1000.0, 2)
    for f in range(4):
        block[f"fan{f + 1}"] = int(fans[f])
    for b in range(4):
        n = b + 1
        chip = chip_temps[b] if present[b] else 0.0
        pcb = chip - 5.0 if present[b] else 0.0
        _set_typed(block, f"temp{n}", round(pcb))
        _set_typed(block, f"temp2_{n}", round(chip))
        if present[b]:
            block[f"temp_pcb{n}"] = temp_quad(pcb, inlet)
            block[f"temp_chip{n}"] = temp_quad(chip, inlet + 5)
            block[f"temp_pic{n}"] = temp_quad(pcb - 10, inlet - 10)
            block[f"chain_rate{n}"] = f"{board_ths[b] * 1000.0:.2f}"
        else:
            block[f"temp_pcb{n}"] = block[f"temp_chip{n}"] = block[f"temp_pic{n}"] = "0-0-0-0"
        block[f"chain_acn{n}"] = chips if alive[b] else 0
        block[f"chain_acs{n}"] = chip_status(chips) if alive[b] else ""
        _set_typed(block, f"freq{n}", freq if alive[b] else 0)
    if isinstance(block.get("temp_max"), float):  # LuxOS fills it; stock always says 0
        block["temp_max"] = float(round(max(chip_temps)))
    block["total_rateideal"] = round(float(dyn.nominal_ths[i]) * 1000.0
                                      * float(dyn.power_target[i]) ** 0.85, 2)
    block["total rate"] = block["GHS av"]
    block["total_acn"] = chips * sum(alive)
    block["miner_count"] = int(dyn.n_boards[i])
    if dyn.n_fans[i]:
        block["fan_num"] = int(dyn.n_fans[i])


class AntminerStock(Firmware):
    family = "antminer_stock"
    description = "cgminer 1.0.0"
    supports_multi = False

    def __init__(self, farm: Farm) -> None:
        super().__init__(farm)
        self.commands.update({
            "summary": self.summary, "stats": self.stats, "pools": self.pools,
            "version": self.version, "devs": self.devs,
        })
        for name in self.write_commands:
            self.commands[name] = self._denied(name)

    def _denied(self, name: str):  # type: ignore[no-untyped-def]
        return lambda index, parameter: self.access_denied(name)

    def version(self, i: int, parameter: str | None) -> Reply:
        reply = template(_T + "version")
        reply["VERSION"][0]["Type"] = self.farm.specs[i].model
        return self.stamp(reply)

    def summary(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        reply = self.stamp({"STATUS": shared(_T + "summary")["STATUS"], "SUMMARY": None,
                            "id": 1})
        row = dict(shared(_T + "summary")["SUMMARY"][0])
        ghs = float(dyn.hashrate_ths[i]) * 1000.0
        acc, rej = int(dyn.accepted[i]), int(dyn.rejected[i])
        elapsed = max(int(dyn.elapsed_s[i]), 1)
        row.update({
            "Elapsed": elapsed, "GHS 5s": round(ghs, 2),
            "GHS av": round(float(dyn.avg_ths(i)) * 1000.0, 2),
            "GHS 30m": round(float(dyn.ema["30m"][i]) * 1000.0, 2),
            "Accepted": acc, "Rejected": rej, "Getwork": acc // 1 + 100,
            "Utility": round(acc * 60.0 / elapsed, 2),
            "Total MH": round(float(dyn.total_mh[i]), 1),
            "Difficulty Accepted": float(acc * 65536), "Difficulty Rejected": float(rej * 65536),
            "Device Rejected%": round(100.0 * rej / max(acc + rej, 1), 4),
            "Pool Rejected%": round(100.0 * rej / max(acc + rej, 1), 4),
            "Last getwork": self.farm.when,
        })
        reply["SUMMARY"] = [row]
        return reply

    def stats(self, i: int, parameter: str | None) -> Reply:
        # new_api is not simulated: no RPC capture of it exists in the corpus.
        base = shared(_T + "stats")
        head = dict(base["STATS"][0])
        head["Type"] = self.farm.specs[i].model
        block = dict(base["STATS"][1])
        fill_bitmain_stats(block, self.farm, i, freq=525)
        block["miner_id"] = self.farm.specs[i].serial.lower()[:16]
        reply = {"STATUS": base["STATUS"], "STATS": [head, block], "id": 1}
        return self.stamp(reply)

    def pools(self, i: int, parameter: str | None) -> Reply:
        base = shared(_T + "pools")
        rows = self.pool_rows(i, base["POOLS"])
        return self.stamp({"STATUS": base["STATUS"], "POOLS": rows, "id": 1},
                          Msg=f"{len(rows)} Pool(s)")

    def devs(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        base = shared(_T + "devs")
        row = dict(base["DEVS"][0])
        row.update({"Accepted": int(dyn.accepted[i]), "Rejected": int(dyn.rejected[i]),
                    "Device Elapsed": int(dyn.elapsed_s[i]),
                    "Last Share Time": self.farm.when, "Last Valid Work": self.farm.when,
                    "Last Share Difficulty": self.farm.when,
                    "Difficulty Accepted": int(dyn.accepted[i]) * 65536,
                    "Difficulty Rejected": int(dyn.rejected[i]) * 65536})
        return self.stamp({"STATUS": base["STATUS"], "DEVS": [row], "id": 1})
