"""Small helpers shared by the benchmarks."""

from __future__ import annotations

import cProfile
import pstats
import statistics
import time
from collections.abc import Awaitable


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(samples_ms: list[float], *, seconds: float) -> dict[str, float]:
    return {
        "per_s": len(samples_ms) / seconds,
        "p50": statistics.median(samples_ms),
        "p99": percentile(samples_ms, 99),
        "max": max(samples_ms),
    }


def line(label: str, figures: dict[str, float]) -> str:
    return (
        f"  {label:<44} {figures['per_s']:8.0f}/s  p50 {figures['p50']:7.1f} ms  "
        f"p99 {figures['p99']:7.1f} ms  max {figures['max']:7.1f} ms"
    )


async def profiled(work: Awaitable[object], *, sort: str, only: str, top: int, save: str | None) -> None:
    """Run `work` under cProfile (CPU time, not wall: the machine is shared) and print its `top`
    functions matching `only`, sorted by `sort`; with `save`, the profile is written there too."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    await work
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats(sort).print_stats(only, top)
    if save:
        stats.dump_stats(save)
