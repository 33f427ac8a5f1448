"""Every model module of the store, imported so that `Base.metadata` holds every table the core has.
A platform's own tables join it when the platform table (`adapters.platforms`) is imported."""

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
]
