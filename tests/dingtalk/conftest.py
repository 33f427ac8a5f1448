"""A fake DingTalk for each test, and the settings that point Rapport at it."""

from __future__ import annotations

import pytest

from adapters.dingtalk import sdk
from adapters.dingtalk.settings import DingTalkSettings
from tests.dingtalk.fake import CLIENT_ID, CLIENT_SECRET, FakeDingTalk

DIRECTORY = {
    "zhangwei": {"name": "张伟", "email": "zhang.wei@example.com"},
    "lina": {"name": "李娜", "email": "li.na@example.com"},
    "bob": {"name": "Bob", "email": "bob@example.com"},
}


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
