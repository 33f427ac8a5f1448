"""Teams as a sender for the shared delivery worker (`adapters/delivery.py`).

The worker claims, orders, retries and marks; this only sends one outbox message and says how a
failure should be treated: Teams' "try later" (429, 412, 5xx, and 401 while the operator mends the
credentials) becomes a retry, after Teams' Retry-After when it gave one; an unreachable person (403,
404, no Teams account) and any other refusal of the message (400, 413) fail at once.
"""

from __future__ import annotations

from adapters.app import App
from adapters.delivery import DeliveryWorker, SendError
from adapters.teams.connector import ConnectorError
from adapters.teams.sender import Retry, TeamsSender, Unreachable
from bot.replies import Reply
from store.outbox import Claimed


class TeamsOutbox:
    """Adapts `TeamsSender` to the worker's `Sender` protocol."""

    def __init__(self, sender: TeamsSender) -> None:
        self.sender = sender

    async def send(self, message: Claimed) -> None:
        try:
            await self.sender.send(
                org_id=message.org_id,
                kind=message.kind,
                recipient_id=message.recipient_id,
                channel_id=message.channel_id,
                reply=Reply.from_dict(message.payload),
                message=message,
            )
        except Unreachable as error:
            raise SendError(f"unreachable: {error.reason}", permanent=True) from error
        except Retry as error:
            raise SendError(str(error), retry_after=error.after_seconds) from error
        except ConnectorError as error:  # the message itself was refused: it would be again
            raise SendError(f"Teams refused the message ({error.status})", permanent=True) from error


def teams_worker(app: App, sender: TeamsSender, **options) -> DeliveryWorker:
    """The delivery worker for Teams."""
    return DeliveryWorker(
        db=app.db,
        clock=app.clock,
        platform=sender.platform,
        sender=TeamsOutbox(sender),
        observe=app.metrics.delivering(sender.platform),
        **options,
    )
