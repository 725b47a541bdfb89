"""Plan statuses and the transitions between them, checked in the UPDATE itself.

Each transition is one ``UPDATE ... WHERE id = :id AND status IN (:allowed)``, so two
workstations racing to execute the same plan cannot both win: the loser's update
touches no row and gets a :class:`PlanStateError` naming the current status.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from hashinsight_desktop.store.schema.curtailment import curtailment_plans

STATUSES = ("draft", "approved", "scheduled", "executing", "active", "recovering",
            "completed", "failed", "cancelled")

#: status -> the statuses it may move to.  ``recovering`` may repeat (a recovery run by
#: hand again after some miners did not resume); ``failed`` and a crashed ``executing``
#: plan may always be recovered, because miners may have been switched off.
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"approved", "cancelled"}),
    "approved": frozenset({"scheduled", "executing", "cancelled"}),
    "scheduled": frozenset({"executing", "cancelled"}),
    "executing": frozenset({"active", "failed", "recovering"}),
    "active": frozenset({"recovering"}),
    "failed": frozenset({"recovering"}),
    "recovering": frozenset({"recovering", "completed"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}


class PlanNotFound(LookupError):
    """No curtailment plan with that id."""


class PlanStateError(ValueError):
    """The plan's current status does not allow the requested step."""


def sources_of(target: str) -> tuple[str, ...]:
    """Statuses from which ``target`` can be reached."""
    return tuple(s for s in STATUSES if target in TRANSITIONS[s])


def transition(conn: Connection, plan_id: int, target: str, *, verb: str,
               **values: Any) -> str:
    """Move ``plan_id`` to ``target`` (with extra column ``values``); returns the old status.

    ``verb`` names the step for the error message ("approve", "execute", ...).
    """
    if target not in STATUSES:
        raise ValueError(f"unknown plan status {target!r}")
    current = conn.scalar(select(curtailment_plans.c.status)
                          .where(curtailment_plans.c.id == plan_id))
    if current is None:
        raise PlanNotFound(f"no curtailment plan with id {plan_id}")
    allowed = sources_of(target)
    if current not in allowed:
        raise PlanStateError(
            f"cannot {verb} plan {plan_id}: its status is {current!r}; "
            f"{verb} needs one of {', '.join(allowed)}")
    done = conn.execute(
        update(curtailment_plans)
        .where(curtailment_plans.c.id == plan_id, curtailment_plans.c.status == current)
        .values(status=target, updated_at=dt.datetime.now(dt.UTC),
                version=curtailment_plans.c.version + 1, **values)).rowcount
    if done != 1:
        raise PlanStateError(f"cannot {verb} plan {plan_id}: another user changed it "
                             "at the same time; reload and try again")
    return str(current)
