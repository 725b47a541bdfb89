"""LuxOS (LUXminer 2025.4.8) on Antminers, cgminer-compatible RPC on TCP 4028.

Quirks kept from the S19k Pro captures: keys sorted alphabetically, ``"Long Pool"``
(sic) in pools, ``Quota`` as float, ``"Step"`` as a string in profiles, TEMPS with
TopLeft/TopRight/BottomLeft/BottomRight, ``chain_rate4`` as the string ``"0"``.

Control follows LuxOS's session scheme: ``logon`` returns ``SESSION[0].SessionID``
(only one session at a time; ``session`` shows the active one, ``logoff`` ends it);
privileged commands take the session id as their first parameter:
``curtail`` ``<sid>,sleep|wakeup``, ``profileset`` ``<sid>,<profile name>``,
``resetminer``/``rebootdevice`` ``<sid>``.  Pool commands (addpool, switchpool,
enablepool, disablepool, removepool) need no session, as on LuxOS.

The session/curtail/profileset reply bodies are not from a capture (none exists in
the corpus): they follow the LuxOS STATUS layout and the fields clients read.
"""

from __future__ import annotations

import secrets

from hashinsight_desktop.simulator.families.antminer_stock import fill_bitmain_stats
from hashinsight_desktop.simulator.families.base import Farm, Firmware, Reply
from hashinsight_desktop.simulator.templates import shared, template

_T = "antminer-s19kpro-luxos2025.4.8_"
_DESCRIPTION = "LUXminer 2025.4.8.220305-57b389c7"
SESSION_IDLE_S = 600.0


def _profiles_base() -> list[dict[str, object]]:
    return shared(_T + "profiles")["PROFILES"]


def _default_profile() -> dict[str, object]:
    return next(p for p in _profiles_base() if p["Profile Name"] == "default")


