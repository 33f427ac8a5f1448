"""The dingtalk-stream SDK, imported once its endpoint is set.

dingtalk-stream reads `DINGTALK_OPENAPI_ENDPOINT` when it is imported (its gateway URL is a class
attribute built then), so `DINGTALK_API_URL` is put there before the first import. Rapport's own
client (`adapters.dingtalk.stream`) opens the connection at the configured base whatever the SDK read,
so that one process can also talk to several fakes in tests.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

from adapters.dingtalk.settings import DingTalkSettings

ENDPOINT_VARIABLE = "DINGTALK_OPENAPI_ENDPOINT"


def load(settings: DingTalkSettings) -> ModuleType:
    """The `dingtalk_stream` module, imported with its endpoint at `settings.openapi` the first time."""
    if "dingtalk_stream" not in sys.modules and settings.api_url:
        os.environ[ENDPOINT_VARIABLE] = settings.openapi
    return importlib.import_module("dingtalk_stream")
