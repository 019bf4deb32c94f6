"""Influencer: edit the public profile, platforms and picture."""

import reflex as rx

from brandifiers.components.cards import field, field_error, form_error, refused_files, select_field, textarea_field
from brandifiers.components.email_change import email_card
from brandifiers.components.layout import template
from brandifiers.components.personal_data import your_data_card
from brandifiers.components.preferences import preferences_card
from brandifiers.components.time_zone import time_zone_card
from brandifiers.models import CATEGORIES, Platform
from brandifiers.services.accounts.profiles import AVATAR_MAX_BYTES
from brandifiers.state.email_links import EmailLinkState
from brandifiers.state.preferences import PreferencesState
from brandifiers.state.profiles import ProfileState
from brandifiers.state.time_zone import TimeZoneState


def avatar_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Picture", size="4", as_="h2"),
        rx.cond(ProfileState.avatar_path != "",
                rx.image(src=rx.get_upload_url(ProfileState.avatar_path), width="96px", height="96px",
                         border_radius="50%", object_fit="cover", id="avatar")),
        rx.upload(rx.text("Drop a PNG, JPEG or WebP here, or click to choose (max 2 MB)", size="2"),
                  id="avatar-upload", accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"],
                                              "image/webp": [".webp"]},
                  max_files=1, max_size=AVATAR_MAX_BYTES * 4,
                  on_drop_rejected=lambda rejected: ProfileState.avatar_refused(refused_files(rejected)),
                  border="1px dashed var(--gray-a7)", padding="1em"),
        rx.hstack(rx.foreach(rx.selected_files("avatar-upload"), lambda f: rx.text(f, size="1"))),
        rx.button("Upload picture", on_click=ProfileState.upload_avatar(rx.upload_files(upload_id="avatar-upload")),
                  id="avatar-submit"),
        field_error("avatar"),
        spacing="2"), width="100%")


def platforms_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Platforms", size="4", as_="h2"),
        rx.text("Followers and engagement are self-reported and shown as such to sponsors.", size="1",
                color_scheme="gray"),
        rx.foreach(ProfileState.platforms, lambda p: rx.hstack(
            rx.badge(p["platform"]), rx.text("@", p["handle"]), rx.text(p["followers"], " followers"),
            rx.text("ER ", p["er"]), rx.spacer(),
            rx.button("Remove", size="1", variant="soft", color_scheme="red",
                      on_click=ProfileState.remove_platform(p["platform"])), width="100%", wrap="wrap")),
        rx.form(rx.vstack(
            rx.text("Add or update a platform", weight="medium"),
            rx.grid(select_field("Platform", "platform", [p.value for p in Platform]), field("Handle", "handle"),
                    field("Followers", "followers"), field("Engagement rate (%)", "engagement_rate",
                                                           placeholder="3.5"),
                    columns=rx.breakpoints(initial="1", sm="2", md="4"), spacing="3", width="100%"),
            rx.button("Save platform", type="submit", id="platform-submit"), spacing="2", width="100%"),
            on_submit=ProfileState.save_platform, no_validate=True, width="100%"),
        spacing="3", width="100%"), width="100%")


@template(route="/influencer/profile", title="My profile", access="influencer",
          on_load=[ProfileState.load_influencer, PreferencesState.load, EmailLinkState.load_email_change,
                   TimeZoneState.load])
def influencer_profile_edit() -> rx.Component:
    p = ProfileState.profile
    return rx.vstack(
        rx.heading("My profile", size="7"),
        rx.text("Total reach ", p["total_followers"], " · average engagement ", p["avg_er"], " (self-reported)",
                color_scheme="gray"),
        rx.card(rx.form(rx.vstack(
            form_error(),
            field("Display name", "display_name", default=p["display_name"]),
            textarea_field("Bio", "bio", default=p["bio"]),
            rx.grid(select_field("Category", "category", list(CATEGORIES), default=p["category"]),
                    field("Niche", "niche", default=p["niche"]), field("Location", "location", default=p["location"]),
                    field("Asking price per post", "asking_price", default=p["asking_price"]),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
            rx.button("Save profile", type="submit", id="profile-submit"), spacing="3", width="100%"),
            on_submit=ProfileState.save_influencer, no_validate=True, width="100%", key=ProfileState.version),
            width="100%"),
        platforms_card(),
        avatar_card(),
        email_card(),
        preferences_card(),
        time_zone_card(),
        your_data_card(),
        spacing="4", width="100%", max_width="860px",
    )
