"""How long the delivery worker waits before trying a message again: the platform's Retry-After as
given, else a backoff doubling to its cap, less up to half of it at random so that messages refused
together do not all come back together."""

from __future__ import annotations

import random
from datetime import timedelta

from adapters.delivery import DeliveryWorker


def worker(**options) -> DeliveryWorker:
    return DeliveryWorker(db=None, clock=None, platform="slack", sender=None, **options)


def test_the_backoff_doubles_up_to_its_cap():
    exact = worker(jitter=lambda: 0.0)  # no jitter: the backoff itself
    waits = [exact.delay(attempts=n, retry_after=None).total_seconds() for n in range(1, 11)]
    assert waits == [5, 10, 20, 40, 80, 160, 320, 640, 900, 900]
    assert exact.delay(attempts=10_000, retry_after=None) == timedelta(minutes=15)  # a day of retries


def test_jitter_takes_up_to_half_of_each_wait():
    assert worker(jitter=lambda: 0.5).delay(attempts=3, retry_after=None) == timedelta(seconds=15)
    spread = worker(jitter=random.Random(16).random)
    waits = [spread.delay(attempts=3, retry_after=None).total_seconds() for _ in range(200)]
    assert all(10 < wait <= 20 for wait in waits)
    assert max(waits) - min(waits) > 8  # spread over the range, not bunched


def test_a_retry_after_is_waited_out_as_given():
    assert worker(jitter=lambda: 0.9).delay(attempts=7, retry_after=30) == timedelta(seconds=30)
