"""A report worker that stops mid-way until the test lets it go (imported by the worker process)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from adapters.web import reports
from store.models import Kudos


class _Held:
    started: object  # multiprocessing Events, given to the worker process when it starts
    release: object
    computed: object  # a multiprocessing Value: how many computations ran


_held = _Held()


def start_held(url: str, connect_args: dict, started, release, computed) -> None:
    reports.start_worker(url, connect_args)
    _held.started, _held.release, _held.computed = started, release, computed


def held_compute(ask: reports.Ask) -> list:
    """Open a read transaction on the database, say so, wait to be released, then compute."""

    async def hold() -> None:
        async with reports._worker.db.read() as session:
            await session.scalar(select(func.count()).select_from(Kudos))
            _held.started.set()
            await asyncio.to_thread(_held.release.wait, 60)

    with _held.computed.get_lock():
        _held.computed.value += 1
    reports._worker.loop.run_until_complete(hold())
    return reports.compute(ask)
