"""The suggested agenda and the open questions: pure functions of the evidence.

A topic is a catalogue key, its parameters and a weight; heavier topics come first. The weights say
what a review should not leave out: a falling mood or overdue commitments before praise.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from bot.evidence import Topic
from bot.features.reviews.evidence import Dated, Evidence
from bot.i18n import Messages
from store.actions import OPEN_STATUSES

SPARKS = {1: "▁", 2: "▃", 3: "▅", 4: "▇", 5: "█"}
BEST = ("background", "event", "self", "target")


def short_day(t: Messages, day: date) -> str:
    """ "Nov 3", "11月3日"."""
    return t("review_digest.short_day", month=t("date.months").split(",")[day.month - 1], day=day.day)


def days(t: Messages, items: Sequence[Dated]) -> str:
    return t.join(short_day(t, d.day) for d in items)


def sparkline(moods: Sequence[Dated]) -> str:
    return "".join(SPARKS.get(d.value, "?") for d in moods)


def overdue(evidence: Evidence) -> list:
    return [
        a
        for a in evidence.actions
        if a.status in OPEN_STATUSES and a.due_on is not None and a.due_on < evidence.today
    ]


def still_open(evidence: Evidence) -> list:
    late = {a.id for a in overdue(evidence)}
    return [a for a in evidence.actions if a.status in OPEN_STATUSES and a.id not in late]


def done(evidence: Evidence) -> list:
    return [a for a in evidence.actions if a.status == "done"]


def repeated_blockers(blockers: Sequence[Dated]) -> list[Dated]:
    """The largest group of blockers that name the same dependency (sharing most of their words)."""
    best: list[Dated] = []
    for first in blockers:
        group = [b for b in blockers if _similar(first.text, b.text)]
        if len(group) > len(best):
            best = group
    return best if len(best) > 1 else []


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2} or set(text)


def _similar(a: str, b: str) -> bool:
    left, right = _words(a), _words(b)
    return len(left & right) / max(1, min(len(left), len(right))) >= 0.5


def mood_topic(t: Messages, moods: Sequence[Dated]) -> Topic | None:
    """A fall of two points over the last three check-ins, or a run of low moods."""
    last = list(moods[-3:])
    if len(last) < 2:
        return None
    first, final = last[0].value, last[-1].value
    params = {"first": first, "last": final, "days": days(t, last), "count": len(last)}
    if first - final >= 2 or (first > final and final <= 2):
        return Topic(key="mood_fell", weight=80 + 5 * (first - final), params=params)
    if all(d.value <= 2 for d in last):
        return Topic(key="mood_low", weight=75, params=params)
    return None


def rank(t: Messages, evidence: Evidence) -> list[Topic]:
    """Agenda topics drawn from the evidence, heaviest first."""
    topics = [
        mood_topic(t, evidence.moods),
        *_action_topics(t, evidence),
        *_dialogue_topics(t, evidence),
        *evidence.goals.topics(t, today=evidence.today),  # issue 18
        *evidence.development.topics(t, today=evidence.today),
    ]
    return sorted((x for x in topics if x), key=lambda x: -x.weight)


def _titles(t: Messages, actions: Sequence) -> str:
    return t.join(
        t("review_digest.action_due", title=a.title, day=short_day(t, a.due_on))
        if a.due_on
        else f"“{a.title}”"
        for a in actions
    )


def _action_topics(t: Messages, evidence: Evidence) -> list[Topic | None]:
    late, pending, finished = overdue(evidence), still_open(evidence), done(evidence)
    others = evidence.overdue
    return [
        late
        and Topic(
            key="overdue", weight=70 + 5 * len(late), params={"count": len(late), "items": _titles(t, late)}
        ),
        others
        and Topic(
            key="overdue_other",
            weight=50 + 5 * len(others),
            params={"count": len(others), "items": _titles(t, others)},
        ),
        pending
        and Topic(
            key="open_actions", weight=35, params={"count": len(pending), "items": _titles(t, pending)}
        ),
        finished
        and Topic(
            key="done_actions", weight=15, params={"count": len(finished), "items": _titles(t, finished)}
        ),
    ]


def _dialogue_topics(t: Messages, evidence: Evidence) -> list[Topic | None]:
    topics: list[Topic | None] = []
    same = repeated_blockers(evidence.blockers)
    if same:
        topics.append(
            Topic(
                key="blocked_again",
                weight=65,
                params={"count": len(same), "blocker": same[-1].text, "days": days(t, same)},
            )
        )
    elif evidence.blockers:
        last = evidence.blockers[-1]
        topics.append(Topic(key="blocked", weight=45, params={"blocker": last.text, "days": days(t, [last])}))
    if evidence.support:
        last = evidence.support[-1]
        topics.append(Topic(key="support", weight=40, params={"text": last.text, "days": days(t, [last])}))
    values = Counter(v for k in evidence.kudos for v in k.value)
    if values:
        value, count = values.most_common(1)[0]
        given = [k for k in evidence.kudos if value in k.value]
        givers = t.join(dict.fromkeys(k.who for k in given))
        topics.append(
            Topic(
                key="kudos",
                weight=20 + count,
                params={"count": count, "value": value, "givers": givers, "days": days(t, given)},
            )
        )
    if evidence.feedback:
        topics.append(
            Topic(
                key="feedback",
                weight=25,
                params={"count": len(evidence.feedback), "days": days(t, evidence.feedback)},
            )
        )
    return topics


def questions(t: Messages, evidence: Evidence, topics: Sequence[Topic]) -> list[tuple[str, str]]:
    """Four open questions, one per BEST step (Background, Event, Self-assessment, Target), each
    drawn from the heaviest topic that suits the step, else a general one. (step label, question)."""
    by_key = {topic.key: topic for topic in topics}
    chosen: list[tuple[str, str]] = []
    used: set[str] = set()
    for step in BEST:
        for key in [topic.key for topic in topics]:
            name = f"review_digest.question.{step}.{key}"
            if key not in used and t.catalogue.has(name):
                chosen.append((t(f"review_digest.best.{step}"), t(name, **by_key[key].params)))
                used.add(key)
                break
        else:
            chosen.append((t(f"review_digest.best.{step}"), t(f"review_digest.question.{step}.general")))
    return chosen
