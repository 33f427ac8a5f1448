"""Interactive cards, with `DINGTALK_CARD_TEMPLATE_ID`: a message with buttons becomes a card whose
clicks come back over the stream (topic `/v1.0/card/instances/callback`) and update it in place.

The template (built in DingTalk's card builder; the README says how) has three variables: `title`
(text), `markdown` (Markdown) and `buttons` (a list of objects `{text, action_id, value}`), and shows
a button for each entry whose click sends back the parameters `action_id` and `value`. Its data goes
as strings (`cardParamMap`), the list as JSON.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from adapters.dingtalk.openapi import DingTalkApi
from adapters.dingtalk.render import RobotMessage
from bot.replies import plain


def card_params(message: RobotMessage) -> dict[str, str]:
    """The template's variables for one message."""
    buttons = [{"text": plain(label), "action_id": action, "value": value} for label, action, value in message.actions]
    return {"title": message.title, "markdown": message.text, "buttons": json.dumps(buttons, ensure_ascii=False)}


class Cards:
    """Sends and updates interactive cards of one template."""

    def __init__(self, *, api: DingTalkApi, template_id: str) -> None:
        self.api = api
        self.template_id = template_id

    async def deliver(self, message: RobotMessage, *, staff_id: str = "", conversation_id: str = "") -> str:
        """The card into a person's 1:1 chat with the robot (`staff_id`) or a group; its track id."""
        robot = self.api.settings.robot_code
        out_track_id = uuid.uuid4().hex
        body: dict[str, Any] = {
            "cardTemplateId": self.template_id,
            "outTrackId": out_track_id,
            "callbackType": "STREAM",
            "cardData": {"cardParamMap": card_params(message)},
        }
        if staff_id:
            body |= {
                "openSpaceId": f"dtv1.card//IM_ROBOT.{staff_id}",
                "imRobotOpenSpaceModel": {"supportForward": False},
                "imRobotOpenDeliverModel": {"spaceType": "IM_ROBOT", "robotCode": robot},
            }
        else:
            body |= {
                "openSpaceId": f"dtv1.card//IM_GROUP.{conversation_id}",
                "imGroupOpenSpaceModel": {"supportForward": False},
                "imGroupOpenDeliverModel": {"robotCode": robot},
            }
        await self.api.call("/v1.0/card/instances/createAndDeliver", body)
        return out_track_id

    async def update(self, out_track_id: str, message: RobotMessage) -> None:
        """Show `message` in the card clicked, in place."""
        body = {
            "outTrackId": out_track_id,
            "cardData": {"cardParamMap": card_params(message)},
            "cardUpdateOptions": {"updateCardDataByKey": True},
        }
        await self.api.call("/v1.0/card/instances", body, method="PUT")
