"""Forms an organisation writes itself, in YAML: read, checked with errors that say where and what.

key: checkin
title: {en: Team check-in, zh-Hans: 团队签到}
questions:
  - id: mood
    type: scale                      # text | scale | yesno | choice
    text: {en: How was your week?, zh-Hans: 这周怎么样？}
    labels: {en: [awful, hard, okay, good, great]}
  - id: blocked
    type: yesno
    text: Are you blocked?           # one text for every language
  - id: blocker
    type: text
    text: What is blocking you?
    max_length: 500
    required: false
    when: {blocked: "yes"}           # asked only after that answer
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from bot.forms.definition import KINDS, SCALE, from_dict, to_dict
from bot.i18n import LOCALES

_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_QUESTIONS = 30
MAX_LENGTH_LIMIT = 4000


class TemplateError(Exception):
    """Everything wrong with a template, one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load(text: str, *, key: str) -> dict[str, Any]:
    """Parse and check a YAML template; its definition as stored (see `definition.to_dict`)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise TemplateError([f"not valid YAML: {error}"]) from error
    if not isinstance(data, dict):
        raise TemplateError(["the file must be a mapping with `questions:` (see the example in the docs)"])
    problems: list[str] = []
    if data.get("key", key) != key:
        problems.append(f"key: this command imports `{key}` templates, not `{data['key']}`")
    title = _words(data.get("title", {"en": key}), "title", problems)
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append("questions: give a list of at least one question")
        questions = []
    if len(questions) > MAX_QUESTIONS:
        problems.append(f"questions: at most {MAX_QUESTIONS}, not {len(questions)}")
    checked = [_question(q, i, questions[:i], problems) for i, q in enumerate(questions)]
    if problems:
        raise TemplateError(problems)
    definition = {"key": key, "title": title, "questions": checked}
    return to_dict(from_dict(definition, version=0))


def _words(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {"en": value.strip()}
    if isinstance(value, dict) and value and all(isinstance(v, str) and v.strip() for v in value.values()):
        unknown = [k for k in value if k not in LOCALES]
        if unknown:
            problems.append(
                f"{where}: unknown language {', '.join(map(str, unknown))} (use {', '.join(LOCALES)})"
            )
        return {k: v.strip() for k, v in value.items()}
    problems.append(f"{where}: give the text, or a text per language like {{en: ..., zh-Hans: ...}}")
    return {}


def _question(q: Any, index: int, earlier: list, problems: list[str]) -> dict[str, Any]:
    if not isinstance(q, dict):
        problems.append(f"questions[{index}]: each question is a mapping with id, type and text")
        return {}
    qid = q.get("id")
    where = f"questions[{index}] ({qid})" if qid else f"questions[{index}]"
    earlier_ids = [e.get("id") for e in earlier if isinstance(e, dict)]
    if not isinstance(qid, str) or not _ID.match(qid):
        problems.append(f"{where}: id must be lower-case letters, digits and _ (like went_well)")
    elif qid in earlier_ids:
        problems.append(f"{where}: id {qid} is used twice")
    kind = q.get("type")
    if kind not in KINDS:
        problems.append(f"{where}: type must be one of {', '.join(KINDS)}, not {kind!r}")
    checked = {"id": qid, "type": kind, "text": _words(q.get("text"), f"{where}.text", problems)}
    checked["labels"] = _labels(q, kind, where, problems)
    checked["required"] = _flag(q.get("required", True), f"{where}.required", problems)
    max_length = q.get("max_length", 2000)
    if not isinstance(max_length, int) or not 1 <= max_length <= MAX_LENGTH_LIMIT:
        problems.append(f"{where}.max_length: a whole number from 1 to {MAX_LENGTH_LIMIT}")
    checked["max_length"] = max_length
    if "when" in q:
        checked["when"] = _when(q["when"], where, earlier, problems)
    return checked


def _labels(q: dict, kind: Any, where: str, problems: list[str]) -> dict[str, list[str]]:
    labels = q.get("labels")
    if kind not in ("scale", "choice"):
        if labels is not None:
            problems.append(f"{where}.labels: only scale and choice questions have labels")
        return {}
    if labels is None and kind == "scale":
        return {"en": list(SCALE)}
    if not isinstance(labels, dict) or not labels:
        problems.append(f"{where}.labels: give the labels per language, like {{en: [a, b, c]}}")
        return {}
    out: dict[str, list[str]] = {}
    for locale, values in labels.items():
        ok = isinstance(values, list) and all(isinstance(v, str | int) for v in values)
        count_ok = ok and (len(values) == len(SCALE) if kind == "scale" else 2 <= len(values) <= 10)
        if not count_ok:
            need = "exactly 5 labels" if kind == "scale" else "2 to 10 options"
            problems.append(f"{where}.labels.{locale}: a list of {need}")
        out[str(locale)] = [str(v) for v in values] if ok else []
    return out


def _flag(value: Any, where: str, problems: list[str]) -> bool:
    if not isinstance(value, bool):
        problems.append(f"{where}: true or false")
        return True
    return value


def _when(value: Any, where: str, earlier: list, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or len(value) != 1:
        problems.append(f'{where}.when: one earlier question and its answer, like {{blocked: "yes"}}')
        return {}
    ((qid, answer),) = value.items()
    answer = {True: "yes", False: "no"}.get(answer, answer)  # YAML reads a bare yes as true
    target = next((e for e in earlier if isinstance(e, dict) and e.get("id") == qid), None)
    if target is None:
        problems.append(f"{where}.when: {qid} is not a question asked before this one")
    return {str(qid): str(answer)}
