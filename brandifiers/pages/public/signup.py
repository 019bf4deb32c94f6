"""Sign-up pages: sponsor (brand) and influencer (creator)."""

import reflex as rx

from brandifiers.components.cards import field, form_error, select_field
from brandifiers.components.layout import template
from brandifiers.models import CATEGORIES, Platform
from brandifiers.pages.public.login import auth_card
from brandifiers.state.account import AccountState


def _browser_zone() -> rx.Component:
    """The browser's time zone, sent with the form (the server keeps it when it is a known zone)."""
    return rx.el.input(type="hidden", name="time_zone", id="signup-time-zone", on_mount=rx.call_script(
        "document.getElementById('signup-time-zone').value = Intl.DateTimeFormat().resolvedOptions().timeZone"))


def _account_fields() -> list[rx.Component]:
    return [
        _browser_zone(),
        field("E-mail", "email", type="email", placeholder="you@example.com"),
        field("Password", "password", type="password", hint="At least 8 characters."),
    ]


def _form(*fields: rx.Component, on_submit, submit_label: str, switch: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.vstack(form_error(), *fields,
                      rx.button(submit_label, type="submit", size="3", width="100%", id="signup-submit"),
                      spacing="3", width="100%"),
            on_submit=on_submit, no_validate=True, width="100%",
        ),
        switch,
        rx.text("Already registered? ", rx.link("Log in", href="/login"), size="2"),
        spacing="3", width="100%",
    )


@template(route="/signup/sponsor", title="Sign up as a brand", access="anonymous")
def signup_sponsor() -> rx.Component:
    return auth_card(
        rx.text("An administrator reviews new brands before they can reach creators.", size="2",
                color_scheme="gray"),
        _form(
            *_account_fields(),
            field("Company name", "company_name"),
            field("Industry", "industry", placeholder="e.g. Cosmetics"),
            field("Website", "website", placeholder="https://", hint="Optional."),
            field("Yearly marketing budget", "yearly_budget", placeholder="50000",
                  hint="Optional, in the platform currency."),
            on_submit=AccountState.signup_sponsor, submit_label="Create brand account",
            switch=rx.text("A creator? ", rx.link("Sign up as an influencer", href="/signup/influencer"), size="2"),
        ),
        heading="Sign up as a brand",
    )


@template(route="/signup/influencer", title="Sign up as a creator", access="anonymous")
def signup_influencer() -> rx.Component:
    return auth_card(
        _form(
            *_account_fields(),
            field("Display name", "display_name"),
            select_field("Category", "category", list(CATEGORIES)),
            field("Niche", "niche", placeholder="e.g. vegan baking", hint="Optional."),
            select_field("Main platform", "platform", [p.value for p in Platform]),
            field("Handle", "handle", placeholder="@yourname"),
            field("Followers", "followers", placeholder="12000", hint="Self-reported; shown as such."),
            on_submit=AccountState.signup_influencer, submit_label="Create creator account",
            switch=rx.text("A brand? ", rx.link("Sign up as a sponsor", href="/signup/sponsor"), size="2"),
        ),
        heading="Sign up as a creator",
    )
