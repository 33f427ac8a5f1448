"""Peer-feedback requests and their asks. Every query names the organisation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.checkin_models import FormSession
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.models import Organisation


async def create(
    session: AsyncSession,
    *,
    org_id: int,
    requester_id: int,
    topic: str | None,
    anonymous: bool,
    threshold: int,
    closes_at: datetime,
    respondent_ids: Sequence[int],
    now: datetime,
) -> tuple[FeedbackRequest, list[FeedbackAsk]]:
    """A request and one ask per respondent, in the order given."""
    request = FeedbackRequest(
        org_id=org_id,
        requester_id=requester_id,
        topic=topic,
        anonymous=anonymous,
        threshold=threshold,
        status="open",
        closes_at=closes_at,
        batches=0,
        created_at=now,
    )
    session.add(request)
    await session.flush()
    asks = [
        FeedbackAsk(org_id=org_id, request_id=request.id, respondent_id=person_id, status="asked")
        for person_id in respondent_ids
    ]
    session.add_all(asks)
    await session.flush()
    return request, asks


async def by_id(session: AsyncSession, *, org_id: int, request_id: int) -> FeedbackRequest | None:
    return await session.scalar(
        select(FeedbackRequest).where(FeedbackRequest.org_id == org_id, FeedbackRequest.id == request_id)
    )


async def asks_of(session: AsyncSession, *, org_id: int, request_id: int) -> list[FeedbackAsk]:
    """A request's asks in the order the requester named the people."""
    return list(
        await session.scalars(
            select(FeedbackAsk)
            .where(FeedbackAsk.org_id == org_id, FeedbackAsk.request_id == request_id)
            .order_by(FeedbackAsk.id)
        )
    )


async def ask_by_id(session: AsyncSession, *, org_id: int, ask_id: int) -> FeedbackAsk | None:
    return await session.scalar(
        select(FeedbackAsk).where(FeedbackAsk.org_id == org_id, FeedbackAsk.id == ask_id)
    )


async def ask_of(
    session: AsyncSession, *, org_id: int, request_id: int, person_id: int
) -> FeedbackAsk | None:
    return await session.scalar(
        select(FeedbackAsk).where(
            FeedbackAsk.org_id == org_id,
            FeedbackAsk.request_id == request_id,
            FeedbackAsk.respondent_id == person_id,
        )
    )


async def ask_for_session(session: AsyncSession, *, org_id: int, session_id: int) -> FeedbackAsk | None:
    return await session.scalar(
        select(FeedbackAsk).where(FeedbackAsk.org_id == org_id, FeedbackAsk.session_id == session_id)
    )


async def made_by(
    session: AsyncSession, *, org_id: int, person_id: int, limit: int = 10
) -> list[FeedbackRequest]:
    """The person's own requests, newest first."""
    return list(
        await session.scalars(
            select(FeedbackRequest)
            .where(FeedbackRequest.org_id == org_id, FeedbackRequest.requester_id == person_id)
            .order_by(FeedbackRequest.created_at.desc(), FeedbackRequest.id.desc())
            .limit(limit)
        )
    )


async def asked_of(
    session: AsyncSession, *, org_id: int, person_id: int, limit: int = 10
) -> list[tuple[FeedbackAsk, FeedbackRequest]]:
    """What the person was asked, newest first, with each request."""
    rows = await session.execute(
        select(FeedbackAsk, FeedbackRequest)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackAsk.request_id)
        .where(FeedbackAsk.org_id == org_id, FeedbackAsk.respondent_id == person_id)
        .order_by(FeedbackRequest.created_at.desc(), FeedbackRequest.id.desc())
        .limit(limit)
    )
    return [(ask, request) for ask, request in rows]


async def answers(session: AsyncSession, *, org_id: int, asks: Sequence[FeedbackAsk]) -> dict[int, dict]:
    """The answers given in these asks' form sessions, by ask id (answered asks only)."""
    ids = {ask.session_id: ask.id for ask in asks if ask.status == "answered" and ask.session_id}
    if not ids:
        return {}
    rows = await session.scalars(
        select(FormSession).where(FormSession.org_id == org_id, FormSession.id.in_(list(ids)))
    )
    return {ids[row.id]: dict(row.answers) for row in rows}


async def set_anonymity_threshold(session: AsyncSession, *, org_id: int, threshold: int) -> None:
    """Store the organisation's anonymity threshold (`bot.anonymity.set_threshold` checks it first)."""
    org = await session.get(Organisation, org_id)
    org.feedback_anonymity_threshold = threshold
    await session.flush()
