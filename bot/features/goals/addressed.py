"""Who a goal command is for and what it says: `/goal next @alice Pair with @bob on billing` is for
Alice, and says "Pair with @Bob Brown on billing". Every mention is resolved (an unknown one is asked
back, as everywhere); those after the first are written as the person's name."""

from __future__ import annotations

from bot.events import Command
from bot.parse import PersonRef, as_text, person_refs, tokenize
from bot.people import resolve_refs
from bot.turn import Turn
from store.models import Person


async def addressed(turn: Turn, text: str) -> tuple[Person, str]:
    """The person named first (else the one acting) and the rest of `text`, mentions as names."""
    event = turn.event
    assert isinstance(event, Command)
    segments = [
        s for s in tokenize(text, mentions=event.mentions) if not (isinstance(s, str) and not s.strip())
    ]
    found = await resolve_refs(turn, person_refs(segments))
    lead = segments[0] if segments and isinstance(segments[0], PersonRef) else None
    rest = segments[1:] if lead else segments
    return (found[lead] if lead else turn.person), as_text(
        rest, names={ref: person.display_name for ref, person in found.items()}
    )
