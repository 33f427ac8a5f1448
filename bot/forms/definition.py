"""What a form asks: ordered questions, each with its kind, limits and the condition for asking it.

A question's words come either from the message catalogue (`text_key`, for built-in forms) or from
the form itself, per locale (`text`, for templates an organisation imports).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = ("text", "scale", "yesno", "choice")
SCALE = ("1", "2", "3", "4", "5")
DEFAULT_MAX_LENGTH = 2000

Words = Mapping[str, str]  # locale → text


@dataclass(frozen=True, kw_only=True)
class Condition:
    """Ask the question only when an earlier question was answered with `equals`."""

    question: str
    equals: str


@dataclass(frozen=True, kw_only=True)
class Question:
    """One step of a form.

    Attributes:
        id: stable name of the answer ("mood"), also what signals look for.
        kind: "text", "scale" (1–5), "yesno" or "choice".
        text_key / text: the question, from the catalogue or per locale.
        labels_key / labels: for a scale, five labels; for a choice, its options (per locale,
            newline-separated in the catalogue).
        required: whether `skip` is refused.
        max_length: for free text.
        when: the condition for asking it at all.
    """

    id: str
    kind: str
    text_key: str | None = None
    text: Words = field(default_factory=dict)
    labels_key: str | None = None
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    required: bool = True
    max_length: int = DEFAULT_MAX_LENGTH
    when: Condition | None = None


@dataclass(frozen=True, kw_only=True)
class FormDefinition:
    """A form of a given key and version: version 0 is built in, imported ones count up from 1."""

    key: str
    version: int
    questions: tuple[Question, ...]
    title_key: str | None = None
    title: Words = field(default_factory=dict)
    # Answers promised anonymous once finished: left unfinished, they are discarded when the form
    # closes (and the person told), never kept by name (`bot.features.forms.expiry_job`).
    unfinished_discarded: bool = False

    def index_of(self, question_id: str) -> int:
        return next(i for i, q in enumerate(self.questions) if q.id == question_id)


def to_dict(form: FormDefinition) -> dict[str, Any]:
    """The definition as plain JSON, as it is stored with an imported template."""
    return {
        "key": form.key,
        "title": dict(form.title),
        "questions": [
            {
                "id": q.id,
                "type": q.kind,
                "text": dict(q.text),
                "labels": {locale: list(values) for locale, values in q.labels.items()},
                "required": q.required,
                "max_length": q.max_length,
                **({"when": {q.when.question: q.when.equals}} if q.when else {}),
            }
            for q in form.questions
        ],
    }


def from_dict(data: Mapping[str, Any], *, version: int) -> FormDefinition:
    """Read a definition written by `to_dict` (or checked by `bot.forms.template`)."""
    questions = []
    for q in data["questions"]:
        when = next(iter(q["when"].items())) if q.get("when") else None
        questions.append(
            Question(
                id=q["id"],
                kind=q["type"],
                text=dict(q.get("text") or {}),
                labels={locale: tuple(v) for locale, v in (q.get("labels") or {}).items()},
                required=q.get("required", True),
                max_length=q.get("max_length", DEFAULT_MAX_LENGTH),
                when=Condition(question=when[0], equals=str(when[1])) if when else None,
            )
        )
    return FormDefinition(
        key=data["key"], version=version, questions=tuple(questions), title=dict(data.get("title") or {})
    )
