"""Own profile pages: influencer (profile, platforms, avatar) and sponsor (company)."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.accounts import profiles as svc
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.uploads import read_capped
from brandifiers.state.base import RoleState


class ProfileState(RoleState):
    profile: dict[str, str] = {}
    platforms: list[dict[str, str]] = []
    avatar_path: str = ""  # relative to the upload folder; the page turns it into a URL
    version: int = 0  # bumps after a save so the forms re-mount with the stored values

    @rx.event
    def load_influencer(self):
        self._clear_form()
        ok, p = self._call(svc.get_influencer_profile)
        if not ok:
            return
        self.profile = {k: str(p.get(k) or "") for k in
                        ("display_name", "bio", "category", "niche", "location", "asking_price")}
        self.profile["total_followers"] = f"{p['total_followers']:,}"
        self.profile["avg_er"] = f"{p['avg_engagement_rate_pct']:.1f}%"
        self.platforms = [{"platform": x["platform"], "handle": x["handle"], "followers": f"{x['followers']:,}",
                           "er": f"{x['engagement_rate_pct']:.1f}%"} for x in p["platforms"]]
        self.avatar_path = p.get("avatar_path") or ""
        self.version += 1

    @rx.event
    def save_influencer(self, form_data: dict):
        self._clear_form()
        ok, _ = self._call(svc.update_influencer_profile, form_data)
        if ok:
            return [ProfileState.load_influencer, rx.toast.success("Profile saved.")]

    @rx.event
    def save_platform(self, form_data: dict):
        self._clear_form()
        ok, _ = self._call(svc.set_platform, form_data)
        if ok:
            return [ProfileState.load_influencer, rx.toast.success("Platform saved.")]

    @rx.event
    def remove_platform(self, platform: str):
        self._clear_form()
        ok, _ = self._call(svc.remove_platform, platform)
        if ok:
            return ProfileState.load_influencer

    @rx.event
    async def upload_avatar(self, files: list[rx.UploadFile]):
        self._clear_form()
        if not files:
            self.errors = {"avatar": "Choose an image file first."}
            return
        upload = files[0]
        try:  # Starlette spooled the body to a temporary file; only up to the cap of it is read
            content = read_capped(upload.file, upload.size, svc.AVATAR_MAX_BYTES, "avatar", "The picture")
        except DomainError as exc:
            self._show_error(exc)
            return None
        ok, _ = self._call(svc.save_avatar, upload.name or "avatar", content, rx.get_upload_dir())
        if ok:
            return [ProfileState.load_influencer, rx.toast.success("Picture updated.")]

    @rx.event
    def avatar_refused(self, rejected: list[dict]):
        self._clear_form()
        self._files_refused("avatar", rejected, "choose a PNG, JPEG or WebP picture of at most 2 MB.")

    @rx.event
    def load_sponsor(self):
        self._clear_form()
        ok, p = self._call(svc.get_sponsor_profile)
        if ok:
            self.profile = {k: str(p.get(k) or "") for k in
                            ("company_name", "industry", "website", "yearly_budget", "description")}
            self.version += 1

    @rx.event
    def save_sponsor(self, form_data: dict):
        self._clear_form()
        ok, _ = self._call(svc.update_sponsor_profile, form_data)
        if ok:
            return [ProfileState.load_sponsor, rx.toast.success("Company profile saved.")]
