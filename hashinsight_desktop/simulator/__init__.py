"""The fleet simulator: virtual miners on loopback speaking real firmware wire formats.

    specs = build_fleet(300, seed=7)
    with SimulatedFleet(specs, FaultProfile(offline=0.02), seed=7) as fleet:
        ...  # poll fleet.addresses() like a real farm

It is the one place miners are faked, at the socket.
"""

from hashinsight_desktop.simulator.faults import FaultProfile, assign_faults
from hashinsight_desktop.simulator.fleet import MinerState, SimulatedFleet
from hashinsight_desktop.simulator.layout import FAMILIES, SimMinerSpec, build_fleet

__all__ = [
    "FAMILIES",
    "FaultProfile",
    "MinerState",
    "SimMinerSpec",
    "SimulatedFleet",
    "assign_faults",
    "build_fleet",
]
