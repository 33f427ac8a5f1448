"""A form's questions and answers in one person's language."""

from __future__ import annotations

from typing import Any

from bot.forms.definition import FormDefinition, Question, Words
from bot.forms.engine import NO, YES, asked
from bot.i18n import DEFAULT_LOCALE, Messages
from bot.parse import readable
from bot.replies import FEW_OPTIONS, Context, FormQuestion, Option, Reply, Text

ANSWER_ACTION = "form:answer"


def _pick(words: Words, locale: str) -> str:
    return words.get(locale) or words.get(DEFAULT_LOCALE) or next(iter(words.values()), "")


def question_text(t: Messages, question: Question) -> str:
    return t(question.text_key) if question.text_key else _pick(question.text, t.locale)


def title(t: Messages, form: FormDefinition) -> str:
    return t(form.title_key) if form.title_key else _pick(form.title, t.locale)


def labels(t: Messages, question: Question) -> list[str]:
    """A scale's five labels or a choice's options, in the person's language."""
    if question.labels_key:
        return t(question.labels_key).split("\n")
    if not question.labels:
        return []
    return list(question.labels.get(t.locale) or question.labels.get(DEFAULT_LOCALE) or [])


def options(t: Messages, question: Question) -> tuple[Option, ...]:
    if question.kind == "yesno":
        return (Option(label=t("forms.yes"), value=YES), Option(label=t("forms.no"), value=NO))
    if question.kind in ("scale", "choice"):
        return tuple(Option(label=label, value=str(n)) for n, label in enumerate(labels(t, question), 1))
    return ()


def show_answer(t: Messages, question: Question, value: Any) -> str:
    """An answer as the person would read it back."""
    if value is None:
        return t("forms.skipped")
    if question.kind == "yesno":
        return t("forms.yes") if value == YES else t("forms.no")
    if question.kind in ("scale", "choice"):
        names = labels(t, question)
        label = names[value - 1] if 0 < value <= len(names) else ""
        return f"{value} {label}".strip() if question.kind == "scale" else label
    return readable(str(value))


def ask(
    t: Messages,
    form: FormDefinition,
    *,
    session_id: int,
    step: int,
    answers: dict[str, Any],
    before: tuple[str, ...] = (),
    action_id: str = ANSWER_ACTION,
) -> Reply:
    """The question at `step`, after any lines to say first (a problem, help, a greeting); its options
    press `action_id` (each feature's forms answer through their own)."""
    question = form.questions[step]
    shown = asked(form, answers)
    position = next((i for i, q in enumerate(shown, 1) if q.id == question.id), step + 1)
    hint = t("forms.hint_optional" if not question.required else "forms.hint")
    choices = options(t, question)
    part = FormQuestion(
        text=question_text(t, question),
        action_id=action_id,
        ref=f"{session_id}:{step}",
        progress=f"{position}/{len(shown)}",
        options=choices,
        hint=hint,
        submit=t("forms.send_choice") if len(choices) > FEW_OPTIONS else "",
    )
    parts: list = [Text(text=line) for line in before]
    parts.append(part)
    if answers.get(question.id) is not None:
        parts.append(Context(text=t("forms.current", answer=show_answer(t, question, answers[question.id]))))
    return Reply(parts=tuple(parts), summary=part.text)


def summary(t: Messages, form: FormDefinition, answers: dict[str, Any]) -> list[str]:
    """Each asked question with its answer, one line each."""
    return [f"• {question_text(t, q)} → {show_answer(t, q, answers.get(q.id))}" for q in asked(form, answers)]
