"""What a MILP back end hands back to the planner, whichever solver it drove."""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np

SolveStatus = Literal["optimal", "feasible", "infeasible", "no_solution"]


@dataclasses.dataclass(frozen=True, eq=False)
class SolverOutcome:
    """``feasible``: stopped (time limit) with a solution; ``no_solution``: stopped without one."""

    solver: str
    status: SolveStatus
    chosen: np.ndarray  # option indices set to 1
    objective: float | None
    bound: float | None  # proven lower bound on the objective
    detail: str = ""  # the solver's own status word, for messages


class SolverError(RuntimeError):
    """The solver failed (not infeasible, not out of time): the planner falls back to greedy."""
