"""Ad requests for both parties: the paged lists by box, and one request with its ledger and the
actions the service offers this actor. Takes ids and forms from the page; every action is checked
again by the service, and its refusal (DomainError) shows next to the field."""

from __future__ import annotations

import dataclasses

import reflex as rx

from brandifiers.services.common.money import format_cents
from brandifiers.services.deals import adrequests as svc
from brandifiers.services.deals.submissions import MAX_POSTS
from brandifiers.state.base import PagedState, RoleState, when
from brandifiers.state.funding import FundingMixin
from brandifiers.state.payment_entries import PaymentEntriesState
from brandifiers.state.payment_rows import disputed_total, payment_rows

BOXES = {"awaiting_me": "Awaiting my answer", "open": "Open", "active": "In progress", "closed": "Closed",
         "all": "All"}
# the buttons an action would show (a held one is shown disabled, with the hold above it)
ACTION_LABELS = {"accept": "Accept current terms", "counter": "Send counter-offer", "reject": "Reject",
                 "withdraw": "Withdraw", "start": "Start work", "submit": "Submit posts",
                 "approve": "Approve delivery", "revise": "Request a revision", "pay": "Mark as paid",
                 "cancel": "Cancel deal"}



@dataclasses.dataclass
class PostRow:
    """One post of a submission, or one row of the submit form (key: the row's React key)."""

    platform: str = ""
    url: str = ""
    note: str = ""
    key: str = ""
    dropped: bool = False  # in a replaced submission, and not in the current one


@dataclasses.dataclass
class SubmissionRow:
    when: str = ""
    replaced: str = ""  # "" for the current submission
    revision: str = ""  # the revision note that sent it back, if any
    posts: list[PostRow] = dataclasses.field(default_factory=list)


