"""The collector's settings for a long-running process: the server, and each worker process."""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000  # new container objects (net) between two collections; Python's default is 700


def settle_heap() -> None:
    """Once the server (or a worker process) is built: collect what start-up left behind, then take
    the rest (modules, mappers, the catalogue: tens of thousands of long-lived objects) out of the
    cyclic garbage collector's sight with `gc.freeze()`, and collect the youngest objects less often.

    Measured on `python -m benchmarks slack`: every full collection walked them all and stopped the
    server for 51-70 ms under load, which made p99 at concurrency 64 155 ms; frozen, a full
    collection takes 1.3 ms and p99 was 93 ms. Objects made later are collected as usual.

    The youngest generation was collected after every 700 new objects: a batch of commands, or a
    delivery batch in hand, holds more than that for a moment, so at concurrency 64 the server ran
    334-355 collections in 6,000 requests (0.2 ms each, 4% of its time) that found almost nothing to
    free; at 10,000, one. What is left in cycles waits a little longer: at most 10,000 objects.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
