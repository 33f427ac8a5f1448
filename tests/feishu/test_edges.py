"""Requests that are not what Feishu sends: refused with 401 or 400 (never lark-oapi's 500), and
nothing done for them."""

from __future__ import annotations

import json

import pytest

from tests.feishu.conftest import ENCRYPT_KEY, TOKEN, message_event


async def test_the_url_verification_handshake_is_answered(feishu):
    payload = {"challenge": "ajls384kdjx98XX", "token": TOKEN, "type": "url_verification"}
    status, body = await feishu.post(feishu.seal(payload), headers={"X-Lark-Signature": ""})
    assert (status, body) == (200, {"challenge": "ajls384kdjx98XX"})


async def test_a_wrong_verification_token_is_refused_and_ignored(feishu):
    event = message_event("alice", "/kudos @bob thanks")
    event["header"]["token"] = "not-the-token"
    status, _ = await feishu.post(feishu.seal(event))
    await feishu.deliver()
    assert status == 401
    assert feishu.fake.sent == []


async def test_a_forged_handshake_is_refused(feishu):
    payload = {"challenge": "x", "token": "guess", "type": "url_verification"}
    status, _ = await feishu.post(feishu.seal(payload))
    assert status == 401


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"\xff\xfe", b'{"encrypt": 5}'])
async def test_a_malformed_body_is_a_400(feishu, body):
    status, _ = await feishu.post(body)  # signed when the app has an encrypt key
    assert status == 400 or (body.startswith(b'{"encrypt"') and not feishu.settings.encrypt_key)


async def test_a_body_without_a_token_is_a_401(feishu):
    status, _ = await feishu.post(b'{"schema": "2.0"}')
    assert status == 401


async def test_an_event_without_its_parts_is_a_400(feishu):
    status, _ = await feishu.post(feishu.seal({"schema": "2.0", "header": {"token": TOKEN}}))
    assert status == 400


async def test_with_an_encrypt_key_an_unsigned_or_badly_signed_event_is_refused(fake, app, org):
    from tests.feishu.conftest import _harness

    harness, runner = await _harness(app, fake, encrypt_key=ENCRYPT_KEY)
    import aiohttp

    async with aiohttp.ClientSession() as http:
        harness.http = http
        body = harness.seal(message_event("alice", "/kudos @bob thanks"))
        async with http.post(harness.url, data=body) as response:  # no signature headers
            assert response.status == 401
        headers = harness.sign(body) | {"X-Lark-Signature": "0" * 64}
        async with http.post(harness.url, data=body, headers=headers) as response:
            assert response.status == 401
        tampered = body.replace(b'"encrypt": "', b'"encrypt": "A')
        async with http.post(harness.url, data=tampered, headers=harness.sign(body)) as response:
            assert response.status == 401
        plain = json.dumps(message_event("alice", "/kudos @bob thanks")).encode()
        async with http.post(harness.url, data=plain, headers=harness.sign(plain)) as response:
            assert response.status == 200, "a signed plain body is Feishu's when the key is set"
    await runner.cleanup()
    await harness.deliver()
    assert [s.receive_id for s in fake.sent].count("ou_bob") == 1


async def test_messages_from_bots_and_other_kinds_are_ignored(feishu):
    event = message_event("alice", "/kudos @bob thanks")
    event["event"]["sender"]["sender_type"] = "app"
    await feishu.send(event)
    image = message_event("alice", "x")
    image["event"]["message"].update(message_type="image", content=json.dumps({"image_key": "img_1"}))
    await feishu.send(image)
    await feishu.deliver()
    assert feishu.fake.sent == []
