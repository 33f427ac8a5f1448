"""The expected figures, worked out from the generator's ledger in plain Python (not from the SQL)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from tests.insights.generate import PARTS, Ledger

Q4 = (date(2026, 10, 1), date(2027, 1, 1))
Q4_WEEKS = {f"2026-W{w}" for w in range(40, 54)}


def within(day: date | datetime, period: tuple[date, date] = Q4) -> bool:
    day = day.date() if isinstance(day, datetime) else day
    return period[0] <= day < period[1]


def per_group(facts, who, group, measures) -> dict:
    """{group: {measure: count, "people": distinct people}} for the facts in the period."""
    out: dict = defaultdict(lambda: defaultdict(int))
    people: dict = defaultdict(set)
    for fact in facts:
        person = who(fact)
        key = group(person)
        people[key].add(person.id)
        for name, test in measures.items():
            out[key][name] += int(bool(test(fact)))
    for key in out:
        out[key]["people"] = len(people[key])
    return {k: dict(v) for k, v in out.items()}


def checkins(ledger: Ledger, group, period=Q4) -> dict:
    facts = [c for c in ledger.checkins if within(c["day"], period)]

    def on_time(c):
        return c["completed"] and (c["reminder"] is None or c["completed"] < c["reminder"])

    return per_group(
        facts,
        lambda c: c["person"],
        group,
        {"asked": lambda c: True, "answered": lambda c: c["completed"], "on_time": on_time},
    )


def reviews(ledger: Ledger, group, period=Q4) -> dict:
    facts = [m for m in ledger.meetings if within(m["starts"], period) and m["status"] != "cancelled"]
    held = lambda m: m["status"] == "held"  # noqa: E731
    return per_group(
        facts,
        lambda m: m["employee"],
        group,
        {
            "scheduled": lambda m: True,
            "held": held,
            "held_on_time": lambda m: held(m) and (m["written"] - m["starts"]).total_seconds() <= 2 * 86400,
            "ahead": lambda m: (m["starts"] - m["scheduled_at"]).days >= 3,
            "self_reviews": lambda m: m["self_review"],
        },
    )


def records(ledger: Ledger, group, period=Q4) -> dict:
    facts = [m for m in ledger.meetings if within(m["starts"], period) and m["status"] == "held"]
    parts = lambda m: all(m["parts"][p].strip() for p in PARTS)  # noqa: E731
    agreed = lambda m: 2 <= len(m["agreed"]) <= 3 and all(a["due"] for a in m["agreed"])  # noqa: E731
    answered = lambda m: m["response"] != "pending"  # noqa: E731
    return per_group(
        facts,
        lambda m: m["employee"],
        group,
        {
            "records": lambda m: True,
            "parts_filled": parts,
            "actions_agreed": agreed,
            "answered": answered,
            "complete": lambda m: parts(m) and agreed(m) and answered(m),
        },
    )


def actions(ledger: Ledger, group, today: date, period=Q4) -> dict:
    facts = [a for a in ledger.actions if a["due"] and within(a["due"], period)]
    done = lambda a: a["status"] == "done"  # noqa: E731
    return per_group(
        facts,
        lambda a: a["owner"],
        group,
        {
            "due": lambda a: True,
            "done_on_time": lambda a: done(a) and a["closed"].date() <= a["due"],
            "done_late": lambda a: done(a) and a["closed"].date() > a["due"],
            "overdue": lambda a: a["status"] in ("open", "proposed") and a["due"] < today,
            "dropped": lambda a: a["status"] == "dropped",
        },
    )


def kudos(ledger: Ledger, group, period=Q4) -> dict:
    out: dict = defaultdict(lambda: {"given": 0, "received": 0, "givers": set(), "recipients": set()})
    for k in ledger.kudos:
        if within(k["created"], period):
            out[group(k["giver"])]["given"] += 1
            out[group(k["giver"])]["givers"].add(k["giver"].id)
            for person in k["recipients"]:
                out[group(person)]["received"] += 1
                out[group(person)]["recipients"].add(person.id)
    return {g: {**v, "givers": len(v["givers"]), "recipients": len(v["recipients"])} for g, v in out.items()}


def pulse(ledger: Ledger) -> dict:
    """Per manager, the answers of the batches released in the quarter (held ones never count)."""
    out: dict = defaultdict(list)
    for p in ledger.pulses:
        if p.get("released") in Q4_WEEKS:
            out[p["manager"].display_name].append(p)
    return {
        name: {
            "answers": len(answers),
            "room_to_speak": round(100 * sum(a["room"] for a in answers) / len(answers), 1),
            "next_steps": round(100 * sum(a["steps"] for a in answers) / len(answers), 1),
            "useful": round(sum(a["useful"] for a in answers) / len(answers), 1),
        }
        for name, answers in out.items()
    }
