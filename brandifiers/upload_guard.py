"""ASGI middleware in front of Reflex's upload endpoint (POST /_upload): a body declared larger than the largest
upload cap (413) or of no declared size (411) is refused before any of it is read; all else passes unchanged."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from brandifiers.services.accounts.profiles import AVATAR_MAX_BYTES
from brandifiers.services.metrics.metrics_csv import MAX_BYTES as CSV_MAX_BYTES

FORM_OVERHEAD = 64 * 1024  # multipart boundaries, part headers and the form's small fields
UPLOAD_BODY_MAX = max(AVATAR_MAX_BYTES, CSV_MAX_BYTES) + FORM_OVERHEAD


async def _refuse(send: Send, status: int, message: str) -> None:
    body = message.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def upload_guard(app: ASGIApp) -> ASGIApp:
    """Wrap the backend app (rx.App(api_transformer=[..., upload_guard]))."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].rstrip("/") == "/_upload":
            declared = dict(scope.get("headers") or []).get(b"content-length", b"")
            if not declared.isdigit() or len(declared) > 12:  # bytes.isdigit() is ASCII-only
                await _refuse(send, 411, "An upload must declare its size.")
                return
            if int(declared) > UPLOAD_BODY_MAX:
                limit = UPLOAD_BODY_MAX // (1024 * 1024)
                await _refuse(send, 413, f"The upload is too large: at most {limit} MB a file.")
                return
        await app(scope, receive, send)

    return guarded
