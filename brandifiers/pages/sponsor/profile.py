"""Sponsor: edit the company profile."""

import reflex as rx

from brandifiers.components.cards import field, form_error, textarea_field
from brandifiers.components.email_change import email_card
from brandifiers.components.layout import template
from brandifiers.components.personal_data import your_data_card
from brandifiers.components.preferences import preferences_card
from brandifiers.components.time_zone import time_zone_card
from brandifiers.state.email_links import EmailLinkState
from brandifiers.state.preferences import PreferencesState
from brandifiers.state.profiles import ProfileState
from brandifiers.state.time_zone import TimeZoneState


@template(route="/sponsor/profile", title="Company profile", access="sponsor",
          on_load=[ProfileState.load_sponsor, PreferencesState.load, EmailLinkState.load_email_change,
                   TimeZoneState.load])
def sponsor_profile_edit() -> rx.Component:
    p = ProfileState.profile
    return rx.vstack(
        rx.heading("Company profile", size="7"),
        rx.card(rx.form(rx.vstack(
            form_error(),
            field("Company name", "company_name", default=p["company_name"]),
            field("Industry", "industry", default=p["industry"]),
            field("Website", "website", default=p["website"]),
            field("Yearly marketing budget", "yearly_budget", default=p["yearly_budget"]),
            textarea_field("About the company", "description", default=p["description"]),
            rx.button("Save", type="submit", id="profile-submit"), spacing="3", width="100%"),
            on_submit=ProfileState.save_sponsor, no_validate=True, width="100%", key=ProfileState.version),
            width="100%"),
        email_card(),
        preferences_card(),
        time_zone_card(),
        your_data_card(),
        spacing="4", width="100%", max_width="760px",
    )
