"""`POST /api/messages`: Teams activities in, through botbuilder's CloudAdapter.

Statuses: 415 for a body that is not JSON, 400 for an activity without a type, 401 for a request
without a valid Bot Framework token (when an app id is configured), otherwise what the CloudAdapter
answers (201, or the invoke response). A request that fails authentication writes nothing: the
token is checked before the turn starts.

Wiring (done by `rapport serve`)::

    web_app.add_routes(teams_routes(app=app, settings=TeamsSettings.from_env()))
"""

from __future__ import annotations

import json
import logging

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.schema import Activity

from adapters.app import App
from adapters.teams.bot import TeamsBot
from adapters.teams.connector import TeamsConnection, build_adapter
from adapters.teams.settings import TeamsSettings

log = logging.getLogger(__name__)

PATH = "/api/messages"


class MessagesEndpoint:
    """The aiohttp handler for `/api/messages`."""

    def __init__(self, *, bot: TeamsBot, connection: TeamsConnection) -> None:
        self.bot = bot
        self.adapter = connection.adapter
        self.authentication = connection.authentication

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            body = json.loads(await request.read())
        except (UnicodeDecodeError, ValueError):
            return web.Response(status=415, text="The body must be a JSON activity.")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
            return web.Response(status=400, text="The activity has no type.")
        try:
            activity = Activity().deserialize(body)
        except Exception:  # msrest's DeserializationError (its class depends on what is installed)
            return web.Response(status=400, text="The activity is malformed.")
        try:
            auth = await self.authentication.authenticate_request(
                activity, request.headers.get("Authorization", "")
            )
        except Exception as error:  # PermissionError, and jwt's errors for a malformed token
            log.info("teams request refused: %s", error)
            return web.Response(status=401)

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
    endpoint = MessagesEndpoint(bot=bot, connection=connection)
    return [web.post(PATH, endpoint.handle)]
