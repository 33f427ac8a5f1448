"""The shape every verified Slack request must have before Rapport reads it: a pure check.

Slack always sends these fields; a signed body without them is a broken client or a test, and gets
400 (`SlackEndpoint`) instead of a crash half-way through a turn. What lies inside an event or an
action (its text, its values) is read leniently by `adapters.slack.inbound`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Interactivity payloads that name who acted in `user` (bolt routes them to action or view listeners).
_INTERACTIVE = frozenset(
    {"block_actions", "block_suggestion", "view_submission", "view_closed", "shortcut", "message_action"}
)


def problem(body: Any) -> str | None:
    """What is missing from a request body for Rapport to read it, or None when nothing is."""
    if not isinstance(body, Mapping):
        return "the body is not an object"
    if "command" in body:
        return _missing(body, "team_id", "user_id", "command")
    kind = body.get("type")
    if kind is None:
        return None  # `ssl_check=1` and the like: bolt answers them
    if not isinstance(kind, str):
        return "type is not a string"
    if kind == "event_callback":
        return _event_problem(body)
    if kind in _INTERACTIVE:
        return _interaction_problem(body, kind)
    if kind == "url_verification":
        return _missing(body, "challenge")
    return None


def _missing(body: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        if not isinstance(body.get(name), str) or not body[name]:
            return f"{name} is missing"
    return None


def _event_problem(body: Mapping[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, Mapping):
        return "event is missing"
    if not isinstance(event.get("type"), str):
        return "event.type is missing"
    if _missing(body, "team_id") and _missing(event, "team"):
        return "team_id is missing"
    return None


def _interaction_problem(body: Mapping[str, Any], kind: str) -> str | None:
    user = body.get("user")
    if not isinstance(user, Mapping) or _missing(user, "id"):
        return "user.id is missing"
    team = body.get("team")
    if not (isinstance(team, Mapping) and not _missing(team, "id")) and _missing(user, "team_id"):
        return "team.id is missing"
    if kind.startswith("view_"):
        view = body.get("view")
        if not isinstance(view, Mapping) or _missing(view, "id"):
            return "view.id is missing"
    return None
