"""`POST /api/messages`: Teams activities in, through botbuilder's CloudAdapter.

Statuses: with an app id configured, 401 for a request without a Bearer token, before its body is
read. For a body that does not parse (bad UTF-8 or JSON, or nested too deeply), 400 when it says it
is JSON and 415 when it does not; 400 for an activity without a type; 401 for a token that is not
valid for the activity; 400 for an activity that names no sender, conversation or service URL to
answer; otherwise what the CloudAdapter answers (201, or the invoke response). A request that fails
authentication writes nothing: the token is checked before the turn starts.

Mounted by the Teams platform (`adapters.teams.platform.Teams.mount`) when `rapport serve` runs Teams.
"""

from __future__ import annotations

import json
import logging
import re

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.schema import Activity

from adapters.app import App
from adapters.teams.bot import TeamsBot
from adapters.teams.connector import TeamsConnection, build_adapter
from adapters.teams.settings import TeamsSettings
from adapters.teams.translate import problem

log = logging.getLogger(__name__)

PATH = "/api/messages"
_BEARER = re.compile(r"Bearer [A-Za-z0-9_.~+/=-]+")  # RFC 6750's b64token


class MessagesEndpoint:
    """The aiohttp handler for `/api/messages`."""

    def __init__(self, *, bot: TeamsBot, connection: TeamsConnection, local: bool) -> None:
        self.bot = bot
        self.adapter = connection.adapter
        self.authentication = connection.authentication
        self.local = local

    async def handle(self, request: web.Request) -> web.StreamResponse:
        authorization = request.headers.get("Authorization", "")
        if not self.local and not _BEARER.fullmatch(authorization):
            return web.Response(status=401)  # unsigned: refused before its body is read
        read = await _read_activity(request)
        if isinstance(read, web.Response):
            return read
        body, activity = read
        try:
            auth = await self.authentication.authenticate_request(activity, authorization)
        except Exception as error:  # PermissionError, and jwt's errors for a malformed token
            log.info("teams request refused: %s", error)
            return web.Response(status=401)
        if reason := problem(body):
            return web.Response(status=400, text=f"The activity is malformed: {reason}.")
        return await self._turn(auth, activity, body)

    async def _turn(self, auth, activity: Activity, body: dict) -> web.StreamResponse:
        async def turn(context) -> None:
            await self.bot.on_turn(context, body)

        try:
            invoke_response = await self.adapter.process_activity(auth, activity, turn)
        except Exception:
            log.exception("teams turn failed for activity %s", body.get("id"))
            return web.Response(status=502, text="Rapport could not answer through the Bot Framework.")
        if invoke_response:
            data = invoke_response.body
            if data is not None and not isinstance(data, (dict, list)):
                data = serializer_helper(data)
            return web.json_response(data=data, status=int(invoke_response.status))
        return web.Response(status=201)


async def _read_activity(request: web.Request) -> tuple[dict, Activity] | web.Response:
    """The body as JSON and as botbuilder's Activity, or the response refusing it."""
    try:
        body = json.loads(await request.read())
    except (ValueError, RecursionError):  # bad UTF-8 or JSON; nested past the parser's limit
        if request.content_type != "application/json":
            return web.Response(status=415, text="The body must be a JSON activity.")
        return web.Response(status=400, text="The body is not a JSON activity.")
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return web.Response(status=400, text="The activity has no type.")
    try:
        return body, Activity().deserialize(body)
    except Exception:  # msrest's DeserializationError (its class depends on what is installed)
        return web.Response(status=400, text="The activity is malformed.")


def teams_routes(
    *, app: App, settings: TeamsSettings, adapter: TeamsConnection | None = None
) -> list[web.RouteDef]:
    """The Teams routes, to add to the one aiohttp application.

    Args:
        app: the composition root's App.
        settings: the Teams settings (app id, password, type, tenant).
        adapter: the CloudAdapter, its authentication and the connector, to share them with the
            `TeamsSender`; built from `settings` when omitted.
    """
    connection = adapter or build_adapter(settings, clock=app.clock)
    bot = TeamsBot(app=app, settings=settings, connector=connection.connector, recent=connection.recent)
    endpoint = MessagesEndpoint(bot=bot, connection=connection, local=settings.local)
    return [web.post(PATH, endpoint.handle)]
