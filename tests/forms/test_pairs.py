"""Every pair of forms in one person's DM, arriving in both orders (issue 15 §2): only one question is
shown at a time, typed text goes to the form whose question was shown last and the reply names it,
`switch` goes to the other, and a button answers its own form whichever is open."""

from __future__ import annotations

from itertools import permutations

import pytest

from tests.forms.conftest import KINDS, Inbox

PAIRS = list(permutations(KINDS, 2))
WITH_BUTTONS = [(a, b, pressed) for a, b in PAIRS for pressed in (a, b) if KINDS[pressed].action]
THEN = {"checkin": ("shipped it", "went_well", "shipped it"), "review_pulse": ("no", "next_steps", "no")}


async def arrive_in_turn(inbox: Inbox, first: str, second: str):
    """`first` reaches Alice, then `second`; the form she answers now and the one that waits. A
    form she opens herself comes forward; one that comes due waits its turn."""
    a, b = KINDS[first], KINDS[second]
    assert a.first in await inbox.arrive(first)
    seen = await inbox.arrive(second)
    if b.asked:
        assert b.first in seen
        assert f"{a.label} is waiting for you: type `switch` to go back to it." in seen
        return b, a
    assert seen.startswith(f"{b.label} is waiting for you (open until ")
    assert "Finish the form you're answering first, or type `switch` to answer it now." in seen
    assert b.first not in seen and "\n" not in seen  # one line, no second question
    return a, b


@pytest.mark.parametrize(("first", "second"), PAIRS)
async def test_typed_text_goes_to_the_form_shown_last_and_switch_goes_to_the_other(inbox, first, second):
    shown, waiting = await arrive_in_turn(inbox, first, second)

    reply = await inbox.chat.send("alice", shown.answer)
    assert reply.startswith(f"{shown.label}:"), reply
    assert (await inbox.session(shown.key)).answers == {shown.question: shown.stored}
    untouched = await inbox.session(waiting.key)
    assert (untouched.status, untouched.answers) == ("waiting", {})

    reply = await inbox.chat.send("alice", "switch")
    assert f"Now: {waiting.label}." in reply and waiting.first in reply
    assert f"{shown.label} is waiting for you: type `switch` to go back to it." in reply
    reply = await inbox.chat.send("alice", waiting.answer)
    assert reply.startswith(f"{waiting.label}:"), reply
    assert (await inbox.session(waiting.key)).answers == {waiting.question: waiting.stored}
    assert (await inbox.session(shown.key)).answers == {shown.question: shown.stored}


@pytest.mark.parametrize(("first", "second", "pressed"), WITH_BUTTONS)
async def test_a_button_answers_its_own_form_while_another_is_open(inbox, first, second, pressed):
    shown, waiting = await arrive_in_turn(inbox, first, second)
    own = KINDS[pressed]
    other = waiting if own is shown else shown
    # Its question is shown (a waiting form's only when she switches to it), then the other's again.
    for _ in range(2 if own is waiting else 1):
        reply = await inbox.chat.send("alice", "switch")
    assert other.first in reply and (await inbox.session(own.key)).status == "waiting"

    reply = await inbox.press(own.key, own.option)
    assert reply.startswith(f"{own.label}:"), reply
    assert f"{other.label} is waiting for you: type `switch` to go back to it." in reply
    assert (await inbox.session(own.key)).answers == {own.question: own.option_stored}
    assert (await inbox.session(other.key)).answers == {}

    typed, question, stored = THEN[own.key]  # its next question was shown last: typed text goes there
    reply = await inbox.chat.send("alice", typed)
    assert reply.startswith(f"{own.label}:"), reply
    assert (await inbox.session(own.key)).answers[question] == stored
    assert (await inbox.session(other.key)).answers == {}
