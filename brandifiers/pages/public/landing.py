"""Public landing page."""

import reflex as rx

from brandifiers.components.layout import template

FEATURES = [
    ("handshake", "Negotiate in the open", "Every offer and counter-offer is kept as a ledger both sides can read."),
    ("gauge", "Transparent numbers", "Reach, engagement, CPM, CPE and ROI with their definitions on the page."),
    ("shield-check", "Vetted sponsors", "Brands are approved by an administrator before they can reach creators."),
    ("server", "Yours to host", "Open source, SQLite out of the box, PostgreSQL and Redis when you grow."),
]


def feature(icon: str, title: str, text: str) -> rx.Component:
    return rx.card(rx.vstack(rx.icon(icon, size=28), rx.heading(title, size="4", as_="h2"),
                             rx.text(text, color_scheme="gray", size="2"), spacing="2"), width="100%")


@template(route="/", title="Influencer sponsorships, in the open")
def landing() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            rx.heading("Sponsorships between brands and creators, with nothing hidden",
                       size=rx.breakpoints(initial="7", md="9"), text_align="center"),
            rx.text("Sponsors find creators and run campaigns; influencers find campaigns and get paid on "
                    "agreed terms; admins keep the platform honest.", size="4", color_scheme="gray",
                    text_align="center", max_width="720px"),
            rx.flex(
                rx.link(rx.button("I am a brand", size="3", id="cta-sponsor"), href="/signup/sponsor"),
                rx.link(rx.button("I am a creator", size="3", variant="soft", id="cta-influencer"),
                        href="/signup/influencer"),
                rx.link(rx.button("Log in", size="3", variant="outline"), href="/login"),
                spacing="3", wrap="wrap", justify="center",
            ),
            align="center", spacing="5", padding_y="3em", width="100%",
        ),
        rx.grid(*[feature(*f) for f in FEATURES], columns=rx.breakpoints(initial="1", sm="2", md="4"),
                spacing="4", width="100%"),
        spacing="6", width="100%",
    )
