"""The `mixed` benchmark's printout: each round's figures and the summary against the targets."""

from __future__ import annotations

import statistics

from benchmarks.stats import percentile

TARGET_P99_MS, TARGET_MAX_MS, TARGET_RATIO = 300, 1000, 0.8
# A dashboard answer this slow was computed (a reused page answers in tens of milliseconds).
COMPUTED_MS = 250


def _figures(samples: list[float]) -> str:
    if not samples:
        return "none answered"
    return (
        f"p50 {statistics.median(samples):6.1f} ms  p99 {percentile(samples, 99):7.1f} ms  "
        f"max {max(samples):7.1f} ms  ({len(samples)})"
    )


def print_round(label: str, number: int, r: dict) -> None:
    acks = r["samples"]["kudos"] + r["samples"]["dm"]
    over = sum(1 for s in acks if s > TARGET_MAX_MS)
    print(f"  {label} round {number}: {r['seconds']:.0f} s of load")
    print(f"    slack acks (all)   {_figures(acks)}  over 1 s: {over}")
    print(f"    /kudos             {_figures(r['samples']['kudos'])}  errors {r['errors']['kudos']}")
    print(f"    events (DMs)       {_figures(r['samples']['dm'])}  errors {r['errors']['dm']}")
    print(f"    dashboard          {_figures(r['samples']['dashboard'])}  errors {r['errors']['dashboard']}")
    print(f"    dashboard pages computed: {_computed(r)}")
    a, m = r["alone"], r["mixed"]
    print(
        f"    fan-out alone {a['rate']:6.0f}/s (all out {a['whole']:.1f} s after due), mixed {m['rate']:6.0f}/s "
        f"({m['whole']:.1f} s): ratio {m['rate'] / a['rate']:.2f}",
        flush=True,
    )
    print(f"    CPU alone: {a['cpu']}\n    CPU mixed: {m['cpu']}", flush=True)


def _computed(r: dict) -> str:
    """How many pages were computed in the round, and when those that overlapped the mixed fan-out
    ran, in seconds from its first prompt (a computation takes PostgreSQL's CPU from the fan-out)."""
    first, last = r["mixed"]["span"]
    computed: dict[float, float] = {}  # answered: sent (loads waiting on one computation end together)
    for sent, answered in r["dashboard_spans"]:
        if (answered - sent) * 1000 > COMPUTED_MS:
            end = round(answered, 1)
            computed[end] = min(sent, computed.get(end, sent))
    during = [
        f"{sent - first:.1f}..{end - first:.1f} s"
        for end, sent in computed.items()
        if sent < last and end > first
    ]
    return f"{len(computed)}, during the fan-out (0..{last - first:.1f} s): {', '.join(during) or 'none'}"


def summary(label: str, results: list[dict]) -> None:
    acks = [r["samples"]["kudos"] + r["samples"]["dm"] for r in results]
    p99 = [percentile(a, 99) for a in acks]
    worst = max(max(a) for a in acks)
    ratios = [r["mixed"]["rate"] / r["alone"]["rate"] for r in results]
    ok = max(p99) < TARGET_P99_MS and worst <= TARGET_MAX_MS and statistics.median(ratios) >= TARGET_RATIO
    print(
        f"  => {label}: ack p99 median {statistics.median(p99):.1f} ms, worst {max(p99):.1f} ms "
        f"(target {TARGET_P99_MS}); max {worst:.1f} ms (target {TARGET_MAX_MS}); fan-out ratio median "
        f"{statistics.median(ratios):.2f} (target {TARGET_RATIO}), rounds {' '.join(f'{x:.2f}' for x in ratios)}; "
        f"{'meets the targets' if ok else 'MISSES the targets'}",
        flush=True,
    )
