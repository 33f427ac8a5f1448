"""The server's figures for Prometheus, in a registry of the App's own (no process-wide registry).

Counted as they happen: requests by route and status, and their latency (for `/slack/events`, Slack's
acknowledgement, which must come within 3 seconds); what became of each delivery attempt, by
platform. Read from the database when scraped (`store.monitoring`): the outbox's backlog and the age
of its oldest message per platform, and how late due work runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.exposition import choose_encoder

from store import monitoring
from store.db import Database

# Slack's limit (3 s) is an edge, and the mixed load's targets (p99 under 300 ms, none over 1 s).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


class Metrics:
    """The instruments, and what they are filled from."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # CPU, memory, open files of this process
        self.requests = Counter(
            "rapport_http_requests",
            "HTTP requests answered, by route and status.",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "rapport_http_request_seconds",
            "Time from a request's arrival to its answer, by route; for /slack/events, Slack's "
            "acknowledgement (Slack gives up after 3 s).",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.deliveries = Counter(
            "rapport_deliveries",
            "Delivery attempts of outbox messages, by platform and outcome (sent, retry, failed, dropped).",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "rapport_outbox_pending",
            "Outbox messages not delivered yet (waiting or being sent), by platform.",
            ["platform"],
            registry=self.registry,
        )
        self.outbox_oldest = Gauge(
            "rapport_outbox_oldest_seconds",
            "Age of the oldest outbox message not delivered yet, by platform (0 when there is none).",
            ["platform"],
            registry=self.registry,
        )
        self.due_overdue = Gauge(
            "rapport_due_work_overdue",
            "Due work (prompts, reminders, digests) whose time has come and that has not run yet.",
            registry=self.registry,
        )
        self.due_lag = Gauge(
            "rapport_due_work_lag_seconds",
            "How late the most overdue due work is (0 when none is overdue).",
            registry=self.registry,
        )
        self.platforms: set[str] = set()
        self._routes: dict[tuple[str, int], tuple] = {}

    def request(self, *, route: str, status: int, seconds: float) -> None:
        """One request answered. The label children are kept: looking them up is most of the cost."""
        children = self._routes.get((route, status))
        if children is None:
            children = self._routes[(route, status)] = (
                self.requests.labels(route, str(status)),
                self.latency.labels(route),
            )
        children[0].inc()
        children[1].observe(seconds)

    def delivering(self, platform: str) -> Callable[[str], None]:
        """What a platform's delivery worker calls with each attempt's outcome; its backlog is watched."""
        self.platforms.add(platform)
        children: dict[str, Counter] = {}

        def observe(outcome: str) -> None:
            child = children.get(outcome)
            if child is None:
                child = children[outcome] = self.deliveries.labels(platform, outcome)
            child.inc()

        return observe

    async def refresh(self, db: Database, *, now: datetime) -> None:
        """Read the backlog and the due-work lag into their gauges (when scraped)."""
        async with db.read() as session:
            backlog = await monitoring.outbox_backlog(session, platforms=sorted(self.platforms))
            lag = await monitoring.due_lag(session, now=now)
        for platform in backlog:
            oldest = platform.oldest_created_at
            self.outbox_pending.labels(platform.platform).set(platform.count)
            self.outbox_oldest.labels(platform.platform).set((now - oldest).total_seconds() if oldest else 0)
        self.due_overdue.set(lag.count)
        self.due_lag.set((now - lag.oldest_due_at).total_seconds() if lag.oldest_due_at else 0)

    def exposition(self, accept: str | None) -> tuple[bytes, str]:
        """The text a scraper asked for (OpenMetrics or Prometheus' format), and its content type."""
        encode, content_type = choose_encoder(accept or "")
        return encode(self.registry), content_type
