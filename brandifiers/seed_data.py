"""Name and text pools of brandifiers.seed (the bulk writer is seed_load.py): Faker fills small pools
once, since it is slow per call; the generator draws from them by index. Design: docs/seed.md."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from faker import Faker

from brandifiers.models.enums import Platform, Provenance

# (Faker locale, share of people). Cities come from CITIES below (Faker's are made up).
LOCALES = (("en_US", 0.42), ("en_GB", 0.12), ("en_IN", 0.12), ("es_ES", 0.07), ("de_DE", 0.07),
           ("fr_FR", 0.07), ("pt_BR", 0.08), ("it_IT", 0.05))
CITIES = (
    "New York, USA", "Los Angeles, USA", "Chicago, USA", "Austin, USA", "Miami, USA", "Seattle, USA",
    "Atlanta, USA", "Denver, USA", "Nashville, USA", "Portland, USA", "San Diego, USA", "Boston, USA",
    "Toronto, Canada", "Vancouver, Canada", "Montreal, Canada", "London, UK", "Manchester, UK",
    "Edinburgh, UK", "Bristol, UK", "Dublin, Ireland", "Paris, France", "Lyon, France",
    "Berlin, Germany", "Munich, Germany", "Hamburg, Germany", "Madrid, Spain", "Barcelona, Spain",
    "Lisbon, Portugal", "Milan, Italy", "Rome, Italy", "Amsterdam, Netherlands", "Stockholm, Sweden",
    "Copenhagen, Denmark", "Mumbai, India", "Bengaluru, India", "Delhi, India", "Hyderabad, India",
    "Sao Paulo, Brazil", "Rio de Janeiro, Brazil", "Mexico City, Mexico", "Buenos Aires, Argentina",
    "Sydney, Australia", "Melbourne, Australia", "Auckland, New Zealand", "Singapore, Singapore",
    "Tokyo, Japan", "Seoul, South Korea", "Dubai, UAE", "Cape Town, South Africa", "Lagos, Nigeria",
)
PLATFORMS = tuple(p.value for p in Platform)  # instagram tiktok youtube x twitch linkedin facebook
PLATFORM_WEIGHTS = np.array([0.30, 0.25, 0.18, 0.09, 0.06, 0.05, 0.07])
# Category -> platform weight multipliers (same order as PLATFORMS); others use 1.0.
PLATFORM_BIAS = {
    "Gaming": (0.6, 1.0, 2.0, 1.0, 6.0, 0.1, 0.5), "Technology": (0.7, 0.8, 2.5, 2.0, 1.0, 3.0, 0.5),
    "Finance": (0.6, 0.8, 2.0, 2.5, 0.2, 5.0, 0.8), "Education": (0.8, 1.0, 2.5, 1.0, 0.5, 3.0, 1.0),
    "Beauty": (1.6, 1.6, 1.4, 0.3, 0.1, 0.1, 0.8), "Fashion": (1.8, 1.5, 1.0, 0.4, 0.1, 0.2, 0.8),
    "Music": (1.0, 1.6, 2.0, 0.8, 1.5, 0.1, 0.6), "Parenting": (1.4, 0.9, 1.0, 0.4, 0.1, 0.3, 2.5),
}
CATEGORY_WEIGHTS = {"Beauty": 10, "Fashion": 10, "Fitness": 9, "Food": 9, "Gaming": 8, "Lifestyle": 10,
                    "Music": 5, "Parenting": 5, "Pets": 4, "Sports": 6, "Technology": 8, "Travel": 7,
                    "Education": 3, "Finance": 3, "Home": 3}
NICHES = {
    "Beauty": ("Skincare", "Makeup tutorials", "Clean beauty", "Haircare", "Nail art"),
    "Fashion": ("Streetwear", "Sustainable fashion", "Plus-size style", "Luxury", "Thrift hauls"),
    "Fitness": ("Strength training", "Yoga", "Running", "Home workouts", "CrossFit"),
    "Food": ("Vegan recipes", "Baking", "Street food", "Meal prep", "Coffee"),
    "Gaming": ("FPS", "Speedrunning", "Indie games", "Mobile gaming", "Esports"),
    "Lifestyle": ("Minimalism", "Productivity", "Vanlife", "Wellness", "Day in the life"),
    "Music": ("Indie pop", "Hip-hop", "Guitar covers", "Music production", "DJ sets"),
    "Parenting": ("New parents", "Homeschooling", "Family travel", "Toddler activities", "Dad life"),
    "Pets": ("Dog training", "Cats", "Exotic pets", "Pet nutrition", "Rescue animals"),
    "Sports": ("Football", "Basketball", "Cycling", "Climbing", "Tennis"),
    "Technology": ("Smartphones", "PC builds", "Smart home", "AI tools", "Photography gear"),
    "Travel": ("Budget travel", "Luxury hotels", "Backpacking", "Road trips", "City guides"),
    "Education": ("Study tips", "Language learning", "Science explainers", "Coding", "History"),
    "Finance": ("Personal finance", "Investing", "Crypto", "Side hustles", "Budgeting"),
    "Home": ("Interior design", "DIY", "Gardening", "Organisation", "Renovation"),
}
PRODUCTS = {
    "Beauty": ("Glow Serum", "Lip Tint", "SPF Moisturiser", "Night Cream", "Brow Gel"),
    "Fashion": ("Denim Line", "Sneaker Drop", "Capsule Collection", "Rain Jacket", "Linen Edit"),
    "Fitness": ("Protein Bar", "Resistance Bands", "Smart Bottle", "Training App", "Gym Tights"),
    "Food": ("Oat Milk", "Hot Sauce", "Meal Kit", "Cold Brew", "Granola"),
    "Gaming": ("Wireless Headset", "Mechanical Keyboard", "Energy Drink", "Game Launch", "Controller"),
    "Lifestyle": ("Planner", "Scented Candle", "Travel Mug", "Sleep Mask", "Journal App"),
    "Music": ("Earbuds", "Streaming Plan", "Studio Mic", "Festival Tickets", "Vinyl Reissue"),
    "Parenting": ("Baby Carrier", "Kids Snacks", "Learning Tablet", "Stroller", "Diaper Subscription"),
    "Pets": ("Grain-free Kibble", "Dog Harness", "Cat Tree", "Pet Camera", "Dental Chews"),
    "Sports": ("Running Shoe", "Recovery Gun", "Sports Drink", "Smartwatch", "Cycling Kit"),
    "Technology": ("Smartphone", "Laptop", "VPN", "Smart Speaker", "Camera Lens"),
    "Travel": ("Carry-on Case", "Booking App", "eSIM Plan", "Boutique Hotels", "Travel Insurance"),
    "Education": ("Language App", "Online Course", "Note-taking App", "Coding Bootcamp", "E-reader"),
    "Finance": ("Budgeting App", "Credit Card", "Investing App", "Savings Account", "Tax Software"),
    "Home": ("Robot Vacuum", "Air Purifier", "Cookware Set", "Smart Bulbs", "Plant Subscription"),
}
INDUSTRIES = {  # industry -> categories its campaigns usually target
    "Cosmetics & Skincare": ("Beauty", "Lifestyle", "Fashion"), "Apparel": ("Fashion", "Lifestyle", "Sports"),
    "Sportswear": ("Fitness", "Sports", "Fashion"), "Food & Beverage": ("Food", "Lifestyle", "Fitness"),
    "Consumer Electronics": ("Technology", "Gaming", "Music"), "Video Games": ("Gaming", "Technology"),
    "Travel & Hospitality": ("Travel", "Lifestyle", "Food"), "Fintech": ("Finance", "Technology", "Education"),
    "EdTech": ("Education", "Technology", "Parenting"), "Pet Care": ("Pets", "Lifestyle", "Home"),
    "Home & Garden": ("Home", "Lifestyle", "Parenting"), "Health & Wellness": ("Fitness", "Lifestyle", "Food"),
    "Music & Audio": ("Music", "Technology", "Lifestyle"), "Baby & Kids": ("Parenting", "Home", "Food"),
    "Software & SaaS": ("Technology", "Education", "Finance"),
}
BRAND_HEADS = ("Bloom", "North", "Lumen", "Terra", "Nova", "Kind", "Peak", "Hale", "Wild", "Brightly",
               "Oak", "Juniper", "Sol", "Fable", "Cobalt", "Mint", "Aster", "Ember", "Harbor", "Velvet")
BRAND_TAILS = ("well", "field", "ly", "wave", "lab", "craft", "nest", "path", "spring", "house")
COMPANY_SUFFIXES = ("", " Group", " Studio", " Labs", " Collective", " Co.", " Brands", " Digital", " Goods",
                    " International", " Works", " & Co.", " Ventures", " Supply", " Partners", " Holdings")
SEASONS = {1: "New Year", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Summer Kick-off", 6: "Summer", 7: "Summer",
           8: "Back-to-School", 9: "Fall", 10: "Fall", 11: "Black Friday", 12: "Holiday"}
CAMPAIGN_NAMES = ("{product} {season} Launch", "{season} {product} Drop", "{brand} x Creators: {product}",
                  "#{tag} Challenge", "{product} Real Reviews", "{season} with {brand}", "Meet the {product}",
                  "{brand} {product} Ambassadors", "{product} Unboxing Week", "{brand} {season} Push")
CAMPAIGN_DESCS = (
    "{brand} is launching the {product} and wants authentic {category_l} creators to show it in daily life.",
    "We are looking for {category_l} creators to review the {product} honestly: what works, what doesn't.",
    "A {season_l} push for the {product}. Creators get the product early plus a fee per deliverable.",
    "{brand} wants short-form content that shows the {product} in action, with a clear call to action.",
    "Help us introduce the {product} to new audiences; tutorials and before/after formats welcome.",
)
GOALS = ("Awareness: reach new {category_l} audiences", "Drive sign-ups with a tracked link",
         "Sales: promo code conversions during the {season_l} window", "Product reviews and UGC for ads",
         "Grow followers on our brand account", "Launch buzz: views in the first two weeks",
         "Traffic to the {product} landing page", "App installs from creator links")
BIOS = ("{niche} creator from {city}. Honest reviews, no fluff.", "Sharing {niche_l} tips every week | {city}",
        "{category} | {niche} | collabs: DM or email", "Making {niche_l} simple. Based in {city}.",
        "Full-time creator. {niche} stories, tutorials and behind the scenes.",
        "{city} -> the world. {category}, {niche_l} and a lot of coffee.",
        "Ex-{job}, now creating {niche_l} content for a curious community.")
JOBS = ("teacher", "nurse", "engineer", "chef", "designer", "accountant", "barista", "photographer")
DISPLAY_TEMPLATES = ("{full}", "{full}", "{full}", "{first} {last_i}.", "{first} Creates", "{first} on {niche}",
                     "The {last} Life", "{first}'s {category} Diary")
DELIVERABLE_TEXT = {
    "instagram": "1 Instagram Reel (30-60s) + 3 Stories with link sticker", "tiktok": "1 TikTok video (30-60s)",
    "youtube": "1 YouTube integration (60-90s) in a main video", "x": "1 X thread (5 posts) with link",
    "twitch": "1 sponsored Twitch stream segment (15 min) + chat command", "facebook": "1 Facebook post + 1 Reel",
    "linkedin": "1 LinkedIn post with carousel",
}
REQUIREMENTS = ("Mention {brand} in the first 5 seconds; use #ad and tag our account.",
                "Show the {product} in use; no competitor products in frame. Draft review before posting.",
                "Include the tracked link and promo code; keep the post up for at least 30 days.",
                "Natural tone, your own words. Must disclose the partnership per FTC/ASA rules.",
                "Post within the campaign window; share the raw footage for paid usage (30 days).")
SPONSOR_MSGS = ("Hi! We love your content and think you'd be a great fit for our {product} campaign.",
                "Hello, we'd like to work with you on {campaign}. Let us know what you think!",
                "Your audience matches what we're looking for. Interested in a paid collaboration?")
INFLUENCER_MSGS = ("Hi! I'd love to be part of {campaign}; my audience asks about products like this.",
                   "I've used {brand} before and would love to create content for this campaign.",
                   "Hello! Attaching my rates; happy to adapt the format to your goals.")
COUNTER_MSGS = {"sponsor": ("Our budget is a bit tighter; could this work?", "Can we meet in the middle?",
                            "We can add free product on top of this fee.", "Final offer from our side."),
                "influencer": ("My usual rate for this format is a bit higher.", "Happy with this if usage is 30 days.",
                               "Could we do this with one less Story?", "Counter-offer: includes raw footage.")}
TERMS = ("", "", "Usage rights: 30 days organic", "Usage rights: 90 days paid + organic", "Net 30 payment",
         "50% upfront, 50% on completion", "Exclusivity: 14 days in category")
REVISION_NOTES = ("Please add the promo code on screen.", "The #ad disclosure is missing; please re-post.",
                  "Could you reshoot the intro? The product is not visible.", "Link in the Story is broken.")
DELIVERABLE_NOTES = ("", "", "Posted as agreed.", "Stats screenshot attached in DM.", "Link sticker added.",
                     "Cross-posted to Stories too.")
USER_FLAGS = ("Reported for fake followers", "Several chargebacks reported", "Spam messages to creators",
              "Impersonation report under review")
CAMPAIGN_FLAGS = ("Misleading health claims", "Reported by several creators", "Prohibited product category")
REQUEST_FLAGS = ("Payment outside the platform requested", "Abusive message reported")
PAY_REFS = ("INV-{y}-{n:05d}", "TX{n:08d}", "PO-{n:06d}", "Wire {y}/{n:04d}", "")


def slug(text: str, sep: str = "") -> str:
    """ASCII, lower-case, only [a-z0-9] joined by sep ('' for handles/e-mails, '-' for domains)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return sep.join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "user"


