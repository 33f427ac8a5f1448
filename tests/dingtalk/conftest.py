"""A fake DingTalk for each test, and the settings that point Rapport at it."""

from __future__ import annotations

import pytest

from adapters.dingtalk import sdk
from adapters.dingtalk.settings import DingTalkSettings
from tests.dingtalk.fake import CLIENT_ID, CLIENT_SECRET, FakeDingTalk

DIRECTORY = {  # the seeded people, each with their handle as staff id
    handle: {"name": name, "email": f"{handle}@example.com"}
    for handle, name in [
        ("carol", "Carol Jones"), ("alice", "Alice Smith"), ("bob", "Bob Brown"),
        ("wei", "张伟"), ("dan", "Dan Lee"), ("erin", "Erin Park"),
    ]
}  # fmt: skip


@pytest.fixture
async def dingtalk():
    fake = FakeDingTalk(users={k: dict(v) for k, v in DIRECTORY.items()})
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def dingtalk_settings(dingtalk) -> DingTalkSettings:
    settings = DingTalkSettings(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, robot_code=CLIENT_ID, api_url=dingtalk.url, org="acme"
    )
    sdk.load(settings)
    return settings


@pytest.fixture
async def ding(app, org, dingtalk, dingtalk_settings):
    """DingTalk on the seeded Acme organisation, its stream connected to the fake."""
    from adapters.dingtalk.platform import DingTalkPlatform
    from tests.dingtalk.harness import DingTalkChat

    platform = DingTalkPlatform(runtime=app, settings=dingtalk_settings, backoff=0.05)
    chat = DingTalkChat(app=app, fake=dingtalk, platform=platform)
    await chat.start()
    yield chat
    await chat.close()
