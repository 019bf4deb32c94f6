"""Exports page (sponsor: its data; admin: a table): start in the background, follow the
progress bar, download through a single-use link."""

from __future__ import annotations

import asyncio

import reflex as rx
from sqlmodel import Session

from brandifiers.db import get_engine
from brandifiers.models.jobs import ExportJob
from brandifiers.services.common import parse
from brandifiers.services.records import exports
from brandifiers.state.base import RoleState, frame_download, when

POLL = 0.3  # seconds between progress reads


def _row(job: ExportJob, zone: str) -> dict[str, str]:
    return {"id": str(job.id), "status": job.status, "rows": f"{job.rows:,}", "progress": str(job.progress),
            "file": job.filename or "", "error": job.error or "",
            "created": when(job.created_at, zone)}


class ExportState(RoleState):
    rows: list[dict[str, str]] = []
    running: bool = False
    progress: int = 0
    job_id: int = 0

    def _reload(self) -> None:
        ok, jobs = self._call(exports.my_exports)
        self.rows = [_row(j, self._zone) for j in jobs] if ok else []

    @rx.event
    def load(self):
        self._reload()

    @rx.event(background=True)
    async def start(self, form_data: dict):
        async with self:
            if self.running:
                return
            self._clear_form()
            ok, job = self._call(exports.start_export, form_data)
            if not ok:
                return
            self.running, self.progress, self.job_id = True, 0, job.id
            job_id, personal = job.id, job.kind == "personal"
        engine = get_engine()
        work = asyncio.get_running_loop().run_in_executor(None, exports.run_export, engine, job_id)
        while not work.done():
            await asyncio.sleep(POLL)
            with Session(engine) as s:
                progress = s.get(ExportJob, job_id).progress
            async with self:
                self.progress = progress
        failed = work.exception() is not None
        async with self:
            self.running = False
            if failed:
                self.form_error = "The export failed; nothing was lost, you can start it again."
            else:
                self.progress = 100
            self._reload()
        if failed:
            return
        if personal:  # "Download my data": the file comes at once
            yield ExportState.download(str(job_id))
        else:
            yield rx.toast.success("Export ready: download it below.")

    @rx.event
    def download(self, job_id: str):
        self._clear_form()
        job_id = parse.record_id(job_id)
        ok, token = self._call(exports.download_token, job_id)
        if not ok:
            return None
        api = rx.config.get_config().api_url.rstrip("/")
        url = f"{api}/api/exports/{job_id}/download?token={token}"
        return frame_download(url)
