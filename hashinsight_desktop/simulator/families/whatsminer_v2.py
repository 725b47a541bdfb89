"""Whatsminer btminer, API v2 (TCP 4028).

Read replies: ``summary``/``devs``/``pools`` keep the cgminer shape (STATUS list,
``MHS`` units, ``"Firmware Version"`` with literal single quotes, ``Factory GHS``);
``get_version``/``get_miner_info``/``get_psu``/``status``/``get_token`` use the
btminer shape (``STATUS`` a plain string, ``Msg`` an object, no ``id``, numbers as
strings such as ``"fan_speed": "6000"``).  ``+``-joined commands work for the cgminer
commands only; joining a ``get_*`` or ``status`` is rejected, as btminer does.

Write commands only work encrypted (see ``btminer_crypto``); sent in clear they
answer "Permission denied" (code 45).  Obeyed: power_off, power_on, restart_btminer,
reboot, set_low_power, set_normal_power, set_high_power, set_power_pct,
set_power_pct_v2, adjust_power_limit, update_pools.
"""

from __future__ import annotations

import secrets
from typing import Any

from hashinsight_desktop.simulator import btminer_crypto
from hashinsight_desktop.simulator.families.base import Farm, Firmware, Pool, Reply
from hashinsight_desktop.simulator.templates import shared

_T = "whatsminer-m3x-fw20210322-apiv1_"
_V2 = "whatsminer-apiv2.0.5_"
FIRMWARE_VERSION = "20240624.18.REL"
ADMIN_PASSWORD = "admin"
TOKEN_LIFETIME_S = 30 * 60
_POWER_MODES = {"set_low_power": ("Low", 0.85), "set_normal_power": ("Normal", 1.0),
                "set_high_power": ("High", 1.1)}


def whatsminer_model_code(catalog_name: str) -> str:
    """'Whatsminer M60S' -> 'M60S_VK40': the chip-bin suffix clients strip off."""
    short = catalog_name.removeprefix("Whatsminer ").replace(" Hyd", "").replace(" ", "")
    return f"{short}_V{'K' if short.startswith('M6') else 'H'}40"


