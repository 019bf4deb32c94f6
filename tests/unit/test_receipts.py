"""Receipts: HTML and PDF from the one template, through the route with a single-use, short-lived token
issued only to a party of the payment; a voided entry has none."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import select
from starlette.testclient import TestClient

from brandifiers.api import api
from brandifiers.clock import utcnow
from brandifiers.models import ReceiptToken
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied
from brandifiers.services.deals import adrequests, payment_disputes
from brandifiers.services.messaging import receipts
from tests.unit.collab_factories import advance, cast, cheap_passwords, send, today  # noqa: F401


@pytest.fixture
def deal(session):
    p = cast(session, others=True, admin=True)
    p.request = advance(session, send(session, p.sponsor, p.campaign, p.influencer, payment="300"), "accepted", p)
    p.payment = adrequests.record_payment(session, p.sponsor.id, p.request.id,
                                          {"amount": "120.50", "paid_on": today(), "reference": "INV-<b>7</b>"})
    session.commit()
    return p


def _get(payment_id, token, fmt="html"):
    return TestClient(api).get(f"/api/receipts/{payment_id}", params={"token": token, "format": fmt})


def test_html_and_pdf_come_from_the_one_template(session, deal):
    token = receipts.issue_token(session, deal.influencer.id, deal.payment.id)
    session.commit()
    html = _get(deal.payment.id, token)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.headers["cache-control"] == "no-store"
    body = html.text
    number = f"R-{deal.payment.id:06d}"
    for words in ("$120.50", number, "INV-&lt;b&gt;7&lt;/b&gt;", str(today()), "not yet confirmed by the influencer"):
        assert words in body
    assert "<b>7</b>" not in body  # the sponsor's reference is escaped
    assert _get(deal.payment.id, token).status_code == 404  # single use

    token = receipts.issue_token(session, deal.sponsor.id, deal.payment.id)
    session.commit()
    pdf = _get(deal.payment.id, token, "pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert f'filename="brandifiers-receipt-{number}.pdf"' in pdf.headers["content-disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for words in ("$120.50", number, "PAYMENT RECEIPT"):
        assert words in text


def test_the_receipt_follows_the_entry_state(session, deal):
    payment_disputes.dispute_payment(session, deal.influencer.id, deal.payment.id, "Only half arrived")
    session.commit()
    token = receipts.issue_token(session, deal.sponsor.id, deal.payment.id)
    session.commit()
    body = _get(deal.payment.id, token).text
    assert "Disputed by the influencer" in body and "Only half arrived" in body
    # a token issued before the entry was voided no longer opens it
    token = receipts.issue_token(session, deal.sponsor.id, deal.payment.id)
    payment_disputes.resolve_dispute(session, deal.admin.id, deal.payment.id, "upheld", "No transfer")
    session.commit()
    assert _get(deal.payment.id, token).status_code == 404
    with pytest.raises(DomainError, match="no receipt"):
        receipts.issue_token(session, deal.influencer.id, deal.payment.id)


def test_tokens_expire_and_bind_to_their_payment(session, deal):
    now = utcnow()
    token = receipts.issue_token(session, deal.influencer.id, deal.payment.id, now=now - timedelta(minutes=11))
    session.commit()
    assert _get(deal.payment.id, token).status_code == 404  # 10 minutes of life
    other = adrequests.record_payment(session, deal.sponsor.id, deal.request.id, {"amount": "1", "paid_on": today()})
    token = receipts.issue_token(session, deal.influencer.id, deal.payment.id)
    session.commit()
    assert _get(other.id, token).status_code == 404  # a token opens its own payment only
    assert _get(deal.payment.id, token, "exe").status_code == 404
    assert _get(deal.payment.id, token + "x").status_code == 404
    assert _get(deal.payment.id, "").status_code == 404
    assert _get("１２", token).status_code == 404 and _get(10**30, token).status_code == 404
    assert _get(deal.payment.id, token).status_code == 200  # none of the above spent it
    rows = session.exec(select(ReceiptToken)).all()
    assert all(len(r.token_hash) == 64 and r.token_hash != token for r in rows)  # only the hash is kept


def test_only_a_party_or_an_admin_gets_a_token(session, deal):
    for user, error in [(deal.other_influencer, NotFound), (deal.other_sponsor, NotFound)]:
        with pytest.raises(error):
            receipts.issue_token(session, user.id, deal.payment.id)
    with pytest.raises(PermissionDenied):
        receipts.issue_token(session, None, deal.payment.id)
    for bad in (0, "1\x00", [1], 10**30):
        with pytest.raises(NotFound):
            receipts.issue_token(session, deal.sponsor.id, bad)
    session.rollback()
    assert session.exec(select(ReceiptToken)).all() == []
    assert receipts.issue_token(session, deal.admin.id, deal.payment.id)


def test_the_personal_data_export_carries_the_receipts(session, deal):
    files = receipts.receipts_html(session, deal.influencer.id)
    assert [name for name, _ in files] == [f"receipts/R-{deal.payment.id:06d}.html"]
    assert "$120.50" in files[0][1]
    assert receipts.receipts_html(session, deal.other_influencer.id) == []  # the ZIP: test_personal_data.py