INDUSTRY_BLURBS = {
    "Cosmetics & Skincare": "skincare and make-up for sensitive skin", "Apparel": "everyday clothing made to last",
    "Sportswear": "performance gear for runners and gym-goers",
    "Food & Beverage": "snacks and drinks with short labels", "Consumer Electronics": "audio gear and smart gadgets",
    "Video Games": "indie and mid-size games for PC and console",
    "Travel & Hospitality": "boutique stays and travel booking", "Fintech": "money apps for budgeting and saving",
    "EdTech": "online courses and learning apps", "Pet Care": "food and accessories for dogs and cats",
    "Home & Garden": "furniture, decor and garden tools", "Health & Wellness": "supplements and wellness routines",
    "Music & Audio": "instruments, headphones and music software", "Baby & Kids": "gear and snacks for young families",
    "Software & SaaS": "productivity software for small teams",
}
SPONSOR_EXTRAS = ("Founded in {year}.", "Ships to 30+ countries.", "Certified B Corp.", "Family-owned since {year}.",
                  "We work with creators of every size.", "Loved by {k},000+ customers.", "")


@dataclass
class Pools:
    first: np.ndarray
    last: np.ndarray
    companies: list[str]  # unique


def build_pools(seed: int, n_people: int, n_companies: int) -> Pools:
    """Deterministic Faker pools (one Faker per locale, each seeded from `seed`)."""
    first: list[str] = []
    last: list[str] = []
    for k, (loc, share) in enumerate(LOCALES):
        fake = Faker(loc)
        fake.seed_instance(seed * 101 + k)
        for _ in range(max(1, round(n_people * share))):
            first.append(fake.first_name())
            last.append(fake.last_name().split(" ")[0])
    fake = Faker("en_US")
    fake.seed_instance(seed * 101 + 99)
    rng = np.random.default_rng(seed + 7)
    made = [h + t for h in BRAND_HEADS for t in BRAND_TAILS]
    made = [made[i] for i in rng.permutation(len(made))]
    faker_names = list(dict.fromkeys(fake.company().replace(",", "") for _ in range(n_companies)))
    companies = [x for pair in zip(made, faker_names) for x in pair] + made[len(faker_names):] + faker_names[len(made):]
    order = np.random.default_rng(seed + 3).permutation(len(first))  # mix the locales
    return Pools(np.array(first, dtype=object)[order], np.array(last, dtype=object)[order],
                 list(dict.fromkeys(companies)))


