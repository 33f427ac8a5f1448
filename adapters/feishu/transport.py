"""lark-oapi's requests over one HTTP client that lives as long as the server.

lark-oapi's async calls (`client.im.v1.message.acreate` and the rest, `client.arequest`) open a new
`httpx.AsyncClient` for every call (`Transport.aexecute`): a new TLS context, read from the
certificate bundle, and a new connection to Feishu, each time; and httpx (with httpcore and anyio,
a failed `import sniffio` on every request among it) took a third of the delivery worker's CPU per
card. All of it on the event loop that also answers Feishu's events, and delivery sends two cards
for every kudos. Measured on the 2-core benchmark machine (500 kudos events at concurrency 64, their
1,000 cards): delivered in 41 s that way, in 0.6 s over one kept session.

`SharedTransport` sends the same requests, built by lark-oapi's own builders, with the SDK's own
token check (`verify`), URL, headers and JSON, and reads the answer into the SDK's own response types
as its `acreate` does; only the HTTP client is Rapport's: one aiohttp session (the server's own HTTP
library), made in the running loop and closed when the server stops, whose connections are kept.
"""

from __future__ import annotations

from typing import Any, TypeVar

import aiohttp
import lark_oapi as lark
from lark_oapi.core.const import APPLICATION_JSON, CONTENT_TYPE, UTF_8
from lark_oapi.core.http.transport import _build_header, _build_url  # the SDK's own (pinned in pyproject)
from lark_oapi.core.json import JSON
from lark_oapi.core.model import RawResponse
from lark_oapi.core.token.auth import verify

Response = TypeVar("Response", bound=lark.BaseResponse)
MAX_CONNECTIONS = 32  # above the delivery worker's concurrency, with room for profiles and tokens


class SharedTransport:
    """Executes lark-oapi requests for one `lark.Client`'s configuration over one kept HTTP client."""

    def __init__(self, config: Any, *, timeout: float) -> None:
        self.config = config
        self.timeout = timeout
        self._http: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:  # made here, inside the loop that uses it
            self._http = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            )
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def execute(self, request: lark.BaseRequest, option: lark.RequestOption) -> RawResponse:
        """One request as lark-oapi's `Transport.aexecute` sends it (JSON bodies only: Rapport uploads
        no files), over the kept session."""
        verify(self.config, request, option)
        url = _build_url(self.config.domain, request.uri, request.paths)
        headers = _build_header(request, option, self.config)
        body = None
        if request.body is not None:
            body = JSON.marshal(request.body).encode(UTF_8)  # UTF-8 as it is: a Chinese card stays small
            headers = {**headers, CONTENT_TYPE: f"{APPLICATION_JSON}; charset=utf-8"}
        method = request.http_method.name
        async with self._client().request(
            method, url, headers=headers, params=request.queries, data=body
        ) as answer:
            raw = RawResponse()
            raw.status_code = answer.status
            raw.headers = dict(answer.headers)
            raw.content = await answer.read()
        return raw

    async def call(
        self, request: lark.BaseRequest, option: lark.RequestOption, kind: type[Response]
    ) -> Response:
        """`request`, answered as a `kind` (the SDK's response type of that call). An error page that
        is not JSON (a gateway's 502) is a bare response with its status; a success that is not JSON is
        no success (ValueError: Feishu always answers JSON)."""
        raw = await self.execute(request, option)
        content_type = next((v for k, v in raw.headers.items() if k.lower() == CONTENT_TYPE.lower()), "")
        if content_type.startswith(APPLICATION_JSON):
            response = JSON.unmarshal(str(raw.content, UTF_8), kind)
        elif raw.status_code >= 400:
            response = kind()
        else:
            raise ValueError(f"a {raw.status_code} answer that is not JSON ({content_type or 'no type'})")
        response.raw = raw
        return response
