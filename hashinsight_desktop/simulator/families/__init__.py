"""The simulated firmware families, by the ``family`` name used in SimMinerSpec.

==============  ==================================================  ==========================
family          reads answered                                      control obeyed
==============  ==================================================  ==========================
antminer_stock  summary stats pools version devs                    none: write commands give
                (``new_api`` flag ignored: no capture exists;       code 45 "Access denied",
                ``a+b`` rejected with code 14)                      curtail code 14
whatsminer_v2   summary devs edevs devdetails pools get_version       AES/token (get_token):
                get_miner_info get_psu status get_token (``a+b``    power_off power_on
                for cgminer commands only)                          restart_btminer reboot
                                                                    set_low/normal/high_power
                                                                    set_power_pct(_v2)
                                                                    adjust_power_limit
                                                                    update_pools
avalon          version summary devs estats stats pools (``a+b``)    ascset 0,softoff|softon|
                                                                    workmode,N|help; restart
                                                                    addpool switchpool
                                                                    enablepool disablepool
                                                                    removepool
luxos           version summary stats pools temps fans power        logon/session/logoff;
                profiles config devs (``a+b``)                      curtail <sid>,sleep|wakeup
                                                                    profileset <sid>,<name>
                                                                    resetminer rebootdevice;
                                                                    pool commands (no session)
==============  ==================================================  ==========================
"""

from __future__ import annotations

from hashinsight_desktop.simulator.families.antminer_stock import AntminerStock
from hashinsight_desktop.simulator.families.avalon import Avalon
from hashinsight_desktop.simulator.families.base import Farm, Firmware
from hashinsight_desktop.simulator.families.luxos import LuxOS
from hashinsight_desktop.simulator.families.whatsminer_v2 import WhatsminerV2

FIRMWARE_CLASSES: dict[str, type[Firmware]] = {
    cls.family: cls for cls in (AntminerStock, WhatsminerV2, Avalon, LuxOS)
}


def build_firmwares(farm: Farm) -> dict[str, Firmware]:
    """One firmware object per family, all sharing ``farm``."""
    return {name: cls(farm) for name, cls in FIRMWARE_CLASSES.items()}


__all__ = ["FIRMWARE_CLASSES", "Farm", "Firmware", "build_firmwares"]
