"""Forms Rapport ships with. Their words live in the message catalogue (`checkins.toml`)."""

from __future__ import annotations

from bot.forms.definition import Condition, FormDefinition, Question

# The weekly check-in, shaped after how good reviews are prepared: how it felt, what was achieved,
# what got in the way (and whether the manager must step in), what was learned, what is next, and
# what support is needed.
CHECKIN = FormDefinition(
    key="checkin",
    version=0,
    title_key="checkins.title",
    questions=(
        Question(id="mood", kind="scale", text_key="checkins.q.mood", labels_key="checkins.mood_labels"),
        Question(id="went_well", kind="text", text_key="checkins.q.went_well", max_length=1000),
        Question(id="hard", kind="text", text_key="checkins.q.hard", required=False, max_length=1000),
        Question(id="blocked", kind="yesno", text_key="checkins.q.blocked"),
        Question(
            id="blocker",
            kind="text",
            text_key="checkins.q.blocker",
            max_length=1000,
            when=Condition(question="blocked", equals="yes"),
        ),
        Question(id="learned", kind="text", text_key="checkins.q.learned", required=False, max_length=1000),
        Question(id="priorities", kind="text", text_key="checkins.q.priorities", max_length=1000),
        Question(
            id="for_manager", kind="text", text_key="checkins.q.for_manager", required=False, max_length=1000
        ),
    ),
)


def builtin_forms() -> dict[str, FormDefinition]:
    """The built-in forms by key (each is version 0 of its key)."""
    return {CHECKIN.key: CHECKIN}