def company_names(pools: Pools, n: int) -> list[str]:
    """n unique company names: the pool, then the pool again with suffixes, then numbered."""
    c, k = pools.companies, len(COMPANY_SUFFIXES)
    return [c[i % len(c)] + COMPANY_SUFFIXES[(i // len(c)) % k]
            + (f" {i // (len(c) * k) + 1}" if i >= len(c) * k else "") for i in range(n)]


def sponsor_texts(rng, companies, industries) -> tuple[list, list]:
    """(descriptions, websites) for sponsor profiles."""
    extras = rng.integers(0, len(SPONSOR_EXTRAS), len(companies))
    desc = [f"{c} makes {INDUSTRY_BLURBS[ind]}. " + SPONSOR_EXTRAS[e].format(year=1990 + i % 34, k=5 + i % 90)
            for i, (c, ind, e) in enumerate(zip(companies, industries, extras))]
    web = [None if r < 0.15 else f"https://www.{slug(c, '-')}.example"
           for c, r in zip(companies, rng.random(len(companies)))]
    return [d.strip() for d in desc], web


def influencer_texts(rng, first, last, categories, niches, cities) -> tuple[list, list, np.ndarray]:
    """(display names, bios, handles[n, 3]) for influencer profiles (one handle per platform slot)."""
    n = len(first)
    names, bios, handles = [], [], []
    for i, (f, la, c, ni, ci, t, b, h) in enumerate(zip(
            first, last, categories, niches, cities, rng.integers(0, len(DISPLAY_TEMPLATES), n),
            rng.integers(0, len(BIOS), n), rng.integers(0, 5, n))):
        kw = dict(first=f, last=la, full=f"{f} {la}", last_i=la[:1], niche=ni, niche_l=ni.lower(), category=c,
                  category_l=c.lower(), city=ci.split(",")[0], job=JOBS[i % len(JOBS)])
        names.append(DISPLAY_TEMPLATES[t].format(**kw)[:80])
        bios.append(BIOS[b].format(**kw))
        fs, ls = slug(f), slug(la)
        handles.append([fs + ls, f"{fs}.{ls}", "the" + fs + ls, fs + slug(ni)[:10], f"{fs}{ls}{i % 100}"][h][:30])
    suffix = np.asarray(("", "", "", "tv", "official", "_", "hq", "live"), dtype=object)[rng.integers(0, 8, (n, 2))]
    return names, bios, np.array([[h, h + s1, h + s2] for h, (s1, s2) in zip(handles, suffix)], dtype=object)


def campaign_texts(rng, brands, categories, months) -> dict[str, list]:
    """name, description, goals and product per campaign."""
    out: dict[str, list] = {"name": [], "description": [], "goals": [], "product": []}
    for brand, c, month in zip(brands, categories, months):
        product = PRODUCTS[c][rng.integers(len(PRODUCTS[c]))]
        season = SEASONS[month]
        kw = dict(brand=brand, product=product, season=season, season_l=season.lower(), category_l=c.lower(),
                  tag=brand + product.replace(" ", "").replace("-", ""))
        out["name"].append(CAMPAIGN_NAMES[rng.integers(len(CAMPAIGN_NAMES))].format(**kw)[:120])
        out["description"].append(CAMPAIGN_DESCS[rng.integers(len(CAMPAIGN_DESCS))].format(**kw))
        out["goals"].append(GOALS[rng.integers(len(GOALS))].format(**kw))
        out["product"].append(product)
    return out


def user_emails(first, last, companies, n_active: int, n_pending: int, n_flag_s: int, n_flag_i: int, rng,
                demo_domain: str, n_fixed: int) -> list[str]:
    """Unique lower-case e-mails: memorable demo ones (sponsor1@, pending-sponsor1@, flagged-...) and
    realistic ones on reserved domains, made unique by the user's index."""
    n_sp, n_u = n_active + n_pending, len(first)
    tld = np.asarray(("com", "net", "org"), dtype=object)[rng.integers(0, 3, n_u)]
    out = []
    for i in range(n_u):
        j = i - n_sp
        if i < n_sp:
            fixed = (f"sponsor{i + 1}" if i < n_fixed else f"pending-sponsor{i - n_active + 1}" if i >= n_active
                     else f"flagged-sponsor{i - n_active + n_flag_s + 1}" if i >= n_active - n_flag_s else None)
            domain = slug(companies[i], "-") + ".example"
        else:
            fixed = (f"influencer{j + 1}" if j < n_fixed else f"flagged-influencer{i - n_u + n_flag_i + 1}"
                     if i >= n_u - n_flag_i else None)
            domain = "example." + tld[i]
        out.append(f"{fixed}@{demo_domain}" if fixed else f"{slug(first[i])}.{slug(last[i])}.{i}@{domain}")
    return out


def request_texts(rng, by_sponsor, names, brands, products) -> dict[str, list]:
    """requirements and the opening message of each ad request."""
    req = rng.integers(0, len(REQUIREMENTS), len(names))
    msg = rng.integers(0, 3, len(names))
    return {"requirements": [REQUIREMENTS[k].format(brand=b, product=p) for k, b, p in zip(req, brands, products)],
            "message": [(SPONSOR_MSGS if s else INFLUENCER_MSGS)[m].format(campaign=c, brand=b, product=p)
                        for s, m, c, b, p in zip(by_sponsor, msg, names, brands, products)]}


def deliverables_text(plat: np.ndarray, planned: np.ndarray) -> np.ndarray:
    """What the request asks for, from the influencer's platforms (indices into PLATFORMS, -1 = none)."""
    text = np.array([DELIVERABLE_TEXT[p] for p in PLATFORMS], dtype=object)
    two = np.where(plat[:, 1] >= 0, text[plat[:, 0]] + " + " + text[np.maximum(plat[:, 1], 0)],
                   text[plat[:, 0]] + " (x2)")
    return np.where(planned == 1, text[plat[:, 0]], two)


def counter_messages(rng, by_sponsor: np.ndarray) -> np.ndarray:
    k = rng.integers(0, 4, len(by_sponsor))
    return np.where(by_sponsor, np.array(COUNTER_MSGS["sponsor"], dtype=object)[k],
                    np.array(COUNTER_MSGS["influencer"], dtype=object)[k])


def pay_references(rng, days) -> list[str]:
    k = rng.integers(0, len(PAY_REFS), len(days))
    return [PAY_REFS[j].format(y=str(d)[:4], n=i + 1) for i, (j, d) in enumerate(zip(k, days))]


def post_urls(rng, platforms, handles) -> list[str]:
    return [post_url(p, h, int(x)) for p, h, x in zip(platforms, handles, rng.integers(0, 2**62, len(handles)))]


def post_url(platform: str, handle: str, n: int) -> str:
    """A plausible (fake) post URL for the platform; n is a random 62-bit integer."""
    code = np.base_repr(n, 36).lower()
    return {
        "instagram": f"https://www.instagram.com/p/{code[:11]}/",
        "tiktok": f"https://www.tiktok.com/@{handle}/video/{n % 10**19}",
        "youtube": f"https://www.youtube.com/watch?v={code[:11]}",
        "x": f"https://x.com/{handle}/status/{n % 10**19}",
        "twitch": f"https://www.twitch.tv/videos/{n % 10**10}",
        "linkedin": f"https://www.linkedin.com/posts/{handle}_activity-{n % 10**19}",
        "facebook": f"https://www.facebook.com/{handle}/posts/{n % 10**16}",
    }[platform]


# Notifications: (kind, title template); recipient chosen in seed.py. Links are the app's request pages.
NOTIFY = {
    "pending": ("adrequest.new", "New ad request: {campaign}"),
    "negotiating": ("adrequest.offer", "New counter-offer on {campaign}"),
    "accepted": ("adrequest.accepted", "Offer accepted: {campaign}"),
    "rejected": ("adrequest.rejected", "Ad request declined: {campaign}"),
    "withdrawn": ("adrequest.withdrawn", "Ad request withdrawn: {campaign}"),
    "in_progress": ("adrequest.in_progress", "Work started on {campaign}"),
    "submitted": ("deliverable.submitted", "Deliverable submitted for {campaign}"),
    "completed": ("adrequest.completed", "Collaboration completed: {campaign}"),
}
REQUEST_LINK = "/{role}/requests/{id}"
PROVENANCE = tuple(p.value for p in Provenance)  # creator-reported, csv-import, platform-api
DISPUTE_REASONS = ("Nothing has arrived in my account yet; the bank reference does not match any transfer.",
                   "I received less than this entry says: only part of the amount reached me.")
