"""What the micro-benchmarks share: a function's wall times over repeated runs."""

from __future__ import annotations

import time
from collections.abc import Callable


def repeat_times(run: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of `repeat` calls of `run`, one by one (best and median are the reader's)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times
