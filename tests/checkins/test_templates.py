"""Check-in templates from YAML: checked with clear errors, versioned, and sessions keep theirs."""

from __future__ import annotations

import argparse

import pytest

from adapters.cli.checkin import import_holidays, import_template
from bot.forms.template import TemplateError, load

TEAM_TEMPLATE = """
title: {en: Team check-in, zh-Hans: 团队签到}
questions:
  - id: mood
    type: scale
    text: {en: "Energy level?", zh-Hans: "精力如何？"}
  - id: focus
    type: choice
    text: What took most of your time?
    labels: {en: [Features, Bugs, Meetings]}
  - id: blocked
    type: yesno
    text: Blocked?
  - id: blocker
    type: text
    text: On what?
    max_length: 20
    when: {blocked: yes}
"""


def test_a_template_with_mistakes_names_every_one():
    bad = """
questions:
  - id: Mood
    type: stars
    text: ""
  - id: focus
    type: choice
    text: Focus?
    labels: {en: [Only one]}
  - id: why
    type: text
    text: Why?
    when: {later: "yes"}
    required: maybe
  - id: later
    type: yesno
    text: Later?
    max_length: 0
"""
    with pytest.raises(TemplateError) as error:
        load(bad, key="checkin")
    assert error.value.problems == [
        "questions[0] (Mood): id must be lower-case letters, digits and _ (like went_well)",
        "questions[0] (Mood): type must be one of text, scale, yesno, choice, not 'stars'",
        "questions[0] (Mood).text: give the text, or a text per language like {en: ..., zh-Hans: ...}",
        "questions[1] (focus).labels.en: a list of 2 to 10 options",
        "questions[2] (why).required: true or false",
        "questions[2] (why).when: later is not a question asked before this one",
        "questions[3] (later).max_length: a whole number from 1 to 4000",
    ]


def test_not_yaml_or_no_questions_is_said_plainly():
    with pytest.raises(TemplateError, match="not valid YAML"):
        load("questions: [", key="checkin")
    with pytest.raises(TemplateError, match="questions: give a list of at least one question"):
        load("title: x", key="checkin")


async def test_an_imported_template_is_used_by_new_check_ins_and_a_running_one_keeps_its_version(
    chat, app, tmp_path, capsys
):
    await chat.send("bob", "/checkin")  # Bob starts on the built-in version
    await chat.send("bob", "3")
    path = tmp_path / "team.yaml"
    path.write_text(TEAM_TEMPLATE, encoding="utf-8")
    assert await import_template(app, argparse.Namespace(file=str(path), org="acme")) == 0
    assert "version 1 (4 questions)" in capsys.readouterr().out
    await chat.send("bob", "the demo")
    chat.expect_reply("(3/7) What was hard this week?")
    await chat.send("alice", "/checkin")
    chat.expect_reply("(1/3) Energy level?")
    await chat.send("alice", "5")
    chat.expect_reply("(2/3) What took most of your time?", "[1] Features", "[3] Meetings")
    await chat.send("alice", "meetings")
    await chat.send("alice", "yes")
    await chat.send("alice", "a very long reason for this")
    chat.expect_reply("27 characters long; the limit here is 20")
    await chat.send("alice", "CI is down")
    chat.expect_reply("saved", "What took most of your time? → Meetings", "I've let Carol Jones know")
    await chat.send("wei", "/checkin")
    chat.expect_reply("(1/3) 精力如何？")


async def test_an_invalid_file_imports_nothing(app, org, tmp_path, capsys, chat):
    path = tmp_path / "bad.yaml"
    path.write_text("questions:\n  - id: x\n    type: nope\n    text: X\n", encoding="utf-8")
    assert await import_template(app, argparse.Namespace(file=str(path), org="acme")) == 1
    assert "type must be one of text, scale, yesno, choice" in capsys.readouterr().err
    await chat.send("alice", "/checkin")
    chat.expect_reply("(1/7) How was your week")


async def test_holidays_import_reads_dates_and_refuses_nonsense(app, org, tmp_path, capsys):
    good = tmp_path / "holidays.yaml"
    good.write_text("2026-12-25: Christmas Day\n2026-12-26: Boxing Day\n", encoding="utf-8")
    assert await import_holidays(app, argparse.Namespace(file=str(good), org="acme")) == 0
    assert "now has 2 days" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {date: someday, name: X}\n", encoding="utf-8")
    assert await import_holidays(app, argparse.Namespace(file=str(bad), org="acme")) == 1
    assert "'someday' is not a date" in capsys.readouterr().err


async def test_holiday_files_of_other_shapes_get_a_clear_answer(app, org, tmp_path, capsys):
    path = tmp_path / "h.yml"
    for text, said in (
        ("2027-13-01: Bad\n", "line 1: '2027-13-01' is not a date like 2027-02-12"),
        ("2027-01-01: New Year\n2027-02-30: Bad\n", "line 2: '2027-02-30' is not a date"),
        ("Spring Festival\n", "the file must list dates with their names, like '2027-02-12: Spring Festival'"),
        ("2027-02-12:\n  - a list\n", "each holiday is one date and its name on one line"),
    ):
        path.write_text(text, encoding="utf-8")
        assert await import_holidays(app, argparse.Namespace(file=str(path), org="acme")) == 1
        err = capsys.readouterr().err
        assert said in err and "object has no attribute" not in err and "must be in" not in err
    path.write_text("- 2027-02-12\n- {date: 2027-02-15, name: Spring Festival}\n", encoding="utf-8")
    assert await import_holidays(app, argparse.Namespace(file=str(path), org="acme")) == 0
    assert "now has 2 days" in capsys.readouterr().out