class LuxOS(Firmware):
    family = "luxos"
    description = _DESCRIPTION

    def __init__(self, farm: Farm) -> None:
        super().__init__(farm)
        self.sessions: dict[int, tuple[str, float]] = {}  # index -> (id, last use)
        self.profile: dict[int, str] = {}
        self.commands.update({
            "version": self.version, "summary": self.summary, "stats": self.stats,
            "pools": self.pools, "temps": self.temps, "fans": self.fans, "power": self.power,
            "profiles": self.profiles, "config": self.config, "devs": self.devs,
            "session": self.session, "logon": self.logon, "logoff": self.logoff,
            "curtail": self.curtail, "profileset": self.profileset,
            "resetminer": self.resetminer, "rebootdevice": self.resetminer,
        })
        self.install_pool_commands()
        del self.commands["restart"]  # LuxOS restarts through resetminer

    def status(self, code: int, msg: str, severity: str = "S") -> list[dict[str, object]]:
        return [{"Code": code, "Description": self.description, "Msg": msg,
                 "STATUS": severity, "When": self.farm.when}]

    # ---------------------------------------------------------------- sessions
    def _active_session(self, i: int) -> str:
        sid, used = self.sessions.get(i, ("", 0.0))
        if sid and self.farm.dyn.now - used > SESSION_IDLE_S:
            del self.sessions[i]
            return ""
        return sid

    def _check_session(self, i: int, parameter: str | None) -> tuple[list[str], Reply | None]:
        parts = (parameter or "").split(",")
        sid = self._active_session(i)
        if not sid or parts[0] != sid:
            return parts, self.message(29, "Invalid session id", "E")
        self.sessions[i] = (sid, self.farm.dyn.now)
        return parts[1:], None

    def session(self, i: int, parameter: str | None) -> Reply:
        return {"SESSION": [{"SessionID": self._active_session(i)}],
                "STATUS": self.status(36, "Session"), "id": 1}

    def logon(self, i: int, parameter: str | None) -> Reply:
        if self._active_session(i):
            return self.message(28, "Another session is active", "E")
        sid = secrets.token_hex(4)
        self.sessions[i] = (sid, self.farm.dyn.now)
        return {"SESSION": [{"SessionID": sid}], "STATUS": self.status(27, "Session created"),
                "id": 1}

    def logoff(self, i: int, parameter: str | None) -> Reply:
        _rest, error = self._check_session(i, parameter)
        if error:
            return error
        del self.sessions[i]
        return self.message(30, "Session ended")

    def curtail(self, i: int, parameter: str | None) -> Reply:
        rest, error = self._check_session(i, parameter)
        if error:
            return error
        mode = rest[0].strip().lower() if rest else ""
        if mode not in ("sleep", "wakeup"):
            return self.message(340, f"Invalid curtail mode '{mode}': use sleep or wakeup",
                                "E")
        self.farm.dyn.set_curtailed(i, mode == "sleep")
        return self.message(341, f"Curtail {mode}")

    def profileset(self, i: int, parameter: str | None) -> Reply:
        rest, error = self._check_session(i, parameter)
        if error:
            return error
        name = rest[0].strip() if rest else ""
        chosen = next((p for p in _profiles_base() if p["Profile Name"] == name), None)
        if chosen is None:
            return self.message(325, f"Profile '{name}' not found", "E")
        self.profile[i] = name
        ratio = float(chosen["Watts"]) / float(_default_profile()["Watts"])  # type: ignore[arg-type]
        self.farm.dyn.set_power_target(i, ratio)
        return self.message(324, f"Profile set to {name}")

    def resetminer(self, i: int, parameter: str | None) -> Reply:
        _rest, error = self._check_session(i, parameter)
        if error:
            return error
        self.farm.dyn.restart(i)
        return self.message(312, "Resetting miner")

    # ---------------------------------------------------------------- reads
    def _stamped(self, name: str, section: str, rows: list[dict[str, object]],
                 **changes: object) -> Reply:
        base = shared(_T + name)
        reply = {k: v for k, v in base.items()}
        reply[section] = rows
        return self.stamp(reply, **changes)

    def version(self, i: int, parameter: str | None) -> Reply:
        reply = template(_T + "version")
        reply["VERSION"][0]["Type"] = self.farm.specs[i].model
        return self.stamp(reply)

    def summary(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        row = dict(shared(_T + "summary")["SUMMARY"][0])
        acc, rej = int(dyn.accepted[i]), int(dyn.rejected[i])
        row.update({
            "Accepted": acc, "Rejected": rej, "Elapsed": int(dyn.elapsed_s[i]),
            "GHS 5s": round(float(dyn.hashrate_ths[i]) * 1000, 2),
            "GHS 1m": round(float(dyn.ema["1m"][i]) * 1000, 2),
            "GHS 5m": round(float(dyn.ema["5m"][i]) * 1000, 2),
            "GHS 15m": round(float(dyn.ema["15m"][i]) * 1000, 2),
            "GHS 30m": round(float(dyn.ema["30m"][i]) * 1000, 2),
            "GHS 24h": round(float(dyn.avg_ths(i)) * 1000, 2),
            "GHS av": round(float(dyn.avg_ths(i)) * 1000, 2),
            "Difficulty Accepted": acc * 65536, "Difficulty Rejected": rej * 65536,
            "Total MH": float(dyn.total_mh[i]), "Last getwork": self.farm.when,
            "Pool Rejected%": round(100.0 * rej / max(acc + rej, 1), 4),
        })
        return self._stamped("summary", "SUMMARY", [row])

    def stats(self, i: int, parameter: str | None) -> Reply:
        base = shared(_T + "stats")
        head = dict(base["STATS"][0])
        head["Type"] = self.farm.specs[i].model
        block = dict(base["STATS"][1])
        freq = float(next(p for p in _profiles_base() if p["Profile Name"] == self.profile.get(
            i, "default"))["Frequency"])  # type: ignore[arg-type]
        fill_bitmain_stats(block, self.farm, i, freq=0.0 if self.farm.dyn.curtailed[i] else freq)
        block["frequency"] = round(freq)
        block["total_freqavg"] = freq
        block["miner_id"] = self.farm.specs[i].mac.replace(":", "").lower()
        return self._stamped("stats", "STATS", [head, block])

    def pools(self, i: int, parameter: str | None) -> Reply:
        rows = self.pool_rows(i, shared(_T + "pools")["POOLS"])
        return self._stamped("pools", "POOLS", rows, Msg=f"{len(rows)} Pool(s)")

    def temps(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        inlet = round(float(dyn.ambient_at(i)) + 5)
        rows = []
        for b in range(int(dyn.n_boards[i])):
            chip = round(float(dyn.chip_temp[i, b]))
            rows.append({"BottomLeft": float(chip), "BottomRight": float(inlet), "ID": b,
                         "TEMP": b, "TopLeft": float(chip), "TopRight": float(inlet)})
        return self._stamped("temps", "TEMPS", rows, Msg=f"{len(rows)} Temp(s)")

    def fans(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        base = shared(_T + "fans")["FANS"]
        rows = []
        for f in range(int(dyn.n_fans[i])):
            row = dict(base[f % len(base)])
            rpm = int(dyn.fan_rpm[i, f])
            row.update({"ID": f, "RPM": rpm, "Speed": round(100 * rpm / 6600)})
            rows.append(row)
        return self._stamped("fans", "FANS", rows, Msg=f"{len(rows)} Fan(s)")

    def power(self, i: int, parameter: str | None) -> Reply:
        watts = round(float(self.farm.dyn.power_w[i]))
        return self._stamped("power", "POWER", [{"PSU": False, "Watts": watts}])

    def profiles(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        default = _default_profile()
        hash_scale = float(dyn.nominal_ths[i]) / float(default["Hashrate"])  # type: ignore[arg-type]
        watt_scale = float(dyn.nominal_w[i]) / float(default["Watts"])  # type: ignore[arg-type]
        rows = []
        for profile in _profiles_base():
            row = dict(profile)
            row["Hashrate"] = round(float(row["Hashrate"]) * hash_scale, 1)  # type: ignore[arg-type]
            row["Watts"] = round(float(row["Watts"]) * watt_scale)  # type: ignore[arg-type]
            row["IsTuned"] = row["Profile Name"] == self.profile.get(i, "default")
            rows.append(row)
        return self._stamped("profiles", "PROFILES", rows)

    def config(self, i: int, parameter: str | None) -> Reply:
        spec = self.farm.specs[i]
        dyn = self.farm.dyn
        row = dict(shared(_T + "config")["CONFIG"][0])
        profile = self.profile.get(i, "default")
        step = next(p["Step"] for p in _profiles_base() if p["Profile Name"] == profile)
        cooling = {0: "Air", 1: "Hydro", 2: "Immersion"}[int(dyn.cooling[i])]
        row.update({
            "ASC Count": int(dyn.n_boards[i]), "Cooling": cooling,
            "CurtailMode": "Sleep" if dyn.curtailed[i] else "None",
            "Hostname": spec.hostname, "IPAddr": spec.ip, "MACAddr": spec.mac.lower(),
            "Model": spec.model, "NameplateTHS": float(dyn.nominal_ths[i]),
            "Pool Count": len(self.farm.pools_of(i)), "Profile": profile, "ProfileStep": step,
            "SerialNumber": spec.serial, "ImmersionMode": cooling == "Immersion",
        })
        return self._stamped("config", "CONFIG", [row])

    def devs(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        base = shared(_T + "devs")["DEVS"]
        profile = self.profile.get(i, "default")
        rows = []
        for b in range(int(dyn.n_boards[i])):
            row = dict(base[b % len(base)])
            mhs = float(dyn.board_ths[i, b]) * 1e6
            nominal = float(dyn.nominal_ths[i]) * 1e6 / int(dyn.n_boards[i])
            row.update({
                "ASC": b, "ID": b, "Connector": f"J{b + 7}", "Profile": profile,
                "MHS 5s": mhs, "MHS 1m": mhs, "MHS 5m": mhs, "MHS 15m": mhs, "MHS 30m": mhs,
                "MHS 60m": mhs, "MHS av": mhs, "Nominal MHS": nominal,
                "Temperature": float(round(float(dyn.chip_temp[i, b]))),
                "Status": "Alive" if dyn.board_alive[i, b] else "Dead",
                "IsUserShutdown": bool(dyn.curtailed[i]),
                "Device Elapsed": int(dyn.elapsed_s[i]),
                "SerialNumber": f"{spec_serial(self.farm, i)}{b}",
            })
            rows.append(row)
        return self._stamped("devs", "DEVS", rows, Msg=f"{len(rows)} ASC(s)")


def spec_serial(farm: Farm, i: int) -> str:
    return farm.specs[i].serial[:16]
