"""Plain HTTP routes beside the Reflex app (mounted with rx.App(api_transformer=...)):
the export download, authorised by a single-use token that only the export's owner received."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Route

from brandifiers.db import session_scope
from brandifiers.services.common.errors import DomainError
from brandifiers.services.records import exports


async def download_export(request: Request):
    try:
        with session_scope() as session:
            name, path = exports.redeem_token(session, request.path_params["job_id"],
                                              request.query_params.get("token", ""))
    except DomainError:
        return PlainTextResponse("This download link is not valid: it was used already or has expired. "
                                 "Ask for a new one on the Exports page.", status_code=404)
    if not path.exists():
        return PlainTextResponse("This export's file is gone: start a new export.", status_code=410)
    media = "application/zip" if name.endswith(".zip") else "text/csv; charset=utf-8"
    return FileResponse(path, filename=name, media_type=media)


api = Starlette(routes=[Route("/api/exports/{job_id:int}/download", download_export)])
