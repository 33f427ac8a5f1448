"""The conformance kit's fixture: one started driver per platform, over the seeded Acme organisation."""

from __future__ import annotations

import pytest

from tests.conformance.drivers.console import ConsoleDriver
from tests.conformance.drivers.dingtalk import DingTalkDriver
from tests.conformance.drivers.feishu import FeishuDriver, FeishuLongConnectionDriver
from tests.conformance.drivers.pigeon import PigeonDriver
from tests.conformance.drivers.slack import SlackDriver
from tests.conformance.drivers.teams import TeamsDriver

DRIVERS = {
    "console": ConsoleDriver,
    "slack": SlackDriver,
    "teams": TeamsDriver,
    "pigeon": PigeonDriver,
    "feishu": FeishuDriver,
    "feishu-long-connection": FeishuLongConnectionDriver,
    "dingtalk": DingTalkDriver,
}


@pytest.fixture(params=list(DRIVERS))
async def platform(request, app, org):
    driver = DRIVERS[request.param](app, org)
    await driver.start()
    yield driver
    await driver.stop()
