"""Plain HTTP routes beside the Reflex app (rx.App(api_transformer=...)): the export download and payment
receipts (single-use tokens only their owner received), the one-click unsubscribe (RFC 8058 POST), the Stripe
webhook, /_health (503 when unavailable) and /metrics."""

from __future__ import annotations

from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from brandifiers import observability
from brandifiers.config import get_settings
from brandifiers.db import get_engine, session_scope
from brandifiers.jobs.scheduler import scheduler_mode
from brandifiers.services.accounts import preferences
from brandifiers.services.common import health, parse
from brandifiers.services.common.errors import DomainError
from brandifiers.services.deals import funding_ledger
from brandifiers.services.deals.funding_ledger import gateway_by_name
from brandifiers.services.messaging import receipts
from brandifiers.services.payments.gateway import BadSignature, GatewayError
from brandifiers.services.records import exports


async def download_export(request: Request):
    try:
        with session_scope() as session:
            name, path = exports.redeem_token(session, parse.record_id(request.path_params["job_id"]),
                                              parse.text(request.query_params.get("token", "")))
    except DomainError:
        return PlainTextResponse("This download link is not valid: it was used already or has expired. "
                                 "Ask for a new one on the Exports page.", status_code=404)
    if not path.exists():
        return PlainTextResponse("This export's file is gone: start a new export.", status_code=410)
    media = "application/zip" if name.endswith(".zip") else "text/csv; charset=utf-8"
    return FileResponse(path, filename=name, media_type=media)


def receipt(request: Request) -> Response:
    """Plain `def` (runs in a thread): the PDF takes a moment to render."""
    try:
        with session_scope() as session:
            name, body, media = receipts.redeem(session, request.path_params["payment_id"],
                                                request.query_params.get("token", ""),
                                                request.query_params.get("format", "html"))
    except DomainError:
        return PlainTextResponse("This receipt link is not valid: it was used already or has expired. "
                                 "Open the request again and choose Receipt.", status_code=404)
    disposition = "attachment" if media == "application/pdf" else "inline"
    return Response(body, media_type=media, headers={"Content-Disposition": f'{disposition}; filename="{name}"',
                                                     "Cache-Control": "no-store"})


def unsubscribe(request: Request) -> Response:
    """A mail client's one-click POST turns the e-mail off; a person's GET is sent to the page (which does
    the same and says so): a link scanner's GET alone changes nothing."""
    token = request.query_params.get("t", "")
    if request.method != "POST":
        return RedirectResponse(f"{get_settings().public_url}/unsubscribe?t={quote(token)}", status_code=303)
    try:
        with session_scope() as session:
            outcome = preferences.unsubscribe(session, token)
    except DomainError as exc:
        return PlainTextResponse(exc.message, status_code=400)
    return PlainTextResponse(outcome)


def stripe_webhook(request_body: bytes, signature: str | None) -> Response:
    """Verify with Stripe's signing scheme (forged or unsigned: 400, nothing written), then apply the event
    once (services.deals.funding_ledger); a duplicate or late event answers 200 and changes nothing."""
    gateway = gateway_by_name("stripe")
    try:
        event = gateway.parse_webhook(request_body, signature)
    except BadSignature as exc:
        return PlainTextResponse(exc.message, status_code=400)
    except GatewayError as exc:  # reading the PaymentIntent of a charge event failed: Stripe retries later
        return PlainTextResponse(exc.message, status_code=503)
    with session_scope() as session:
        changed = funding_ledger.apply_event(session, event)
    return JSONResponse({"received": event.event_id, "changed": changed})


async def stripe_webhook_route(request: Request) -> Response:
    body = await request.body()
    return await run_in_threadpool(stripe_webhook, body, request.headers.get("stripe-signature"))


def health_check(_request: Request) -> JSONResponse:
    """Plain `def`: Starlette runs it in a thread, so a slow database or Redis never blocks the event loop."""
    settings = get_settings()
    result = health.check(get_engine(), settings.redis_url, scheduler_mode(settings))
    return JSONResponse(result, status_code=503 if result["status"] == health.UNAVAILABLE else 200,
                        headers={"Cache-Control": "no-store"})


def metrics(_request: Request) -> Response:
    body, content_type = observability.exposition()
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})


api = Starlette(routes=[Route("/api/exports/{job_id}/download", download_export),
                        Route("/api/receipts/{payment_id}", receipt),
                        Route("/api/unsubscribe", unsubscribe, methods=["GET", "POST"]),
                        Route("/api/stripe/webhook", stripe_webhook_route, methods=["POST"]),
                        Route("/_health", health_check), Route("/metrics", metrics)])
