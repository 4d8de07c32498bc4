"""The scenarios: which apps run, the rotation of requests, and the targets.

A request is logical (page, filter, search, count strategy, or a create body); each app
renders it into its own URL, since FastCRUD names its parameters differently.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote, urlencode

from bench import contract, data

LIST_APPS = ("H", "O", "F", "P")


@dataclass(frozen=True, slots=True)
class ListQuery:
    page: int
    category: str | None = None
    search: str | None = None
    count: str = "exact"


@dataclass(frozen=True, slots=True)
class GetQuery:
    """Scenario b: one product by id, as the user of ``token`` (None: no header)."""

    product_id: int
    token: str | None

    @property
    def headers(self) -> dict[str, str]:
        return {} if self.token is None else {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True, slots=True)
class Scenario:
    """One row of the results table."""

    name: str
    title: str
    apps: tuple[str, ...]
    method: str = "GET"
    requests: tuple[object, ...] = ()
    targets: dict[str, float] = field(default_factory=dict)
    pending: str | None = None  # why the slot cannot run yet
    fixed_rate: bool = False  # also measure latency at a fixed rate (half of H's rps)
    ceiling: bool = False  # also run pgbench with H's exact SQL (PostgreSQL's own ceiling)
    same_plan: bool = False  # EXPLAIN H's and O's rows and count statements before timing
    url: str = "/products"  # where a POST goes
    expect_status: int | None = None  # the only answer counted as success (None: 2xx/3xx)
    # Database settings for this scenario only (ALTER DATABASE, the apps restarted under them).
    db_settings: tuple[tuple[str, str], ...] = ()
    duration_s: float | None = None  # a shorter measured run than the suite's (budget)


def render(app: str, query: ListQuery | GetQuery) -> str:
    """The URL of ``query`` for ``app`` (P speaks FastCRUD's parameter names)."""
    if isinstance(query, GetQuery):
        return f"{contract.MEMBER_PRODUCTS}/{query.product_id}"
    if app == "P":
        params: list[tuple[str, str]] = [
            ("page", str(query.page)),
            ("itemsPerPage", str(contract.PAGE_LIMIT)),
            ("sort", "-published_at,-id"),
        ]
        if query.category is not None:
            params.append(("category", query.category))
        if query.search is not None:
            params.append(("name__ilike", f"%{query.search}%"))
        return "/products?" + urlencode(params, quote_via=quote)
    ours: list[tuple[str, str]] = [("page", str(query.page))]
    if query.category is not None:
        ours.append(("category", query.category))
    if query.search is not None:
        ours.append(("search", query.search))
    ours.append(("include", "author"))
    if query.count != "exact":
        ours.append(("count", query.count))
    return "/products?" + urlencode(ours)


def _shuffled(items: list[object], seed: int) -> tuple[object, ...]:
    random.Random(seed).shuffle(items)
    return tuple(items)


def create_bodies(scale: data.Scale, count: int = 64) -> tuple[object, ...]:
    """Valid create bodies; names are unique per body so stored rows can be told apart."""
    rng = random.Random(data.SEED + 7)
    return tuple(
        {
            "name": f"Bench {i} {rng.choice(data.WORDS)}",
            "description": " ".join(rng.choice(data.WORDS) for _ in range(8)),
            "price": str(Decimal(rng.randint(100, 900_000)) / 100),
            "category": rng.choice(data.CATEGORIES),
            "status": rng.choice(contract.STATUSES),
            "author_id": rng.randint(1, scale.authors),
        }
        for i in range(count)
    )


def member_gets(scale: data.Scale, count: int = 1_000) -> tuple[object, ...]:
    """Live products paired with the handed-out tokens, both rotating."""
    live = [row[0] for row in data.products(scale) if row[8] is None]
    ids = random.Random(data.SEED + 11).sample(live, min(count, len(live)))
    tokens = [data.raw_token(user_id) for user_id in range(1, scale.tokens_out + 1)]
    return tuple(GetQuery(product_id, tokens[i % len(tokens)]) for i, product_id in enumerate(ids))


def refused_gets(scale: data.Scale, count: int = 1_000) -> tuple[object, ...]:
    """b's products with tokens that look real but have no session: the 401 path."""
    gets = member_gets(scale, count)
    unknown = range(scale.users + 1, scale.users + 1 + scale.tokens_out)
    return tuple(
        GetQuery(q.product_id, data.raw_token(unknown[i % len(unknown)]))
        for i, q in enumerate(gets)
        if isinstance(q, GetQuery)
    )


# Scenarios without a target (a1-all-*, b_401) and c's variants run 4 s instead of 8, to keep
# `make bench` within 15 minutes.
VARIANT_S = 4.0
C_TARGETS = {"cpu_o_over_h": 0.80, "cpu_o_over_f": 2.0, "cpu_o_over_p": 3.0, "o_over_h": 0.70}
ASYNC_COMMIT = (("synchronous_commit", "off"),)


INVALID_BODY = {
    "name": "",
    "price": "1.505",
    "category": "cat-99",
    "status": "sold",
    "author_id": 0,
}


def _pages(scale: data.Scale, rows: int) -> int:
    # Stay within the pages every filter value really has.
    return max(1, min(10, rows // contract.PAGE_LIMIT))


def build(scale: data.Scale) -> list[Scenario]:
    """Every scenario in run order (reads first: the create scenario adds rows)."""
    per_category = scale.products // data.CATEGORY_COUNT
    a1 = [
        ListQuery(page=p, category=c)
        for c in data.CATEGORIES
        for p in range(1, _pages(scale, per_category) + 1)
    ]
    whole = [ListQuery(page=p) for p in range(1, 51)]
    per_term = max(1, scale.products // 40)
    a2 = [
        ListQuery(page=p, search=t)
        for t in data.SEARCH_TERMS
        for p in range(1, min(5, _pages(scale, per_term)) + 1)
    ]
    return [
        Scenario(
            "a1",
            "list 20 + include, category filter",
            LIST_APPS,
            requests=_shuffled(list(a1), 1),
            targets={"cpu_o_over_h": 0.70, "cpu_o_over_f": 3.0, "cpu_o_over_p": 4.0},
            fixed_rate=True,
            ceiling=True,
        ),
        # The a1-all variants show the crud handler's count strategies: H and O only (F and P
        # add nothing there that a1 does not show, and the 15-minute budget is tight).
        Scenario(
            "a1-all-exact",
            "whole table, exact count",
            ("H", "O"),
            requests=_shuffled(list(whole), 2),
            duration_s=VARIANT_S,
        ),
        Scenario(
            "a1-all-none",
            "whole table, no count",
            ("H", "O"),
            requests=_shuffled([ListQuery(page=q.page, count="none") for q in whole], 3),
            duration_s=VARIANT_S,
        ),
        Scenario(
            "a1-all-estimated",
            "whole table, estimated count",
            ("H", "O"),  # F and P have no planner-estimate strategy
            requests=_shuffled([ListQuery(page=q.page, count="estimated") for q in whole], 5),
            duration_s=VARIANT_S,
        ),
        Scenario(
            "a2",
            "list + trigram search",
            LIST_APPS,
            requests=_shuffled(list(a2), 4),
            targets={"cpu_o_over_h": 0.75, "cpu_o_over_f": 2.5},
            fixed_rate=True,
            ceiling=True,
            same_plan=True,
        ),
        Scenario(
            "b",
            "authenticated get, session lookup",
            LIST_APPS,
            requests=member_gets(scale),
            fixed_rate=True,
        ),
        Scenario(
            "b_401",
            "authenticated get, unknown token: 401",
            LIST_APPS,
            requests=refused_gets(scale),
            expect_status=401,
            duration_s=VARIANT_S,
        ),
        Scenario(
            "c",
            "create with validation in a transaction",
            LIST_APPS,
            method="POST",
            requests=create_bodies(scale),
            targets=C_TARGETS,
            fixed_rate=True,
        ),
        Scenario(
            "c_outbox",
            "create + one queued mail (outbox row) in the same transaction",
            LIST_APPS,
            method="POST",
            requests=create_bodies(scale),
            url=contract.MAILED_PRODUCTS,
            targets={"c_outbox_over_c": 0.90},  # O: no more than 10% slower than its c
            duration_s=VARIANT_S,
        ),
        # Last: the apps restart with the database's synchronous_commit off (fsync stays on).
        Scenario(
            "c_async_commit",
            "create, synchronous_commit=off",
            LIST_APPS,
            method="POST",
            requests=create_bodies(scale),
            db_settings=ASYNC_COMMIT,
            duration_s=VARIANT_S,
        ),
    ]


def select(scenarios: list[Scenario], only: str | None) -> list[Scenario]:
    """``ONLY=a1,c`` keeps the scenarios of those names, in run order."""
    if not only:
        return scenarios
    wanted = {name.strip() for name in only.split(",")}
    return [s for s in scenarios if s.name in wanted]
