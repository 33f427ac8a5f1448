"""Every form Rapport runs has what the one-form-at-a-time replies say of it, in both languages."""

from __future__ import annotations

from bot.features.forms import conversations
from bot.i18n import LOCALES, Catalogue

WORDS = ("forms.label", "forms.queue.then", "forms.resume")


def test_every_form_has_its_name_what_is_left_after_it_closes_and_how_to_carry_on():
    tables = Catalogue.load().tables
    runners = conversations().runners
    assert set(runners) == {
        "checkin",
        "self_review",
        "review_draft",
        "review_notes",
        "review_pulse",
        "feedback_request",
        "goal_checkin",  # issue 18
        "goal_new",
    }
    for locale in LOCALES:
        for prefix in WORDS:
            named = {key.removeprefix(f"{prefix}.") for key in tables[locale] if key.startswith(f"{prefix}.")}
            assert named == set(runners), (locale, prefix)


def test_each_form_is_run_by_a_runner_that_knows_it():
    for key, runner in conversations().runners.items():
        assert key in runner.builtins
