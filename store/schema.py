"""Every model module, imported so that `Base.metadata` holds every table (for Alembic and tests)."""

from store import (
    action_models,
    checkin_models,
    dashboard_models,
    feedback_models,
    feedback_request_models,
    goal_models,
    models,
    privacy_models,
    review_models,
    review_record_models,
    slack_models,
    teams_models,
)
from store.models import Base

__all__ = [
    "Base",
    "action_models",
    "checkin_models",
    "dashboard_models",
    "feedback_models",
    "feedback_request_models",
    "goal_models",
    "models",
    "privacy_models",
    "review_models",
    "review_record_models",
    "slack_models",
    "teams_models",
]
