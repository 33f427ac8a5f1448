"""`POST /feishu/events`: Feishu's request URL for events and card callbacks.

The request is verified before it is acted on (`adapters.feishu.verify`): 401 for one Rapport cannot
authenticate, 400 for one it cannot read, never lark-oapi's 500. The url_verification handshake is
answered with its challenge.
"""

from __future__ import annotations

from aiohttp import web

from adapters.feishu.events import FeishuEvents
from adapters.feishu.settings import FeishuSettings
from adapters.feishu.verify import URL_VERIFICATION, Refused, open_callback


class FeishuEndpoint:
    def __init__(self, *, events: FeishuEvents, settings: FeishuSettings) -> None:
        self.events = events
        self.settings = settings

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            payload = open_callback(
                body,
                request.headers,
                verification_token=self.settings.verification_token,
                encrypt_key=self.settings.encrypt_key,
            )
        except Refused as refused:
            return web.json_response({"msg": refused.reason}, status=refused.status)
        if payload.get("type") == URL_VERIFICATION:
            return web.json_response({"challenge": payload.get("challenge", "")})
        if not isinstance(payload.get("header"), dict) or not isinstance(payload.get("event"), dict):
            return web.json_response({"msg": "not a schema 2.0 event"}, status=400)
        return web.json_response(await self.events.handle(payload))
