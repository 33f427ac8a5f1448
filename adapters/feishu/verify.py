"""Opening a Feishu callback: check that Feishu sent it, decrypt it, parse it. Pure functions.

Feishu signs every event and card callback of an app with an encrypt key: `X-Lark-Signature` is
sha256(timestamp + nonce + encrypt_key + raw body), and the body is `{"encrypt": base64(iv +
AES-256-CBC(sha256(encrypt_key)))}`. Without an encrypt key the body is plain JSON and only its
verification token (`header.token` in schema 2.0, `token` otherwise) says who sent it. The
url_verification handshake carries the token but no signature.

lark-oapi's `EventDispatcherHandler` answers any of these failures with a 500 and its exception
text; Rapport answers 401 for a request it cannot authenticate and 400 for a malformed one, and
does nothing for either. The signature is checked before the body is parsed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from Crypto.Cipher import AES

URL_VERIFICATION = "url_verification"
TIMESTAMP = "X-Lark-Request-Timestamp"
NONCE = "X-Lark-Request-Nonce"
SIGNATURE = "X-Lark-Signature"
MAX_BODY = 1_000_000  # Feishu's events are a few KB; a megabyte is not one of them


class Refused(Exception):
    """A callback Rapport will not act on, with the HTTP status to answer (400 or 401)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signature(*, timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    """What Feishu puts in X-Lark-Signature for `body`."""
    return hashlib.sha256((timestamp + nonce + encrypt_key).encode() + body).hexdigest()


def encrypt(plaintext: str, *, encrypt_key: str, iv: bytes) -> str:
    """`plaintext` as Feishu encrypts a body (for the fake platform and tests)."""
    data = plaintext.encode()
    pad = AES.block_size - len(data) % AES.block_size
    cipher = AES.new(hashlib.sha256(encrypt_key.encode()).digest(), AES.MODE_CBC, iv)
    return base64.b64encode(iv + cipher.encrypt(data + bytes([pad]) * pad)).decode()


def decrypt(ciphertext: str, *, encrypt_key: str) -> str:
    """The plaintext of an `encrypt` field; Refused(401) when it is not one this key made."""
    try:
        raw = base64.b64decode(ciphertext, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(401, "the encrypted body is not base64") from None
    if len(raw) < 2 * AES.block_size or len(raw) % AES.block_size:
        raise Refused(401, "the encrypted body has the wrong length")
    cipher = AES.new(hashlib.sha256(encrypt_key.encode()).digest(), AES.MODE_CBC, raw[: AES.block_size])
    data = cipher.decrypt(raw[AES.block_size :])
    pad = data[-1]
    if not 1 <= pad <= AES.block_size or data[-pad:] != bytes([pad]) * pad:
        raise Refused(401, "the body was not encrypted with this app's encrypt key")
    try:
        return data[:-pad].decode()
    except UnicodeDecodeError:
        raise Refused(401, "the body was not encrypted with this app's encrypt key") from None


def _json_object(text: str | bytes) -> dict[str, Any]:
    try:
        payload = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "the body is not JSON") from None
    if not isinstance(payload, dict):
        raise Refused(400, "the body is not a JSON object")
    return payload


def token_of(payload: Mapping[str, Any]) -> Any:
    """The verification token a callback carries: `header.token` (schema 2.0) or `token`."""
    header = payload.get("header")
    if isinstance(header, Mapping) and "token" in header:
        return header.get("token")
    return payload.get("token")


def _signed(headers: Mapping[str, str], body: bytes, encrypt_key: str) -> bool:
    timestamp, nonce, given = headers.get(TIMESTAMP), headers.get(NONCE), headers.get(SIGNATURE)
    if not (timestamp and nonce and given):
        return False
    expected = signature(timestamp=timestamp, nonce=nonce, encrypt_key=encrypt_key, body=body)
    return hmac.compare_digest(expected.encode(), given.encode())


def open_callback(
    body: bytes, headers: Mapping[str, str], *, verification_token: str, encrypt_key: str = ""
) -> dict[str, Any]:
    """The callback's JSON, once it is known to come from Feishu; else Refused.

    With an encrypt key, a request without a valid signature is refused unless it is the
    url_verification handshake with the right token; every request must carry the right token.
    """
    if len(body) > MAX_BODY:
        raise Refused(400, "the body is too large")
    signed = bool(encrypt_key) and _signed(headers, body, encrypt_key)
    if encrypt_key and headers.get(SIGNATURE) and not signed:
        raise Refused(401, "bad signature")
    payload = _json_object(body)
    if "encrypt" in payload:
        if not encrypt_key:
            raise Refused(401, "an encrypted body, and no FEISHU_ENCRYPT_KEY to read it")
        if not isinstance(payload["encrypt"], str):
            raise Refused(400, "encrypt is not a string")
        payload = _json_object(decrypt(payload["encrypt"], encrypt_key=encrypt_key))
    token = token_of(payload)
    if not isinstance(token, str) or not hmac.compare_digest(token.encode(), verification_token.encode()):
        raise Refused(401, "bad verification token")
    if encrypt_key and not signed and payload.get("type") != URL_VERIFICATION:
        raise Refused(401, "missing signature")
    return payload
