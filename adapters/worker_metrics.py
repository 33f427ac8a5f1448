"""Delivery outcomes counted in `rapport serve --workers N`'s worker processes, shown on the server's
`/metrics`: each worker sends what it counted since its last report through a queue once a second
(and once more when it stops), and the server adds it to its own counter. Only the server answers
scrapes, so without this the deliveries of a server with workers were never counted anywhere. A
worker killed with `kill -9` loses at most its last second's counts."""

from __future__ import annotations

import asyncio
import contextlib
import queue
from collections.abc import Mapping
from multiprocessing.queues import Queue

from adapters.metrics import Metrics

REPORT_EVERY = 1.0  # seconds between a worker's reports
Counts = Mapping[tuple[str, str], float]  # (platform, outcome) -> attempts


def delivery_counts(metrics: Metrics) -> dict[tuple[str, str], float]:
    """The delivery attempts counted so far in this process, by platform and outcome."""
    return {
        (sample.labels["platform"], sample.labels["outcome"]): sample.value
        for metric in metrics.deliveries.collect()
        for sample in metric.samples
        if sample.name.endswith("_total")
    }


class Reporter:
    """A worker's side: what it counted since the last report, sent to the server."""

    def __init__(self, *, metrics: Metrics, reports: Queue) -> None:
        self.metrics = metrics
        self.reports = reports
        self.reported: dict[tuple[str, str], float] = {}

    def report(self) -> None:
        now = delivery_counts(self.metrics)
        since = {key: value - self.reported.get(key, 0.0) for key, value in now.items()}
        since = {key: value for key, value in since.items() if value}
        if since:
            self.reports.put(since)
            self.reported = now

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=REPORT_EVERY)
            self.report()


def receive(metrics: Metrics, reports: Queue) -> None:
    """The server's side: add every report waiting in the queue to the server's counter."""
    while True:
        try:
            counts: Counts = reports.get_nowait()
        except (queue.Empty, OSError, ValueError):  # nothing more, or the queue is closed
            return
        for (platform, outcome), attempts in counts.items():
            metrics.deliveries.labels(platform, outcome).inc(attempts)