class RequestState(PagedState, FundingMixin, PaymentEntriesState, RoleState):
    box: str = "all"
    rows: list[dict[str, str]] = []
    # one request
    request_id: int = 0
    request: dict[str, str] = {}
    offers: list[dict[str, str]] = []
    deliverables: list[dict[str, str]] = []
    payments: list[dict[str, str]] = []
    submissions: list[SubmissionRow] = []  # newest first
    post_form: list[PostRow] = []  # the submit form's rows
    _post_form_for: str = ""  # the request state the rows were made for (a live reload keeps typed rows)
    _rows_made: int = 0
    actions: list[str] = []
    holds: list[str] = []  # why things wait (a flag, a freeze, an account on hold), each with its reason
    held: list[dict[str, str]] = []  # actions waiting for a hold to lift: {action, label}
    latest_offer_id: int = 0

    def _load_page(self):
        return RequestState.load_list

    @rx.event
    def load_list(self):
        ok, result = self._call(svc.list_requests, box=self.box, page=self.page, page_size=self.page_size)
        if ok:
            rows, self.total = result
            base = "/sponsor/requests/" if self.user_role == "sponsor" else "/influencer/requests/"
            self.rows = [{"id": str(r.id), "campaign": r.campaign_name, "counterpart": r.counterpart_name,
                          "status": r.status, "payment": format_cents(r.payment_cents),
                          "updated": when(r.updated_at, self._zone), "href": base + str(r.id),
                          "awaiting_me": "1" if r.awaiting_me else ""} for r in rows]

    @rx.event
    def set_box(self, box: str):
        if box in BOXES:
            self.box, self.page = box, 0
            return RequestState.load_list

    @rx.event
    def load_detail(self):
        self._clear_form()
        ok, v = self._call(svc.get_request, self._route_id("request_id"))
        if not ok:
            self.request_id, self.request, self.holds, self.held = 0, {}, [], []
            return
        r = v.request
        self.request_id = r.id
        self.latest_offer_id = v.latest_offer.id if v.latest_offer else 0
        self.request = {
            "id": str(r.id), "status": r.status, "campaign": v.campaign.name, "campaign_id": str(v.campaign.id),
            "influencer": v.influencer_name, "sponsor": v.sponsor_name, "requirements": r.requirements,
            "deliverables": r.deliverables, "message": r.message, "payment": format_cents(r.payment_cents),
            "due": r.due_date.isoformat() if r.due_date else "-", "paid": format_cents(v.paid_cents),
            "outstanding": format_cents(v.outstanding_cents), "revision_note": v.revision_note,
            "disputed": disputed_total(v.payments),
            "initiated_by": r.initiated_by, "flagged": "1" if r.flagged else "",
            "admin_note": "sent by admin for " + v.sponsor_name if r.initiated_by == "admin" else "",
        }
        self.offers = [{"who": o.author_role, "amount": format_cents(o.amount_cents), "terms": o.terms,
                        "message": o.message, "when": when(o.created_at, self._zone),
                        "latest": "1" if v.latest_offer and o.id == v.latest_offer.id else ""} for o in v.offers]
        self.deliverables = [{"platform": d.platform, "url": d.post_url, "note": d.note,
                              "when": when(d.submitted_at, self._zone)} for d in v.deliverables]
        self.payments = payment_rows(v.payments, v.answerable, self._zone)
        self.actions = sorted(v.actions)
        self.holds = [h.text for h in v.holds]
        self.held = [{"action": a, "label": ACTION_LABELS.get(a, a)} for a in sorted(v.held)]
        current = {p.post_url for p in v.submissions[0].posts} if v.submissions else set()
        self.submissions = [SubmissionRow(
            when=when(sv.submission.submitted_at, self._zone),
            replaced=f"Replaced by the submission of {when(sv.replaced_by, self._zone)}" if sv.replaced_by else "",
            revision=sv.submission.revision_note or "",
            posts=[PostRow(p.platform, p.post_url, p.note, dropped=p.post_url not in current) for p in sv.posts])
            for sv in v.submissions]
        made_for = f"{r.id}:{r.status}:{len(v.submissions)}"
        if made_for != self._post_form_for:  # new rows: the latest submission's posts to edit, or one empty row
            self._post_form_for = made_for
            latest = self.submissions[0].posts if self.submissions else [PostRow()]
            self.post_form = [dataclasses.replace(p, key=self._row_key()) for p in latest]
        self._load_funding(r.id)

    def _row_key(self) -> str:
        self._rows_made += 1
        return f"row-{self._rows_made}"

    @rx.event
    def add_post_row(self):
        if len(self.post_form) < MAX_POSTS:
            self.post_form = [*self.post_form, PostRow(key=self._row_key())]

    @rx.event
    def remove_post_row(self, index: int):
        if len(self.post_form) > 1 and 0 <= index < len(self.post_form):
            self.post_form = [row for i, row in enumerate(self.post_form) if i != index]

    def _act(self, fn, *args, message: str, **kwargs):
        self._clear_form()
        ok, _ = self._call(fn, self.request_id, *args, **kwargs)
        if ok:
            return [RequestState.load_detail, rx.toast.success(message)]
        return RequestState.load_detail if self.form_error else None

    @rx.event
    def counter(self, form_data: dict):
        return self._act(svc.counter_offer, form_data, expected_offer_id=self.latest_offer_id or None,
                         message="Counter-offer sent.")

    @rx.event
    def accept(self):
        return self._act(svc.accept_offer, expected_offer_id=self.latest_offer_id or None, message="Offer accepted.")

    @rx.event
    def reject(self):
        return self._act(svc.reject_request, expected_offer_id=self.latest_offer_id or None,
                         message="Request rejected.")

    @rx.event
    def withdraw(self):
        return self._act(svc.withdraw_request, message="Request withdrawn.")

    @rx.event
    def start(self):
        return self._act(svc.start_work, message="Work started.")

    @rx.event
    def submit_post(self, form_data: dict):
        posts = [{k: form_data.get(f"{k}_{i}", "") for k in ("platform", "post_url", "note")}
                 for i in range(len(self.post_form))]  # row i's fields are named platform_i, post_url_i, note_i
        return self._act(svc.submit_deliverables, posts, message="Posts submitted for approval.")

    @rx.event
    def approve(self):
        return self._act(svc.approve_deliverables, message="Delivery approved.")

    @rx.event
    def revise(self, form_data: dict):
        return self._act(svc.request_revision, form_data.get("revision_note", ""), message="Revision requested.")

    @rx.event
    def pay(self, form_data: dict):
        return self._act(svc.record_payment, form_data, message="Payment recorded.")
