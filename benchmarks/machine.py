"""What else the machine is doing while a benchmark runs (Linux): CPU seconds the whole machine
spent busy, and this process's own. Their difference over a wall-clock interval is the load
of other processes, reported beside every ratio (the machines here are shared)."""

from __future__ import annotations

import math
import os
import resource
from pathlib import Path

__all__ = ["busy_seconds", "own_seconds"]


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (Linux), or NaN."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return math.nan
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    """CPU seconds of this process and its finished children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total
