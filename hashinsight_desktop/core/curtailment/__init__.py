"""Curtailment planning: shed power while losing the least hashrate or revenue.

Headless (numpy, highspy, PuLP).  Entry point: :func:`plan_curtailment`.
"""

from hashinsight_desktop.core.curtailment.fleet import DEFAULT_MODES, Fleet, PowerMode
from hashinsight_desktop.core.curtailment.planner import plan_curtailment
from hashinsight_desktop.core.curtailment.request import (
    CurtailmentRequest,
    Economics,
    GroupLimit,
)
from hashinsight_desktop.core.curtailment.result import Action, ActionTable, Excluded, PlanResult

__all__ = [
    "DEFAULT_MODES",
    "Action",
    "ActionTable",
    "CurtailmentRequest",
    "Economics",
    "Excluded",
    "Fleet",
    "GroupLimit",
    "PlanResult",
    "PowerMode",
    "plan_curtailment",
]
