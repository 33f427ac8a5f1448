"""Closed batches: how aggregates of individual answers move, for every feature that keeps answers
anonymous (the post-review pulse, anonymous feedback requests).

The rule, with T the threshold (the organisation's, never below `MIN_THRESHOLD`):

1. An answer is *held* when it arrives: nothing anyone sees changes, not even a count of answers
   behind a figure.
2. When at least T answers are held, all of them are *released together* as one batch, and only
   then does what people see change: the pulse's figures take in the whole batch at once; an
   anonymous request's answers appear together, each in a random place (drawn with
   `SystemRandom`, unrelated to when it came or who wrote it).
3. So any two things a reader saw differ by whole batches of at least T answers: "3 answers, 67%"
   then "4 answers, 75%" (which told Carol Priya's answer) cannot happen; the next figure she sees
   covers 6 answers or more.
4. An answer whose writer was erased is gone: it never counts towards T (a batch always holds T
   real answers), and a batch that held it and was already shown is withdrawn whole rather than
   shown again without it, since the missing place would say which answer was theirs.
5. Where it is known who may still answer, a batch that would leave fewer than T of them to come
   waits for them, so that the last answers are not stranded alone (`ready`).

Which answers are in which batch is stored with the answers, so a restart changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from random import SystemRandom

from bot.anonymity import MIN_THRESHOLD


def ready(held: int, *, threshold: int, still_to_come: int | None = None) -> bool:
    """Whether `held` answers, none of them shown yet, may be released now as one batch (rule 2).

    `still_to_come`, where the people who may still answer are known (a feedback request), is how
    many of them have neither answered nor declined: while it is between 1 and T-1, the batch waits
    for them (or for the deadline): answers that came after it could never make a batch of their own,
    and the requester would know whose were left out (those who answered last) (rule 5).
    """
    enough = held >= max(threshold, MIN_THRESHOLD)
    return enough and not (still_to_come and still_to_come < max(threshold, MIN_THRESHOLD))


def random_places(count: int) -> list[int]:
    """Places 1..count in a random order, one per answer of a new batch, unrelated to anything known
    about the answers (rule 2)."""
    places = list(range(1, count + 1))
    SystemRandom().shuffle(places)
    return places


def withdrawn(members: Iterable[tuple[int, bool]]) -> set[int]:
    """The released batches no longer shown (rule 4), from (batch, writer erased) per released answer."""
    return {batch for batch, erased in members if erased}


def first_numbers(sizes: Mapping[int, int]) -> dict[int, int]:
    """The number of each batch's first answer when answers are numbered across batches in order: a
    withdrawn batch keeps its numbers, so that no later answer's number moves."""
    first, numbers = 1, {}
    for batch in sorted(sizes):
        numbers[batch] = first
        first += sizes[batch]
    return numbers