class WhatsminerV2(Firmware):
    family = "whatsminer_v2"
    description = "cgminer 4.9.2"
    privileged = frozenset({
        "power_off", "power_on", "restart_btminer", "reboot", "set_low_power",
        "set_normal_power", "set_high_power", "set_power_pct", "set_power_pct_v2",
        "adjust_power_limit", "update_pools", "update_pwd", "set_led", "factory_reset",
        "net_config", "set_target_freq", "set_hostname", "set_zone", "set_temp_offset",
    })

    def __init__(self, farm: Farm, admin_password: str = ADMIN_PASSWORD) -> None:
        super().__init__(farm)
        self.admin_password = admin_password
        self.tokens: dict[int, list[tuple[str, str, float]]] = {}  # sign, passwd_md5, t
        self.power_mode: dict[int, str] = {}
        self.power_limit: dict[int, int] = {}
        self.off_since: dict[int, int] = {}
        self.commands.update({
            "summary": self.summary, "devs": self.devs, "pools": self.pools,
            "edevs": self.devs, "get_version": self.get_version,
            "get_miner_info": self.get_miner_info, "get_psu": self.get_psu,
            "status": self.status_cmd, "get_token": self.get_token,
            "devdetails": self.devdetails,
        })
        for name in self.privileged:
            self.commands[name] = self._needs_encryption

    # ---------------------------------------------------------------- btminer shape
    def btminer_reply(self, code: int, msg: Any, status: str = "S") -> Reply:
        return {"STATUS": status, "When": self.farm.when, "Code": code, "Msg": msg,
                "Description": ""}

    def invalid_command(self, command: str) -> Reply:
        return self.btminer_reply(14, "invalid cmd", "E")

    def answer_multi(self, index: int, command: str, parameter: str | None) -> Reply:
        if any(n.startswith("get_") or n == "status" for n in command.split("+")):
            return self.invalid_command(command)
        return super().answer_multi(index, command, parameter)

    def _needs_encryption(self, index: int, parameter: str | None) -> Reply:
        return self.btminer_reply(45, "Permission denied", "E")

    # ---------------------------------------------------------------- reads
    def _mode(self, i: int) -> str:
        return self.power_mode.get(i, "Normal")

    def summary(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        base = shared(_T + "summary")
        row = dict(base["SUMMARY"][0])
        mhs = float(dyn.hashrate_ths[i]) * 1e6
        chips = dyn.chip_temp[i][dyn.board_alive[i]]
        chip_avg = float(chips.mean()) if chips.size else float(dyn.ambient_at(i))
        acc, rej = int(dyn.accepted[i]), int(dyn.rejected[i])
        elapsed = max(int(dyn.elapsed_s[i]), 1)
        nominal_w = float(dyn.nominal_w[i])
        row.update({
            "Accepted": acc, "Rejected": rej, "Elapsed": elapsed, "Uptime": elapsed + 640,
            "MHS 5s": round(mhs, 2), "MHS 1m": round(float(dyn.ema["1m"][i]) * 1e6, 2),
            "MHS 5m": round(float(dyn.ema["5m"][i]) * 1e6, 2),
            "MHS 15m": round(float(dyn.ema["15m"][i]) * 1e6, 2),
            "MHS av": round(float(dyn.avg_ths(i)) * 1e6, 2),
            "HS RT": round(float(dyn.ema["5m"][i]) * 1e6, 2),
            "Factory GHS": round(float(dyn.nominal_ths[i]) * 1000),
            "Target MHS": round(float(dyn.nominal_ths[i]) * 1e6
                                * float(dyn.power_target[i]) ** 0.85 * 0.95),
            "Chip Temp Avg": round(chip_avg, 2),
            "Chip Temp Max": round(float(chips.max()) + 7.0 if chips.size else chip_avg, 2),
            "Chip Temp Min": round(float(chips.min()) - 12.0 if chips.size else chip_avg, 2),
            "Temperature": round(chip_avg - 12.0, 1),
            "Fan Speed In": int(dyn.fan_rpm[i, 0]), "Fan Speed Out": int(dyn.fan_rpm[i, 1]),
            "Power": round(float(dyn.power_w[i])), "Power_RT": round(float(dyn.power_w[i])),
            "Power Limit": self.power_limit.get(i, round(nominal_w * 1.05)),
            "Power Mode": self._mode(i),
            "Power Current": round(float(dyn.power_w[i]) / 12.8),
            "Firmware Version": f"'{FIRMWARE_VERSION}'",
            "MAC": self.farm.specs[i].mac,
            "Liquid Cooling": bool(dyn.cooling[i] != 0),
            "Total MH": round(float(dyn.total_mh[i]), 1),
            "Difficulty Accepted": float(acc * 65536), "Difficulty Rejected": float(rej * 65536),
            "Utility": round(acc * 60.0 / elapsed, 2),
            "Hash Stable": bool(dyn.elapsed_s[i] > 1800),
            "Last getwork": 0,
        })
        return self.stamp({"STATUS": base["STATUS"], "SUMMARY": [row], "id": 1})

    def devs(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        base = shared(_T + "devs")
        rows = []
        share = max(int(dyn.n_boards[i]), 1)
        for b in range(int(dyn.n_boards[i])):
            row = dict(base["DEVS"][min(b, len(base["DEVS"]) - 1)])
            alive = bool(dyn.board_alive[i, b])
            chip = float(dyn.chip_temp[i, b])
            mhs = float(dyn.board_ths[i, b]) * 1e6
            row.update({
                "ASC": b, "ID": b, "Slot": b, "Accepted": int(dyn.accepted[i]) // share,
                "Rejected": int(dyn.rejected[i]) // share,
                "Chip Temp Avg": round(chip, 2), "Chip Temp Max": round(chip + 7.0, 2),
                "Chip Temp Min": round(chip - 12.0, 2), "Temperature": round(chip - 13.0, 1),
                "Effective Chips": int(dyn.chips_per_board[i]) if alive else 0,
                "MHS 5s": round(mhs, 2), "MHS 1m": round(mhs, 2), "MHS 5m": round(mhs, 2),
                "MHS 15m": round(mhs, 2), "MHS av": round(mhs, 2),
                "Device Elapsed": int(dyn.elapsed_s[i]),
                "Fan Speed In": int(dyn.fan_rpm[i, 0]), "Fan Speed Out": int(dyn.fan_rpm[i, 1]),
                "PCB SN": f"{self.farm.specs[i].serial[:14]}{b:02d}",
                "Status": "Alive" if alive else "Dead",
                "Chip Frequency": row["Chip Frequency"] if alive else 0,
            })
            rows.append(row)
        return self.stamp({"DEVS": rows, "STATUS": base["STATUS"], "id": 1},
                          Msg=f"{len(rows)} ASC(s)")

    def devdetails(self, i: int, parameter: str | None) -> Reply:
        """One row per hashboard, ``Model`` as btminer spells it ("M60S_VK40")."""
        base = shared("avalon-q-cgminer4.11.1_devdetails")  # cgminer 4.x DEVDETAILS shape
        model = whatsminer_model_code(self.farm.specs[i].model)
        rows = []
        for b in range(int(self.farm.dyn.n_boards[i])):
            row = dict(base["DEVDETAILS"][0])
            row.update({"DEVDETAILS": b, "Name": "SM", "ID": b, "Driver": "bitmicro",
                        "Model": model})
            rows.append(row)
        return self.stamp({"STATUS": base["STATUS"], "DEVDETAILS": rows, "id": 1},
                          Description=self.description)

    def pools(self, i: int, parameter: str | None) -> Reply:
        base = shared(_T + "pools")
        rows = self.pool_rows(i, base["POOLS"], first_id=1)  # btminer counts pools from 1
        return self.stamp({"POOLS": rows, "STATUS": base["STATUS"], "id": 1},
                          Msg=f"{len(rows)} Pool(s)")

    def _msg_reply(self, name: str, **values: Any) -> Reply:
        base = shared(name)
        reply = dict(base)
        msg = dict(base["Msg"])
        msg.update(values)
        reply["Msg"] = msg
        reply["When"] = self.farm.when
        return reply

    def get_version(self, i: int, parameter: str | None) -> Reply:
        return self._msg_reply(_V2 + "get-version", fw_ver=FIRMWARE_VERSION)

    def get_miner_info(self, i: int, parameter: str | None) -> Reply:
        spec = self.farm.specs[i]
        return self._msg_reply(_V2 + "get-miner-info", mac=spec.mac, hostname=spec.hostname)

    def get_psu(self, i: int, parameter: str | None) -> Reply:
        dyn = self.farm.dyn
        return self._msg_reply(_V2 + "get-psu", fan_speed=str(int(dyn.fan_rpm[i, 0] or 3000)))

    def status_cmd(self, i: int, parameter: str | None) -> Reply:
        off = bool(self.farm.dyn.curtailed[i])
        return self._msg_reply(
            "whatsminer-fw20240624-apiv2_status",
            mineroff="true" if off else "false",
            mineroff_reason="api power_off" if off else "",
            mineroff_time=str(self.off_since.get(i, "")) if off else "",
            FirmwareVersion=FIRMWARE_VERSION,
            power_mode=self._mode(i).lower(),
            power_limit_set=str(self.power_limit.get(i, round(float(
                self.farm.dyn.nominal_w[i]) * 1.05))),
            hash_percent=str(round(float(self.farm.dyn.power_target[i]) * 100)),
        )

    # ---------------------------------------------------------------- privileged
    def get_token(self, i: int, parameter: str | None) -> Reply:
        salt, newsalt = secrets.token_hex(4), secrets.token_hex(4)
        time_str = f"{self.farm.when % 10000:04d}"
        passwd_md5 = btminer_crypto.host_passwd_md5(self.admin_password, salt)
        sign = btminer_crypto.host_sign(passwd_md5, time_str, newsalt)
        issued = [t for t in self.tokens.get(i, []) if self.farm.dyn.now - t[2]
                  < TOKEN_LIFETIME_S][-31:]
        issued.append((sign, passwd_md5, self.farm.dyn.now))
        self.tokens[i] = issued
        return self.btminer_reply(134, {"time": time_str, "salt": salt, "newsalt": newsalt})

    def encrypted(self, index: int, request: dict[str, Any]) -> Reply:
        data = request.get("data")
        for sign, passwd_md5, _issued in reversed(self.tokens.get(index, [])):
            try:
                command = btminer_crypto.decrypt_json(passwd_md5, str(data))
            except ValueError:
                continue
            if command.get("token") != sign:
                return self.btminer_reply(135, "check token err", "E")
            reply = self._privileged(index, command)
            return {"enc": btminer_crypto.encrypt_json(passwd_md5, reply)}
        return self.btminer_reply(135, "check token err", "E")

    def _privileged(self, i: int, command: dict[str, Any]) -> Reply:
        dyn = self.farm.dyn
        cmd = str(command.get("cmd", ""))
        ok = self.btminer_reply(131, "API command OK")
        if cmd == "power_off":
            dyn.set_curtailed(i, True)
            self.off_since[i] = self.farm.when
        elif cmd == "power_on":
            dyn.set_curtailed(i, False)
        elif cmd in ("restart_btminer", "reboot"):
            dyn.restart(i)
        elif cmd in _POWER_MODES:
            mode, target = _POWER_MODES[cmd]
            self.power_mode[i] = mode
            dyn.set_power_target(i, target)
        elif cmd in ("set_power_pct", "set_power_pct_v2"):
            try:
                percent = int(str(command.get("percent")))
            except ValueError:
                return self.btminer_reply(132, "invalid percent", "E")
            if not 0 < percent <= 100:
                return self.btminer_reply(132, "invalid percent", "E")
            dyn.set_power_target(i, percent / 100.0)
        elif cmd == "adjust_power_limit":
            try:
                limit = int(str(command.get("power_limit")))
            except ValueError:
                return self.btminer_reply(132, "invalid power_limit", "E")
            nominal = float(dyn.nominal_w[i])
            if not limit > 0:
                return self.btminer_reply(132, "invalid power_limit", "E")
            self.power_limit[i] = limit
            dyn.set_power_target(i, min(limit / nominal, 1.0))
        elif cmd == "update_pools":
            pools = [Pool(str(command[f"pool{k}"]), str(command.get(f"worker{k}", "")))
                     for k in (1, 2, 3) if command.get(f"pool{k}")]
            if not pools:
                return self.btminer_reply(132, "missing pool1", "E")
            self.farm.pools[i] = pools
            self.farm.active_pool[i] = 0
        elif cmd not in self.privileged:
            return self.btminer_reply(14, "invalid cmd", "E")
        return ok
