"""The steps of a form, as pure functions: which question comes next, and what a typed line does.

Nothing here touches the database or the catalogue's wording; `bot.forms.session` does that. An
answer is stored under its question's id; a skipped optional question is stored as None, so that
"was it asked?" and "what was said?" stay two different questions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.forms.definition import SCALE, FormDefinition, Question
from bot.numbers import answer_number

CONTROLS = ("skip", "back", "cancel", "help")
YES, NO = "yes", "no"


@dataclass(frozen=True, kw_only=True)
class Vocabulary:
    """The words that steer a form or answer yes/no, in every language at once: `skip` works for a
    Chinese speaker and 跳过 for an English one."""

    meanings: Mapping[str, str]

    @classmethod
    def of(cls, words: Iterable[tuple[str, str]]) -> Vocabulary:
        """From (meaning, "word|other word") pairs, as the catalogue lists them."""
        meanings: dict[str, str] = {}
        for meaning, spelled in words:
            for word in spelled.split("|"):
                meanings[normalise(word)] = meaning
        return cls(meanings=meanings)

    def meaning(self, text: str) -> str | None:
        return self.meanings.get(normalise(text))


def normalise(text: str) -> str:
    """Case, width and trailing punctuation do not change what a short answer means."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return folded.rstrip(".!。！")


@dataclass(frozen=True, kw_only=True)
class State:
    step: int
    answers: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What one line did: the new state, whether the form is still open, and what to tell the person.

    Attributes:
        status: "open", "done" or "cancelled".
        problem: a catalogue key explaining why the line was not accepted (the step is re-asked).
        params: the problem's parameters.
        help: the person asked for help at this step.
    """

    state: State
    status: str = "open"
    problem: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    help: bool = False


class Invalid(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def applies(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the question is asked, given the answers so far."""
    when = question.when
    return when is None or str(answers.get(when.question)) == when.equals


def next_step(form: FormDefinition, answers: Mapping[str, Any], *, after: int) -> int | None:
    """The first question after `after` that applies; None when the form is complete."""
    for index in range(after + 1, len(form.questions)):
        if applies(form.questions[index], answers):
            return index
    return None


def previous_step(form: FormDefinition, answers: Mapping[str, Any], *, before: int) -> int | None:
    for index in range(before - 1, -1, -1):
        if applies(form.questions[index], answers):
            return index
    return None


def asked(form: FormDefinition, answers: Mapping[str, Any]) -> list[Question]:
    """The questions that apply to these answers, in order (what a summary shows)."""
    return [q for q in form.questions if applies(q, answers)]


def start(form: FormDefinition, answers: Mapping[str, Any] | None = None) -> State:
    answers = dict(answers or {})
    return State(step=next_step(form, answers, after=-1) or 0, answers=answers)


def parse(question: Question, text: str, *, vocabulary: Vocabulary) -> Any:
    """The stored value of a typed answer, or Invalid with the hint to show."""
    text = text.strip()
    if question.kind == "text":
        if not text:
            raise Invalid("forms.empty")
        if len(text) > question.max_length:
            raise Invalid("forms.too_long", length=len(text), max=question.max_length)
        return text
    if question.kind == "scale":
        value = answer_number(normalise(text))
        if value is None or str(value) not in SCALE:
            raise Invalid("forms.bad_scale")
        return value
    if question.kind == "yesno":
        meaning = vocabulary.meaning(text)
        if meaning not in (YES, NO):
            raise Invalid("forms.bad_yesno")
        return meaning
    return _choice(question, text)


def _choice(question: Question, text: str) -> int:
    count = max((len(options) for options in question.labels.values()), default=0)
    value = normalise(text)
    number = answer_number(value)
    if number is not None and number <= count:
        return number
    for options in question.labels.values():
        for number, label in enumerate(options, start=1):
            if normalise(label) == value:
                return number
    raise Invalid("forms.bad_choice", count=count)


def apply(form: FormDefinition, state: State, text: str, *, vocabulary: Vocabulary) -> Outcome:
    """What `text` does at the current step: a control word, or an answer to check and store."""
    question = form.questions[state.step]
    control = vocabulary.meaning(text)
    if control == "cancel":
        return Outcome(state=state, status="cancelled")
    if control == "help":
        return Outcome(state=state, help=True)
    if control == "back":
        previous = previous_step(form, state.answers, before=state.step)
        if previous is None:
            return Outcome(state=state, problem="forms.at_start")
        return Outcome(state=State(step=previous, answers=state.answers))
    if control == "skip":
        if question.required and state.answers.get(question.id) is None:
            return Outcome(state=state, problem="forms.required")
        # Skipping keeps an earlier answer (when editing), else records the question as unanswered.
        return _advance(form, state, state.answers.get(question.id))
    try:
        value = parse(question, text, vocabulary=vocabulary)
    except Invalid as invalid:
        return Outcome(state=state, problem=invalid.key, params=invalid.params)
    return _advance(form, state, value)


def _advance(form: FormDefinition, state: State, value: Any) -> Outcome:
    answers = {**state.answers, form.questions[state.step].id: value}
    following = next_step(form, answers, after=state.step)
    if following is None:
        kept = {q.id: answers.get(q.id) for q in asked(form, answers)}
        return Outcome(state=State(step=state.step, answers=kept), status="done")
    return Outcome(state=State(step=following, answers=answers))
