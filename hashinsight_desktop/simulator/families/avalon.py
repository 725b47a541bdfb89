"""Canaan AvalonMiner on cgminer 4.11.1 (A1566 capture for version/devs/stats/pools,
Avalon Q capture for summary and the ascset replies).

Quirks kept: ``When`` is seconds since boot (not a Unix time), devs ``Temperature``
is the -273 sentinel, hashrate in MHS (~1.9e8 = 190 TH/s), all per-board data packed
into the ``"MM ID0"`` string of ``KEY[v v v]`` tokens (``MGHS``, ``MTmax``, ``PS``,
``WALLPOWER``, ``SYSTEMSTATU``, ``SoftOFF``, ``WORKMODE``...), MAC without colons.

Control: ``ascset`` with ``0,softoff`` / ``0,softon`` (STATUS "I", code 118) and
``0,workmode,<0|1|2>`` (code 119, "ASC 0 set OK"), plus the cgminer commands restart,
addpool, switchpool, enablepool, disablepool, removepool.  ``+`` joins work.
"""

from __future__ import annotations

import re

from hashinsight_desktop.simulator.families.base import Farm, Firmware, Reply
from hashinsight_desktop.simulator.templates import shared, template

_A = "avalon-a1566-cgminer4.11.1_"
_Q = "avalon-q-cgminer4.11.1_"
_TOKEN = re.compile(r"(\S+?)\[([^\]]*)\]")
WORKMODE_TARGET = {0: 0.8, 1: 1.0, 2: 1.1}


def parse_mm(text: str) -> list[tuple[str, str]]:
    """Split an ``MM ID0`` string into (key, value) tokens, in order."""
    return _TOKEN.findall(text)


def join_mm(tokens: list[tuple[str, str]]) -> str:
    return " ".join(f"{k}[{v}]" for k, v in tokens)


def avalon_model_code(model: str, ths: float) -> str:
    """PROD/MODEL code: the A1566 capture says '15-194'; older units '1246-83'."""
    digits = "".join(ch for ch in model if ch.isdigit())
    if digits.startswith("15"):
        return f"15-{round(ths)}"
    return f"{digits}-{round(ths)}"


