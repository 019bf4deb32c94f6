"""Demo and benchmark data into an empty migrated database, one code path for three sizes:
`python -m brandifiers.seed --scale demo|S|L [--db-url URL] [--seed N]` (an unknown scale raises ValueError).
Influencers' hidden true quality and the rest of the design: docs/seed.md."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from brandifiers import seed_data as D
from brandifiers.clock import utcnow
from brandifiers.models import (
    CATEGORIES,
    AdRequest,
    AdRequestStatus,
    AuditEvent,
    Campaign,
    Deliverable,
    InfluencerProfile,
    MetricSnapshot,
    Notification,
    Offer,
    Payment,
    SocialAccount,
    SponsorProfile,
    User,
)
from brandifiers.seed_load import BulkWriter
from brandifiers.services.accounts.passwords import hash_password
from brandifiers.services.common.money import format_cents
from brandifiers.services.deals import submissions
from brandifiers.services.discovery import fulltext

DEMO_PASSWORD = "demo-password"
DEMO_DOMAIN = "demo.brandifiers.com"
N_FIXED = 5  # sponsor1..5 and influencer1..5 get memorable e-mails and richer data
DAY_US = 86_400_000_000
STATUSES = tuple(s.value for s in AdRequestStatus)
PEND, NEG, ACC, REJ, WDR, INP, SUB, DONE = (STATUSES.index(s) for s in (
    "pending", "negotiating", "accepted", "rejected", "withdrawn", "in_progress", "submitted", "completed"))
STATUS_SHARE = {"pending": 0.14, "negotiating": 0.14, "accepted": 0.08, "rejected": 0.10, "withdrawn": 0.06,
                "in_progress": 0.12, "submitted": 0.10, "completed": 0.26}
COMMITTED = (ACC, INP, SUB, DONE)
QUALITY_STREAM, QUALITY_SIGMA = 7919, 0.45  # the hidden quality's own RNG stream (seed + 7919) and spread
TABLES = (User, SponsorProfile, InfluencerProfile, SocialAccount, Campaign, AdRequest, Offer, Payment,
          Deliverable, MetricSnapshot, Notification, AuditEvent)


@dataclass(frozen=True)
class Scale:
    sponsors: int  # active ones (0.5% of them flagged)
    pending: int  # sponsors awaiting approval
    influencers: int  # 0.5% flagged
    campaigns: int
    requests: int
    max_snapshots: int | None  # None: up to 90 days for every deliverable; else a random subset of them


SCALES = {
    "demo": Scale(20, 3, 200, 60, 400, None),
    "S": Scale(200, 10, 2_000, 600, 4_000, None),
    "L": Scale(10_000, 100, 100_000, 50_000, 500_000, 5_000_000),
}


def is_empty(session) -> bool:
    """True when the database has no sponsor or influencer yet (an admin alone counts as empty)."""
    stmt = sa.select(User.id).where(User.role.in_(("sponsor", "influencer"))).limit(1)
    return session.execute(stmt).first() is None


def _pick(rng, pool, n):
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _obj(values) -> np.ndarray:
    return np.asarray(values, dtype=object)


class _Seeder:
    """Times are float days relative to `now` (<= 0) until written; arrays index users/rows from 0."""

    def __init__(self, conn, sc: Scale, rng_seed: int, now: datetime, log):
        self.conn, self.sc, self.log = conn, sc, log
        self.rng, self.rng_seed = np.random.default_rng(rng_seed), rng_seed
        self.now64, self.today64 = np.datetime64(now, "us"), np.datetime64(now.date(), "D")
        self.today_rel = -(self.now64 - self.today64.astype("datetime64[us]")) / np.timedelta64(DAY_US, "us")
        n_people = min(5_000, max(300, sc.sponsors + sc.pending + sc.influencers))
        self.pools = D.build_pools(rng_seed, n_people, min(5_000, max(100, sc.sponsors + sc.pending)))
        self.logins: list[tuple[str, str, str, str]] = []
        self.w = BulkWriter(conn, TABLES, log)
        self.ids, self.insert = self.w.ids, self.w.insert

    # ---- helpers -------------------------------------------------------------------------
    def ts(self, rel):
        """Days relative to now (NaN = NULL) -> datetime64[us]."""
        rel = np.asarray(rel, dtype=float)
        out = self.now64 + np.round(np.nan_to_num(rel) * DAY_US).astype("int64").astype("timedelta64[us]")
        out[np.isnan(rel)] = np.datetime64("NaT")
        return out

    def day(self, rel):
        return self.ts(rel).astype("datetime64[D]")

    def u(self, lo, hi, n):
        return self.rng.uniform(lo, hi, n)

    # ---- accounts ------------------------------------------------------------------------
    def users(self, pw_hash: str) -> None:
        sc, rng, P = self.sc, self.rng, self.pools
        n_s, n_sp, n_i = sc.sponsors, sc.sponsors + sc.pending, sc.influencers
        n_u, n_fs, n_fi = n_sp + n_i, max(1, n_s // 200), max(1, n_i // 200)
        uid, k = self.ids(User, n_u), np.arange(n_u)
        status = np.full(n_u, "active", dtype=object)
        status[n_s - n_fs:n_s], status[n_s:n_sp], status[n_u - n_fi:] = "flagged", "pending", "flagged"
        pi = rng.integers(0, len(P.first), n_u)
        first, last, company = P.first[pi], P.last[pi], D.company_names(P, n_sp)
        emails = D.user_emails(first, last, company, n_s, sc.pending, n_fs, n_fi, rng, DEMO_DOMAIN, N_FIXED)
        created = np.where((k >= n_s) & (k < n_sp), -self.u(0.05, 10, n_u), -self.u(240, 900, n_u))
        seen = np.where(status == "active", np.maximum(created, -rng.exponential(4, n_u)), -self.u(5, 60, n_u))
        seen[status == "pending"] = np.nan
        role = _obj(np.where(k < n_sp, "sponsor", "influencer"))
        self.insert(User, dict(id=uid, email=emails, password_hash=pw_hash, role=role, status=status,
                               status_reason=np.where(status == "flagged", _pick(rng, D.USER_FLAGS, n_u), None),
                               created_at=self.ts(created), last_seen_at=self.ts(seen)))
        industries = _obj(list(D.INDUSTRIES))
        ind = rng.integers(0, len(industries), n_sp)
        budget = np.maximum(np.round(rng.lognormal(np.log(120_000), 0.8, n_sp) / 1000), 5) * 100_000
        desc, web = D.sponsor_texts(rng, company, industries[ind])
        self.insert(SponsorProfile, dict(id=self.ids(SponsorProfile, n_sp), user_id=uid[:n_sp], company_name=company,
                                         industry=industries[ind], website=web,
                                         yearly_budget_cents=budget.astype("int64"), description=desc))
        self.s_uid, self.s_company, self.s_industry = uid[:n_s], company, industries[ind]
        names = self._influencers(uid[n_sp:], first[n_sp:], last[n_sp:])
        self.signup = dict(uid=uid, role=role, status=status, created=created, name=company + names)
        for i in [*range(min(3, n_s)), n_s - n_fs, *range(n_s, min(n_sp, n_s + 3))]:
            self.logins.append((emails[i], "sponsor", status[i], company[i]))
        for j in [*range(min(N_FIXED, n_i)), n_i - n_fi]:
            self.logins.append((emails[n_sp + j], "influencer", status[n_sp + j], names[j]))

    def _influencers(self, uid, first, last) -> list[str]:
        rng, n = self.rng, len(uid)
        cats = _obj(CATEGORIES)
        w = np.array([D.CATEGORY_WEIGHTS[c] for c in CATEGORIES], dtype=float)
        cat = rng.choice(len(cats), n, p=w / w.sum())
        niche = [D.NICHES[cats[c]][i] for c, i in zip(cat, rng.integers(0, 5, n))]
        city = _pick(rng, D.CITIES, n)
        names, bios, hdl = D.influencer_texts(rng, first, last, cats[cat], niche, city)
        # 1-3 platforms without replacement, category-biased weights (Gumbel top-k); slot 0 is the main one
        bias = np.array([D.PLATFORM_BIAS.get(c, (1.0,) * 7) for c in CATEGORIES]) * D.PLATFORM_WEIGHTS
        order = np.argsort(np.log(rng.random((n, 7))) / bias[cat], axis=1)[:, ::-1][:, :3]
        valid = np.arange(3) < rng.choice([1, 2, 3], n, p=[0.45, 0.35, 0.20])[:, None]
        f0 = np.clip(rng.lognormal(np.log(25_000), 1.5, n), 300, 80e6)  # log-normal reach, median 25k
        fol = np.column_stack([f0, f0[:, None] * np.clip(rng.lognormal(np.log(0.25), 1.0, (n, 2)), 0.002, 3)])
        fol = np.maximum(np.round(fol), 50).astype("int64")
        er = np.round(np.clip(0.035 * (fol / 25_000) ** -0.12 * rng.lognormal(0, 0.35, (n, 3)), 0.005, 0.12), 4)
        inf_i, slot = np.nonzero(valid)
        f_flat, pid = fol[inf_i, slot], self.ids(InfluencerProfile, n)
        total = np.bincount(inf_i, weights=f_flat, minlength=n).astype("int64")
        avg_er = np.bincount(inf_i, weights=f_flat * er[inf_i, slot], minlength=n) / total
        price = np.clip(np.round(total / 1000 * self.u(5, 15, n) * np.sqrt(avg_er / 0.035) / 5) * 500, 2_500, 5_000_000)
        self.insert(InfluencerProfile, dict(
            id=pid, user_id=uid, display_name=names, category=cats[cat], niche=niche, bio=bios, location=city,
            asking_price_cents=np.where(rng.random(n) < 0.9, price.astype("int64"), None),
            total_followers=total, avg_engagement_rate=avg_er))
        self.insert(SocialAccount, dict(id=self.ids(SocialAccount, len(inf_i)), influencer_id=pid[inf_i],
                                        platform=_obj(D.PLATFORMS)[order[inf_i, slot]], handle=hdl[inf_i, slot],
                                        followers=f_flat, avg_engagement_rate=er[inf_i, slot]))
        self.i_uid, self.i_cat, self.i_price, self.i_plat = uid, cat, price, np.where(valid, order, -1)
        self.i_hdl, self.i_fol, self.i_er = hdl, fol, er
        # Hidden true quality (never stored): scales the realised like rate of the influencer's posts.
        # Its own stream, so adding it shifts no other seeded value (docs/recommendations.md).
        self.i_q = np.random.default_rng(self.rng_seed + QUALITY_STREAM).lognormal(0, QUALITY_SIGMA, n)
        return names

    # ---- campaigns (written after the requests: their committed total can raise a budget) -----
    def campaigns(self) -> None:
        rng, n, n_s = self.rng, self.sc.campaigns, self.sc.sponsors
        w = rng.lognormal(0, 1, n_s)
        owner = rng.choice(n_s, n, p=w / w.sum())
        n_fix = min(15, n) if n_s >= N_FIXED else 0  # sponsors 1-5: a running, an upcoming and a past campaign
        owner[:n_fix] = np.arange(n_fix) % N_FIXED
        start, dur = rng.integers(-200, 31, n), rng.integers(21, 151, n)
        start[:n_fix] = np.array([-45, 7, -170])[np.arange(n_fix) // 5] + rng.integers(-6, 7, n_fix)
        dur[:n_fix] = 90
        end, u = start + dur, rng.random(n)
        status = _obj(np.where(end < 0, np.where(u < 0.8, "completed", "archived"),
                               np.where(start > 0, np.where(u < 0.4, "draft", "active"),
                                        np.where(u < 0.85, "active", "paused"))))
        status[:n_fix][np.arange(n_fix) // 5 == 1] = "active"
        flagged = np.zeros(n, bool)
        cand = np.nonzero((status != "draft") & (np.arange(n) >= n_fix))[0]
        flagged[rng.choice(cand, min(len(cand), max(1, n // 100)), replace=False)] = True
        cat = _obj([D.INDUSTRIES[x][rng.integers(len(D.INDUSTRIES[x]))] if rng.random() < 0.75
                    else CATEGORIES[rng.integers(len(CATEGORIES))] for x in self.s_industry[owner]])
        brand = [self.s_company[o].split(" ")[0] for o in owner]
        texts = D.campaign_texts(rng, brand, cat, (self.today64 + start).astype("datetime64[M]").astype(int) % 12 + 1)
        budget = np.maximum(np.round(rng.lognormal(np.log(12_000), 0.9, n) / 500), 2) * 50_000
        created = np.minimum(start + self.today_rel - self.u(3, 30, n), -self.u(0.1, 10, n))
        end_rel = end + 1 + self.today_rel  # end of the last day
        updated = np.where(end_rel < 0, np.minimum(end_rel + self.u(0, 5, n), -0.01), created * self.u(0, 1, n))
        tv, has_t = np.round(budget / 100 * self.u(20, 80, n), -3), rng.random(n) < 0.75
        self.c = dict(owner=owner, start=start, end=end, end_rel=end_rel, status=status, cat=cat, created=created,
                      budget=budget.astype("int64"), brand=brand, **texts)
        self.c_cols = dict(
            id=self.ids(Campaign, n), sponsor_id=self.s_uid[owner], name=texts["name"],
            description=texts["description"], category=cat, goals=texts["goals"],
            niche=[D.NICHES[c][rng.integers(5)] if rng.random() < 0.6 else None for c in cat],
            target_views=np.where(has_t, tv.astype("int64"), None),
            target_engagements=np.where(has_t, (tv * self.u(0.02, 0.06, n)).astype("int64"), None),
            target_conversions=np.where(has_t, (tv * self.u(0.0005, 0.003, n)).astype("int64"), None),
            start_date=self.today64 + start, end_date=self.today64 + end, budget_cents=None,
            visibility=_obj(np.where(rng.random(n) < 0.7, "public", "private")), status=status,
            flagged=flagged, flag_reason=np.where(flagged, _pick(rng, D.CAMPAIGN_FLAGS, n), None), approved=True,
            created_by_id=self.s_uid[owner], created_at=self.ts(created), updated_at=self.ts(updated))

    # ---- ad requests and their offers -------------------------------------------------------
    def requests(self) -> None:
        rng, c, n, n_i = self.rng, self.c, self.sc.requests, self.sc.influencers
        st, inf = rng.choice(8, n, p=[STATUS_SHARE[x] for x in STATUSES]), rng.integers(0, n_i, n)
        forced = 40 if n >= 40 and n_i >= N_FIXED else 0  # influencers 1-5: one request in every status
        st[:forced], inf[:forced] = np.arange(forced) % 8, np.arange(forced) // 8
        live = np.isin(c["status"], ("active", "paused")) & (c["end_rel"] > 0)
        started, not_draft = c["start"] <= 0, c["status"] != "draft"
        elig = {PEND: live, NEG: live, ACC: live, INP: live & started, SUB: live & started,
                DONE: started & not_draft, REJ: not_draft, WDR: not_draft}
        cw = rng.lognormal(0, 0.7, len(c["owner"])) * np.where(c["owner"] < N_FIXED, 4, 1)
        camp = np.zeros(n, dtype=np.int64)
        for s, mask in elig.items():
            rows = np.nonzero(st == s)[0]
            pool = np.nonzero(mask if mask.any() else not_draft if not_draft.any() else np.ones_like(mask))[0]
            camp[rows] = rng.choice(pool, len(rows), p=cw[pool] / cw[pool].sum())
        # 70% go to an influencer of the campaign's category; one request per (campaign, influencer)
        cat_idx = np.array([CATEGORIES.index(x) for x in c["cat"]])[camp]
        by_cat, cnt = np.argsort(self.i_cat, kind="stable"), np.bincount(self.i_cat, minlength=len(CATEGORIES))
        first = np.concatenate([[0], np.cumsum(cnt)[:-1]])
        m = (rng.random(n) < 0.7) & (cnt[cat_idx] > 0) & (np.arange(n) >= forced)
        inf[m] = by_cat[first[cat_idx[m]] + (rng.random(m.sum()) * cnt[cat_idx[m]]).astype(int)]
        for _ in range(100):
            dup = np.ones(n, bool)
            dup[np.unique(camp * n_i + inf, return_index=True)[1]] = False
            if not dup.any():
                break
            inf[dup] = rng.integers(0, n_i, dup.sum())
        # timeline: each step takes a share of the time left until now, so nothing lands in the future
        lo, hi, uu = c["created"][camp], np.minimum(-0.001, c["end_rel"][camp]), rng.random(n)
        created = lo + (hi - lo) * np.where(np.isin(st, (INP, SUB, DONE)), uu ** 2, uu)
        t_acc = created + np.minimum(self.u(0.5, 10, n), -0.3 * created)
        t_dec = created + np.minimum(self.u(0.5, 14, n), -0.8 * created)
        t_neg = created + np.minimum(self.u(0.5, 10, n), -0.9 * created)
        sub1 = t_acc + np.minimum(self.u(3, 20, n), -0.6 * t_acc)
        done = sub1 + np.minimum(self.u(1, 10, n), -0.6 * sub1)
        sub2 = np.where(st == DONE, sub1 + (done - sub1) * self.u(0, 0.8, n), sub1 - sub1 * self.u(0, 0.3, n))
        planned = 1 + (rng.random(n) < 0.3)
        nd = np.where(np.isin(st, (SUB, DONE)), planned, np.where((st == INP) & (rng.random(n) < 0.25), 1, 0))
        t_end = np.select([st == PEND, st == NEG, np.isin(st, (REJ, WDR))], [created, t_neg, t_dec], t_acc)
        updated = np.select([st == SUB, st == DONE, (st == INP) & (nd > 0)],
                            [np.maximum(sub1, sub2), done, sub1], t_end)
        committed = np.isin(st, COMMITTED)
        # offers: 1-4, alternating from the initiator, converging around the influencer's asking price
        by_sp = rng.random(n) < 0.6
        n_off = np.select([st == PEND, st == NEG, np.isin(st, (REJ, WDR))],
                          [1, rng.integers(2, 5, n), rng.choice([1, 2, 3], n, p=[0.5, 0.3, 0.2])],
                          rng.choice([1, 2, 3, 4], n, p=[0.35, 0.35, 0.2, 0.1]))
        anchor = self.i_price[inf] * self.u(0.6, 1.3, n)
        a_lo, a_hi = anchor * self.u(0.7, 0.9, n), anchor * self.u(1.05, 1.3, n)
        r = np.repeat(np.arange(n), n_off)
        j = np.arange(len(r)) - np.repeat(np.cumsum(n_off) - n_off, n_off)
        o_sp = (j % 2 == 0) == by_sp[r]
        amount = (a_lo + a_hi)[r] / 2 + np.where(o_sp, -1, 1) * (a_hi - a_lo)[r] / 2 * (1 - j / n_off[r])
        amount = np.maximum(np.round(amount / 500), 1).astype("int64") * 500
        last = np.cumsum(n_off) - 1
        pay = amount[last]
        o_t = created[r] + (t_end - created)[r] * j / np.where(st == NEG, n_off - 1, n_off)[r]
        # each campaign's committed total stays within its budget
        spent = np.bincount(camp, weights=np.where(committed, pay, 0), minlength=len(c["budget"]))
        need = np.ceil(spent * self.u(1.05, 1.5, len(spent)) / 50_000).astype("int64") * 50_000
        self.c_cols["budget_cents"] = np.maximum(c["budget"], need)
        self.insert(Campaign, self.c_cols)
        sp_uid, in_uid, rid = self.s_uid[c["owner"][camp]], self.i_uid[inf], self.ids(AdRequest, n)
        deliv = D.deliverables_text(self.i_plat[inf], planned)
        names, brands, products = (_obj(c[k])[camp] for k in ("name", "brand", "product"))
        texts = D.request_texts(rng, by_sp, names, brands, products)
        flag = np.zeros(n, bool)
        flag[rng.choice(n, max(1, n // 400), replace=False)] = True
        self.insert(AdRequest, dict(
            id=rid, campaign_id=self.c_cols["id"][camp], influencer_id=in_uid, sponsor_id=sp_uid,
            initiated_by=_obj(np.where(by_sp, "sponsor", "influencer")), created_by_id=np.where(by_sp, sp_uid, in_uid),
            requirements=texts["requirements"], deliverables=deliv, message=texts["message"], payment_cents=pay,
            due_date=np.minimum(self.day(created + self.u(10, 40, n)), self.today64 + c["end"][camp]),
            status=_obj(STATUSES)[st],
            revision_note=np.where((st == INP) & (nd > 0), _pick(rng, D.REVISION_NOTES, n), None),
            flagged=flag, flag_reason=np.where(flag, _pick(rng, D.REQUEST_FLAGS, n), None),
            accepted_at=self.ts(np.where(committed, t_acc, np.nan)),
            completed_at=self.ts(np.where(st == DONE, done, np.nan)), created_at=self.ts(created),
            updated_at=self.ts(updated)))
        self.insert(Offer, dict(
            id=self.ids(Offer, len(r)), ad_request_id=rid[r], author_id=np.where(o_sp, sp_uid[r], in_uid[r]),
            author_role=_obj(np.where(o_sp, "sponsor", "influencer")), amount_cents=amount,
            terms=np.where(j == 0, deliv[r], _pick(rng, D.TERMS, len(r))),
            message=np.where(j == 0, _obj(texts["message"])[r], D.counter_messages(rng, o_sp)),
            created_at=self.ts(o_t)))
        self.r = dict(st=st, rid=rid, inf=inf, sp_uid=sp_uid, in_uid=in_uid, pay=pay, nd=nd, sub1=sub1, sub2=sub2,
                      t_acc=t_acc, done=done, updated=updated, names=names, last_sp=o_sp[last], by_sp=by_sp)

    # ---- payments, deliverables, metrics -----------------------------------------------------
    def payments(self) -> None:
        rng, r = self.rng, self.r
        st, pay, n = r["st"], r["pay"], len(r["st"])
        u = rng.random(n)
        full, split = (st == DONE) & (u < 0.63), (st == DONE) & (u >= 0.63) & (u < 0.9)
        deposit = np.select([st == SUB, st == INP, st == ACC], [u < 0.4, u < 0.3, u < 0.15], False) | split
        half = pay // 200 * 100
        early = r["t_acc"] + (r["sub1"] - r["t_acc"]) * self.u(0, 1, n)  # between acceptance and first post
        late = r["done"] - r["done"] * self.u(0, 0.5, n)  # after completion
        req = np.concatenate([np.nonzero(full)[0], np.nonzero(deposit)[0], np.nonzero(split)[0]])
        amt = np.concatenate([pay[full], half[deposit], (pay - half)[split]])
        when = np.concatenate([late[full], early[deposit], late[split]])
        o = np.lexsort((when, req))
        req, amt, when = req[o], amt[o], when[o]
        self.insert(Payment, dict(id=self.ids(Payment, len(req)), ad_request_id=r["rid"][req], amount_cents=amt,
                                  paid_on=self.day(when), reference=D.pay_references(rng, self.day(when)),
                                  recorded_by_id=r["sp_uid"][req], created_at=self.ts(when),
                                  **self._payment_answers(r["in_uid"][req], when)))

    def _payment_answers(self, influencer, when) -> dict:
        """The influencers' answers, from the dates alone (no draw: the tables after this one are unchanged):
        entries older than two weeks confirmed two days after they were recorded, the rest still recorded,
        and the two newest of those disputed (the demo's open disputes; none voided, so paid sums stay)."""
        n = len(when)
        confirmed = when < -14
        disputed = np.zeros(n, dtype=bool)
        disputed[np.flatnonzero(~confirmed)[np.argsort(-when[~confirmed], kind="stable")[:2]]] = True
        answered = confirmed | disputed
        state = np.where(confirmed, "confirmed", np.where(disputed, "disputed", "recorded"))
        reason = np.full(n, None, dtype=object)
        reason[disputed] = D.DISPUTE_REASONS[:int(disputed.sum())]
        return dict(state=_obj(state), dispute_reason=reason,
                    answered_by_id=np.where(answered, influencer.astype(object), None),
                    answered_at=self.ts(np.where(confirmed, np.minimum(when + 2, 0),
                                                 np.where(disputed, np.minimum(when + 0.25, 0), np.nan))))

    def deliverables(self) -> None:
        rng, r, nd = self.rng, self.r, self.r["nd"]
        req = np.repeat(np.arange(len(nd)), nd)
        j = np.arange(len(req)) - np.repeat(np.cumsum(nd) - nd, nd)
        inf = r["inf"][req]
        slot = np.where((j == 1) & (self.i_plat[inf, 1] >= 0), 1, 0)  # a second post goes to the 2nd platform
        plat, hdl = _obj(D.PLATFORMS)[self.i_plat[inf, slot]], self.i_hdl[inf, slot]
        sub, did = np.where(j == 0, r["sub1"][req], r["sub2"][req]), self.ids(Deliverable, len(req))
        self.insert(Deliverable, dict(id=did, ad_request_id=r["rid"][req], platform=plat,
                                      post_url=D.post_urls(rng, plat, hdl),
                                      note=_pick(rng, D.DELIVERABLE_NOTES, len(req)),
                                      submitted_at=self.ts(sub)))
        self.d = dict(id=did, req=req, fol=self.i_fol[inf, slot], er=self.i_er[inf, slot], sub=sub, q=self.i_q[inf])
        for statement in submissions.BACKFILL:  # each submission time's posts as one submission
            self.conn.exec_driver_sql(statement)

    def metrics(self) -> None:
        """Daily figures from the submission day up to today (at most 90 days), one provenance per post."""
        rng, d, r = self.rng, self.d, self.r
        sub_day = np.floor(d["sub"] - self.today_rel).astype("int64")  # <= 0: days before today
        ndays, keep = np.minimum(90, 1 - sub_day), np.arange(len(sub_day))
        if self.sc.max_snapshots is not None:  # a random subset of posts, up to the row budget
            perm = rng.permutation(len(ndays))
            keep = np.sort(perm[np.cumsum(ndays[perm]) <= self.sc.max_snapshots])
        n, req = len(keep), d["req"][keep]
        prov = rng.choice(3, n, p=[0.85, 0.10, 0.05])
        reporter = np.select([prov == 0, prov == 1], [r["in_uid"][req], r["sp_uid"][req]], -1)
        er = d["er"][keep] * d["q"][keep]  # the creator's reported rate x the hidden quality
        p = dict(views=d["fol"][keep] * np.clip(rng.lognormal(np.log(0.3), 0.7, n), 0.02, 3), tau=self.u(1.5, 8, n),
                 tail=self.u(0.002, 0.02, n), like=np.clip(er * self.u(0.8, 1.6, n), 0.003, 0.25),
                 com=self.u(0.02, 0.08, n), share=self.u(0.01, 0.1, n), save=self.u(0.02, 0.15, n),
                 ctr=self.u(0.002, 0.02, n), cvr=self.u(0.01, 0.08, n), aov=self.u(2_000, 15_000, n))
        t0, total, step = time.perf_counter(), 0, 2_000
        for a in range(0, n, step):
            g = np.arange(a, min(n, a + step))
            cnt = ndays[keep[g]]
            rep = np.repeat(g, cnt)
            k = np.arange(len(rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
            tau, m = p["tau"][rep], len(rep)  # views decay from the posting day, plus a small long tail
            mean = p["views"][rep] * ((1 - np.exp(-1 / tau)) * np.exp(-k / tau) + p["tail"][rep] / 30)
            views = rng.poisson(mean * rng.lognormal(0, 0.2, m))
            likes, clicks = rng.binomial(views, p["like"][rep]), rng.binomial(views, p["ctr"][rep])
            conv, day_rel = rng.binomial(clicks, p["cvr"][rep]), sub_day[keep[rep]] + k
            self.insert(MetricSnapshot, dict(
                id=self.ids(MetricSnapshot, m), deliverable_id=d["id"][keep[rep]], day=self.today64 + day_rel,
                provenance=_obj(D.PROVENANCE)[prov[rep]], views=views, likes=likes,
                comments=rng.binomial(likes, p["com"][rep]), shares=rng.binomial(likes, p["share"][rep]),
                saves=rng.binomial(likes, p["save"][rep]), clicks=clicks, conversions=conv,
                revenue_cents=np.round(conv * p["aov"][rep] * rng.lognormal(0, 0.3, m)).astype("int64"),
                reported_by_id=np.where(reporter[rep] >= 0, reporter[rep], None),
                updated_at=self.ts(np.minimum(day_rel + 1 + self.today_rel + self.u(0, 0.8, m), 0))), quiet=True)
            total += m
        self.log(f"  {'metricsnapshot':<17} {total:>10,} rows  {time.perf_counter() - t0:6.1f}s")

    def notifications_and_audit(self) -> None:
        """One notification per request (its latest event, to the other party) and a sign-up audit per user."""
        rng, r = self.rng, self.r
        st, n = r["st"], len(r["st"])
        to_sp = np.select([np.isin(st, (PEND, WDR)), st == NEG, np.isin(st, (ACC, REJ)), st == SUB],
                          [~r["by_sp"], ~r["last_sp"], r["last_sp"], True], False)
        kinds = [D.NOTIFY[s] for s in STATUSES]
        body = {int(x): f"Current terms: {format_cents(int(x))}" for x in np.unique(r["pay"])}
        read = np.where((r["updated"] < -1) & (rng.random(n) < 0.7),
                        r["updated"] + np.minimum(self.u(0.01, 2, n), -r["updated"]), np.nan)
        self.insert(Notification, dict(
            id=self.ids(Notification, n), user_id=np.where(to_sp, r["sp_uid"], r["in_uid"]),
            kind=_obj([k for k, _ in kinds])[st],
            title=[kinds[s][1].format(campaign=c)[:200] for s, c in zip(st, r["names"])],
            body=[body[x] for x in r["pay"].tolist()], created_at=self.ts(r["updated"]), read_at=self.ts(read),
            link=[D.REQUEST_LINK.format(role="sponsor" if s else "influencer", id=i) for s, i in zip(to_sp, r["rid"])]))
        s = self.signup
        summary = [f"sponsor {nm} signed up" + (" (pending)" if stt == "pending" else "") if ro == "sponsor"
                   else f"influencer {nm} signed up" for nm, ro, stt in zip(s["name"], s["role"], s["status"])]
        self.insert(AuditEvent, dict(id=self.ids(AuditEvent, len(s["uid"])), actor_id=s["uid"], actor_role=s["role"],
                                     action="user.signup", target_type="user", target_id=s["uid"], summary=summary,
                                     created_at=self.ts(s["created"])))


def seed(engine: Engine, scale: str | Scale = "demo", rng_seed: int = 42, now: datetime | None = None,
         *, log=None) -> dict:
    """Fill an empty, migrated database (check is_empty() first).

    Returns {"counts": {table: rows}, "logins": [(email, role, status, name)], "seconds": float};
    every seeded user's password is DEMO_PASSWORD. `log` (e.g. print) receives progress lines.
    """
    sc = scale if isinstance(scale, Scale) else SCALES[_scale_key(scale)]
    now = now or utcnow()
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)
    t0, log = time.perf_counter(), log or (lambda _msg: None)
    pw_hash = hash_password(DEMO_PASSWORD)
    with engine.begin() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA cache_size=-1048576")  # up to 1 GiB page cache for this load
        s = _Seeder(conn, sc, rng_seed, now, log)
        s.users(pw_hash)
        s.campaigns()
        s.requests()
        s.payments()
        s.deliverables()
        s.metrics()
        s.notifications_and_audit()
        if conn.dialect.name == "postgresql":  # ids were given explicitly: move the sequences past them
            for m in TABLES:
                t = m.__tablename__
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{t}\"', 'id'), "
                                     f"(SELECT MAX(id) FROM \"{t}\"))")
        t1 = time.perf_counter()
    t2 = time.perf_counter()
    with engine.connect() as conn:  # planner statistics and one-segment text indexes for the loaded tables
        if sqlite:
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")  # sampled: a full ANALYZE of a big file is slow
        conn.exec_driver_sql("ANALYZE")
        fulltext.optimize(conn)
        conn.commit()
    log(f"  commit {t2 - t1:.1f}s, analyze + optimize {time.perf_counter() - t2:.1f}s")
    return {"counts": s.w.counts, "logins": s.logins, "seconds": round(time.perf_counter() - t0, 1)}


def _scale_key(scale: str) -> str:
    key = {"demo": "demo", "s": "S", "l": "L"}.get(str(scale).strip().lower())
    if key is None:
        raise ValueError(f"unknown scale {scale!r}: use demo, S or L")
    return key


def format_report(result: dict) -> str:
    counts = result["counts"]
    lines = ["Rows inserted:", *(f"  {t:<17} {n:>10,}" for t, n in counts.items()),
             f"  {'total':<17} {sum(counts.values()):>10,}", f"Time: {result['seconds']:.1f}s", "",
             f"Demo logins (every seeded user's password is {DEMO_PASSWORD!r}):"]
    return "\n".join(lines + [f"  {e:<44} {ro:<11} {st:<8} {nm}" for e, ro, st, nm in result["logins"]])


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy.orm import Session

    from brandifiers.config import get_settings
    from brandifiers.db import get_engine

    ap = argparse.ArgumentParser(prog="python -m brandifiers.seed", description="Seed demo or benchmark data.")
    ap.add_argument("--scale", default="demo", type=str.lower, choices=("demo", "s", "l"),
                    help="demo (default), S (10x demo) or L (benchmark)")
    ap.add_argument("--db-url", help="SQLAlchemy URL (default: REFLEX_DB_URL, else sqlite:///brandifiers.db)")
    ap.add_argument("--seed", type=int, default=42, help="random seed: the same seed gives the same data")
    args = ap.parse_args(argv)
    engine = get_engine(args.db_url or get_settings().db_url)
    if not sa.inspect(engine).has_table("user"):
        print("The database has no tables: run the migrations first (reflex db migrate).", file=sys.stderr)
        return 1
    with Session(engine) as session:
        if not is_empty(session):
            print("The database already has sponsors or influencers: nothing seeded.")
            return 0
    url = engine.url.render_as_string(hide_password=True)
    print(f"Seeding scale {_scale_key(args.scale)} (seed {args.seed}) into {url}")
    print(format_report(seed(engine, args.scale, args.seed, log=print)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
