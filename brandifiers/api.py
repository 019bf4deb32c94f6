"""Plain HTTP routes beside the Reflex app (mounted with rx.App(api_transformer=...)): the export download
(a single-use token that only the export's owner received), /_health (503 when unavailable) and /metrics."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from brandifiers import observability
from brandifiers.config import get_settings
from brandifiers.db import get_engine, session_scope
from brandifiers.jobs.scheduler import scheduler_mode
from brandifiers.services.common import health, parse
from brandifiers.services.common.errors import DomainError
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
                        Route("/_health", health_check), Route("/metrics", metrics)])
