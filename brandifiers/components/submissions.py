"""An ad request's submissions: the influencer's form of one or more posts (a row per post, each row's
errors next to its fields) and the history both parties read, earlier submissions marked replaced."""

import reflex as rx

from brandifiers.components.cards import field, select_field, textarea_field
from brandifiers.models import Platform
from brandifiers.state.requests import RequestState


def _form_row(row, i) -> rx.Component:
    return rx.box(rx.vstack(
        rx.hstack(rx.text("Post ", i + 1, weight="medium", size="2"), rx.spacer(),
                  rx.cond(RequestState.post_form.length() > 1,
                          rx.button("Remove", type="button", size="1", variant="ghost", color_scheme="red",
                                    on_click=RequestState.remove_post_row(i), id=f"remove-post-{i}")),
                  width="100%", align="center"),
        rx.grid(select_field("Platform", f"platform_{i}", [p.value for p in Platform], default=row.platform),
                field("Post URL", f"post_url_{i}", placeholder="https://", default=row.url),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="2", width="100%"),
        textarea_field("Note", f"note_{i}", rows="2", default=row.note,
                       hint="Optional: what the sponsor should know about this post."),
        spacing="2", width="100%"),
        key=row.key, padding="0.6em", border="1px solid var(--gray-5)", border_radius="var(--radius-3)",
        width="100%", class_name="post-row")


def submit_form() -> rx.Component:
    return rx.form(rx.vstack(
        rx.text("Submit your posts", weight="medium"),
        rx.text("List every post of this delivery; a new submission replaces the one before.", size="1",
                color_scheme="gray"),
        rx.foreach(RequestState.post_form, _form_row),
        rx.flex(rx.button("Add another post", type="button", variant="soft", on_click=RequestState.add_post_row,
                          id="add-post"),
                rx.button("Submit posts", type="submit", id="submit-post"), spacing="2", wrap="wrap"),
        spacing="2", width="100%"),
        on_submit=RequestState.submit_post, no_validate=True, reset_on_submit=False, width="100%")


def _post(p) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.badge(p.platform), rx.link(p.url, href=p.url, is_external=True, word_break="break-all",
                                                text_decoration=rx.cond(p.dropped, "line-through", "underline")),
                  rx.cond(p.dropped, rx.text("not in the current submission", size="1", color_scheme="gray")),
                  wrap="wrap", align="center"),
        rx.cond(p.note != "", rx.text("Note: ", p.note, size="2", color_scheme="gray")),
        spacing="1", width="100%", class_name="submitted-post")


def _submission(s) -> rx.Component:
    replaced = s.replaced != ""
    return rx.box(rx.vstack(
        rx.hstack(rx.text("Submitted ", s.when, weight="medium", size="2"),
                  rx.cond(replaced, rx.text(s.replaced, size="2", color_scheme="gray", class_name="replaced-by"),
                          rx.badge("current", color_scheme="green")), wrap="wrap", align="center"),
        rx.cond(s.revision != "", rx.text("Sent back for revision: ", s.revision, size="2", color_scheme="amber")),
        rx.foreach(s.posts, _post),
        spacing="2", width="100%"),
        padding="0.6em", width="100%", class_name="submission",
        border_left=rx.cond(replaced, "3px solid var(--gray-6)", "3px solid var(--green-8)"))


def submissions_card() -> rx.Component:
    return rx.cond(RequestState.submissions.length() > 0, rx.card(rx.vstack(
        rx.heading("Posts", size="4", as_="h2"),
        rx.foreach(RequestState.submissions, _submission),
        spacing="3", width="100%", id="submissions"), width="100%"))