class Avalon(Firmware):
    family = "avalon"
    description = "cgminer 4.11.1"

    def __init__(self, farm: Farm) -> None:
        super().__init__(farm)
        self._mm_tokens = parse_mm(shared(_A + "stats")["STATS"][0]["MM ID0"])
        self.workmode: dict[int, int] = {}
        self.commands.update({
            "version": self.version, "summary": self.summary, "devs": self.devs,
            "estats": self.stats, "stats": self.stats, "pools": self.pools,
            "ascset": self.ascset,
        })
        self.install_pool_commands()

    def _when(self, i: int) -> int:
        return int(self.farm.dyn.elapsed_s[i])  # Avalon's "When" counts from boot

    def _stamp(self, reply: Reply, i: int, **changes: object) -> Reply:
        self.stamp(reply, **changes)
        reply["STATUS"][0]["When"] = self._when(i)
        return reply

    def version(self, i: int, parameter: str | None) -> Reply:
        spec = self.farm.specs[i]
        reply = template(_A + "version")
        code = avalon_model_code(spec.model, float(self.farm.dyn.nominal_ths[i]))
        reply["VERSION"][0].update({"PROD": f"AvalonMiner {code}", "MODEL": code,
                                    "DNA": spec.serial, "MAC": spec.mac.replace(":", "").lower()})
        return self._stamp(reply, i)

    def summary(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        base = shared(_Q + "summary")
        row = dict(base["SUMMARY"][0])
        acc, rej = int(dyn.accepted[i]), int(dyn.rejected[i])
        elapsed = max(int(dyn.elapsed_s[i]), 1)
        row.update({
            "Elapsed": elapsed,
            "MHS av": round(float(dyn.avg_ths(i)) * 1e6, 2),
            "MHS 5s": round(float(dyn.hashrate_ths[i]) * 1e6, 2),
            "MHS 1m": round(float(dyn.ema["1m"][i]) * 1e6, 2),
            "MHS 5m": round(float(dyn.ema["5m"][i]) * 1e6, 2),
            "MHS 15m": round(float(dyn.ema["15m"][i]) * 1e6, 2),
            "Accepted": acc, "Rejected": rej, "Total MH": round(float(dyn.total_mh[i]), 4),
            "Utility": round(acc * 60.0 / elapsed, 2),
            "Difficulty Accepted": float(acc * 65536), "Difficulty Rejected": float(rej * 65536),
        })
        return self._stamp({"STATUS": base["STATUS"], "SUMMARY": [row], "id": 1}, i)

    def devs(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        base = shared(_A + "devs")
        row = dict(base["DEVS"][0])
        row.update({
            "MHS av": round(float(dyn.avg_ths(i)) * 1e6, 2),
            "MHS 30s": round(float(dyn.hashrate_ths[i]) * 1e6, 2),
            "MHS 1m": round(float(dyn.ema["1m"][i]) * 1e6, 2),
            "MHS 5m": round(float(dyn.ema["5m"][i]) * 1e6, 2),
            "MHS 15m": round(float(dyn.ema["15m"][i]) * 1e6, 2),
            "Accepted": int(dyn.accepted[i]), "Rejected": int(dyn.rejected[i]),
            "Total MH": round(float(dyn.total_mh[i]), 1),
            "Last Share Time": self._when(i), "Last Valid Work": self._when(i),
            "Device Elapsed": int(dyn.elapsed_s[i]),
        })
        return self._stamp({"STATUS": base["STATUS"], "DEVS": [row], "id": 1}, i)

    def _mm_values(self, i: int) -> dict[str, str]:
        dyn = self.farm.dyn
        off = bool(dyn.curtailed[i])
        boards = range(int(dyn.n_boards[i]))
        alive = [bool(dyn.board_alive[i, b]) for b in boards]
        chip_max = [round(float(dyn.chip_temp[i, b]) + 7) for b in boards]
        chip_avg = [round(float(dyn.chip_temp[i, b])) for b in boards]
        wall = round(float(dyn.power_w[i]))
        ghs = float(dyn.hashrate_ths[i]) * 1000.0
        fan_pct = round(100 * float(dyn.fan_rpm[i, 0]) / 6600) if dyn.n_fans[i] else 0
        return {
            "DNA": self.farm.specs[i].serial,
            "SYSTEMSTATU": (f"Work: {'In Idle' if off else 'In Work'}, "
                            f"Hash Board: {sum(alive)} "),
            "Elapsed": str(int(dyn.elapsed_s[i])),
            "Temp": str(round(float(dyn.ambient_at(i)))),
            "TMax": str(max(chip_max) if not off else 0),
            "TAvg": str(round(sum(chip_avg) / len(chip_avg)) if not off else 0),
            "Fan1": str(int(dyn.fan_rpm[i, 0])), "Fan2": str(int(dyn.fan_rpm[i, 1])),
            "FanR": f"{fan_pct}%",
            "PS": f"0 1209 1187 {297 if not off else 0} {round(wall * 0.945)} 1188 {wall}",
            "WALLPOWER": str(wall),
            "GHSspd": f"{ghs:.2f}",
            "GHSmm": f"{float(dyn.nominal_ths[i]) * 1000.0 * 1.09:.2f}",
            "GHSavg": f"{float(dyn.avg_ths(i)) * 1000.0:.2f}",
            "MGHS": " ".join(f"{float(dyn.board_ths[i, b]) * 1000.0:.2f}" for b in boards),
            "MTmax": " ".join(str(t if a else 0) for t, a in zip(chip_max, alive, strict=True)),
            "MTavg": " ".join(str(t if a else 0) for t, a in zip(chip_avg, alive, strict=True)),
            "SoftOFF": "4" if off else "0",
            "WORKMODE": str(self.workmode.get(i, 1)),
        }

    def stats(self, i: int, parameter: str | None) -> Reply:
        base = shared(_A + "stats")
        values = self._mm_values(i)
        head = dict(base["STATS"][0])
        head["Elapsed"] = int(self.farm.dyn.elapsed_s[i])
        head["MM ID0"] = join_mm([(k, values.get(k, v)) for k, v in self._mm_tokens])
        reply = {"STATUS": base["STATUS"], "STATS": [head, *base["STATS"][1:]], "id": 1}
        return self._stamp(reply, i)

    def pools(self, i: int, parameter: str | None) -> Reply:
        base = shared(_A + "pools")
        rows = self.pool_rows(i, base["POOLS"])
        return self._stamp({"STATUS": base["STATUS"], "POOLS": rows, "id": 1}, i,
                           Msg=f"{len(rows)} Pool(s)")

    def ascset(self, i: int, parameter: str | None) -> Reply:
        parts = [p.strip() for p in (parameter or "").split(",")]
        if len(parts) < 2 or parts[0] != "0":
            return self.message(116, "Missing option after ASC number", "E")
        option = parts[1].lower()
        dyn = self.farm.dyn
        if option == "help":
            return self._stamp(template(_Q + "ascset-help"), i)
        if option in ("softoff", "softon"):
            dyn.set_curtailed(i, option == "softoff")
            reply = template(_Q + f"ascset-{option}")
            return self._stamp(reply, i,
                               Msg=f"ASC 0 set info: success {option}:{self.farm.when + 5}")
        if option == "workmode":
            raw = parts[-1] if len(parts) > 2 else ""
            if not raw.isdigit() or int(raw) not in WORKMODE_TARGET:
                return self.message(120, "ASC 0 set failed: invalid workmode", "E")
            self.workmode[i] = int(raw)
            dyn.set_power_target(i, WORKMODE_TARGET[int(raw)])
            return self._stamp(template(_Q + "ascset-workmode"), i)
        return self.message(120, f"ASC 0 set failed: unknown option {parts[1]}", "E")
