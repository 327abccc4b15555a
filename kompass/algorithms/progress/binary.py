"""Binary (non-statistical) indicators: the target is achieved or not achieved.

The values must be 0 (not achieved) or 1 (all conditions met); the latest value decides.
"""

from __future__ import annotations

from typing import Any

from .growth import NotComputable
from .inputs import ProgressInput
from .result import ProgressResult
from .status import Status

METHOD_ID = "binary"


def compute(inp: ProgressInput) -> ProgressResult:
    components: dict[str, Any] = inp.base_components()
    for time, value in inp.points:
        if value not in (0.0, 1.0):
            raise ValueError(f"binary indicators take values 0 or 1, got {value!r} at time {time!r}")
    if inp.parity:
        raise ValueError("the parity transform does not apply to binary indicators")
    current = inp.current
    if current is None:
        raise NotComputable("no data point", components)
    achieved = current[1] == 1.0
    components["achieved"] = achieved
    if achieved:
        return ProgressResult(METHOD_ID, Status.ACHIEVED, None, "target_achieved", components)
    return ProgressResult(METHOD_ID, Status.NOT_ACHIEVED, None, "target_not_achieved", components)
