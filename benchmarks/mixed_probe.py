"""What the `mixed` benchmark measures besides latency: where the server's CPU goes, phase by phase.

`cpu_seconds(pid)` is the CPU time (user and system) of a process and every process below it (the
report worker, delivery workers), read from /proc; the driver takes it at each phase's start and end
and prints how many cores the server used, and PostgreSQL's processes (`named`: on PostgreSQL the
database's work, the dashboard's GROUP BYs among it, is done there, outside the server's tree),
and how long each of the server's processes waited, ready to run, for a core (`waited`: a worker
that is busy on its one core and waits a fifth of the time goes no faster however idle the machine
looks on average). With `RAPPORT_BENCH_POOL=1` the server prints its database pool's peak use every
second (connections checked out, checkouts that had to wait).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

from sqlalchemy import event

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def _stat(pid: int | str) -> tuple[str, float] | None:
    """A live process's name and the CPU seconds (user and system) it has used; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            head, _, tail = f.read().rpartition(")")  # the name may hold spaces and parentheses
    except OSError:
        return None
    fields = tail.split()
    return head.partition("(")[2], (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def waited(pid: int) -> float:
    """Seconds the process's main thread has spent ready to run but waiting for a core (the kernel's
    schedstat; 0 where it is missing)."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def tree(pid: int) -> dict[int, float]:
    """CPU seconds used so far by `pid` and each of its live descendants (none where /proc is missing)."""
    found, stack = {}, [pid]
    while stack:
        current = stack.pop()
        if (stat := _stat(current)) is not None:
            found[current] = stat[1]
            stack += _children(current)
    return found


def cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by `pid` and its live descendants."""
    return sum(tree(pid).values())


def named(name: str) -> float:
    """CPU seconds used so far by every live process called `name` (PostgreSQL's backends, say)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        stat = _stat(entry) if entry.isdigit() else None
        if stat is not None and stat[0] == name:
            total += stat[1]
    return total


def machine() -> tuple[float, float, float]:
    """The whole machine's CPU seconds so far: (busy at normal priority, busy niced, idle)."""
    try:
        with open("/proc/stat") as f:
            user, nice, system, idle, iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
    except OSError:
        return 0.0, 0.0, 0.0
    return (user + system + irq + softirq + steal) / _TICK, nice / _TICK, (idle + iowait) / _TICK


class Phase:
    """Wall and CPU time of one phase: the server's process tree, the fake Slack's, the driver's (this
    process), the whole machine."""

    def __init__(self, pid: int, fake: int = 0) -> None:
        self.pid, self.fake, self.wall = pid, fake, time.monotonic()
        self.cpu, self.fake_cpu, self.machine = cpu_seconds(pid), cpu_seconds(fake), machine()
        self.each = tree(pid)
        self.waits = {p: waited(p) for p in self.each}
        self.postgres = named("postgres")
        self.driver = time.process_time()  # this process: the load's requests and the prompts' count

    def cores(self) -> float:
        wall = max(time.monotonic() - self.wall, 1e-3)
        return (cpu_seconds(self.pid) - self.cpu) / wall

    def describe(self) -> str:
        """The cores each used during the phase: server, fake, the machine busy (its niced part), idle."""
        wall = max(time.monotonic() - self.wall, 1e-3)
        busy, nice, idle = (now - then for now, then in zip(machine(), self.machine, strict=True))
        now = sorted(tree(self.pid).items())
        each = " + ".join(f"{(used - self.each.get(p, 0.0)) / wall:.2f}" for p, used in now)
        waits = " + ".join(f"{(waited(p) - self.waits.get(p, 0.0)) / wall:.2f}" for p, _ in now)
        return (
            f"server {self.cores():.2f} ({each}; waiting for a core {waits}), "
            f"fake {(cpu_seconds(self.fake) - self.fake_cpu) / wall:.2f}, "
            f"driver {(time.process_time() - self.driver) / wall:.2f}, "
            f"postgres {(named('postgres') - self.postgres) / wall:.2f}, "
            f"machine busy {busy / wall:.2f} + niced {nice / wall:.2f}, idle {idle / wall:.2f} cores"
        )


def watch_pool(engine) -> asyncio.Task:
    """Print, every second, the most connections `engine`'s pool had out and how many checkouts
    waited more than a millisecond for one (to stderr, as `pool ...` lines)."""
    pool = engine.sync_engine.pool
    state = {"peak": 0, "waits": 0, "waited": 0.0}
    started: dict[int, float] = {}

    @event.listens_for(engine.sync_engine, "checkout")
    def _checkout(*_) -> None:
        state["peak"] = max(state["peak"], pool.checkedout())

    original = pool._do_get

    def timed_get():
        begun = time.perf_counter()
        try:
            return original()
        finally:
            waited = time.perf_counter() - begun
            if waited > 0.001:
                state["waits"] += 1
                state["waited"] += waited

    pool._do_get = timed_get
    del started

    async def report() -> None:
        while True:
            await asyncio.sleep(1.0)
            print(
                f"pool peak {state['peak']}/{pool.size() + pool._max_overflow} waits {state['waits']} "
                f"({state['waited'] * 1000:.0f} ms)",
                file=sys.stderr,
                flush=True,
            )
            state.update(peak=pool.checkedout(), waits=0, waited=0.0)

    return asyncio.create_task(report())
