"""The tour the payload checks run on covers every message kind Rapport has: every command and
sub-command, every button, every scheduled job that sends something, each way a message goes out,
and every part of the reply vocabulary. A feature added without a step in the tour fails here."""

from __future__ import annotations

import pytest

from bot.features import actions, build_router, build_scheduler, feedback, goals, presence, reviews
from bot.i18n import LOCALES, Catalogue
from bot.replies import _PART_TYPES

SILENT_JOBS = {"privacy.retention"}  # removes old check-in answers; says nothing to anyone
SUBCOMMANDS = {
    "action": actions.SUBCOMMANDS,
    "goal": goals.SUBCOMMANDS,
    "feedback": feedback.SUBCOMMANDS,
    "review": reviews.SUBCOMMANDS,
    "rapport": presence.SUBCOMMANDS,
    "checkin": {"schedule": "schedule", "help": "help", "": "now"},
}


@pytest.fixture(params=LOCALES)
def corpus(corpora, request):
    return corpora[request.param]


def test_every_command_and_sub_command_is_in_the_tour(corpus):
    router = build_router()
    named = {name for name, _ in corpus.commands}
    primary = {name for name in router.commands if name.isascii()}  # the others are Chinese aliases
    assert primary - named == set()
    for command, table in SUBCOMMANDS.items():
        used = {word for name, word in corpus.commands if name == command}
        handlers = {id(handler) for word, handler in table.items() if word in used}
        untried = sorted(
            {word for word, handler in table.items() if id(handler) not in handlers and word.isascii()}
        )
        assert untried == [], f"/{command} {untried} are not in the tour"


def test_every_button_and_every_job_is_in_the_tour(corpus):
    router = build_router()
    assert set(router._actions) - corpus.pressed == set()  # the registry of action ids
    jobs = set(build_scheduler(db=None, catalogue=Catalogue.load()).jobs)
    assert jobs - SILENT_JOBS - corpus.jobs == set()


def test_every_kind_of_message_and_every_part_is_in_the_tour(corpus):
    assert {said.kind for said in corpus.said} == {"reply", "dm", "channel", "home"}
    parts = {type(part) for said in corpus.said for part in said.reply.parts}
    assert parts == set(_PART_TYPES.values())
