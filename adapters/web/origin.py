"""Whether a form was posted from the dashboard's own pages: the check against login CSRF.

Browsers name the page's origin in `Origin` on every form they post (with the dashboard's
`Referrer-Policy: same-origin`, the real one rather than "null"); older ones only in `Referer`. The
dashboard's own origin is RAPPORT_PUBLIC_URL's, where the sign-in links point.
"""

from __future__ import annotations

from aiohttp import web
from yarl import URL


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, its default port left out, as browsers write `Origin`."""
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return None
    return str(parsed.origin()).lower()


def same_origin(request: web.Request, *, public_url: str) -> bool:
    """Whether the request comes from a page of `public_url`'s origin. A request that names no
    origin at all (not a browser's form) is refused too: the form is the only way to sign in."""
    named = request.headers.get("Origin") or request.headers.get("Referer") or ""
    expected = origin_of(public_url)
    return expected is not None and origin_of(named) == expected
