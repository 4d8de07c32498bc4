"""``<type>_search`` and ``<type>_stats`` for the five profile types (spec/endpoints.md §5):
search by text, ``has`` relation filters and login, sorted by a column or a count; stats of
one profile (counts and sums) or of the whole type. SQL aggregates, a fixed statement count."""

from __future__ import annotations

from typing import Any

from esensi.api.internal.people import PEOPLE_STAFF, STAFF_KEEPERS
from esensi.api.internal.people_schemas import (
    PeopleSearch,
    PeopleStatsQuery,
    ProfileStats,
    TypeStats,
)
from esensi.services import people, people_search
from rlib import Ctx, NotFoundError, Page, ValidationError, define_api
from rlib.endpoint import Endpoint


def _search_of(payload: PeopleSearch) -> people_search.Search:
    start = payload.offset if payload.offset is not None else (payload.page - 1) * payload.limit
    return people_search.Search(
        query=payload.query,
        has=payload.has,
        has_account=payload.has_account,
        sort_by=payload.sort_by,
        sort_order=payload.sort_order,
        start=start,
        limit=payload.limit,
    )


def _family(name: str, auth: tuple[str, ...]) -> tuple[Endpoint, Endpoint]:
    kind = people.KINDS[name]

    async def search(ctx: Ctx, payload: PeopleSearch) -> Page[dict[str, Any]]:
        return await people_search.search(ctx, kind, _search_of(payload))

    async def stats(ctx: Ctx, payload: PeopleStatsQuery) -> ProfileStats | TypeStats:
        if payload.id is not None:
            return ProfileStats.model_validate(await people.profile_stats(ctx, kind, payload.id))
        return TypeStats.model_validate(await people_search.type_stats(ctx, kind))

    search.__annotations__ = {"ctx": Ctx, "payload": PeopleSearch, "return": Page[dict[str, Any]]}
    stats.__annotations__ = {
        "ctx": Ctx,
        "payload": PeopleStatsQuery,
        "return": ProfileStats | TypeStats,
    }
    search.__doc__ = f"{name}: search by text, relations and login; sort by a column or a count."
    stats.__doc__ = f"{name}: one profile's counts and sums (with id), else the whole type's."
    common: dict[str, Any] = {"methods": ("GET", "POST"), "auth": auth}
    return (
        define_api(
            name=f"{name}_search",
            url=f"/{name}/search",
            handler=search,
            errors=(ValidationError,),
            **common,
        ),
        define_api(
            name=f"{name}_stats",
            url=f"/{name}/stats",
            handler=stats,
            errors=(NotFoundError,),
            **common,
        ),
    )


affiliate_search, affiliate_stats = _family("affiliate", PEOPLE_STAFF)
author_search, author_stats = _family("author", PEOPLE_STAFF)
customer_search, customer_stats = _family("customer", PEOPLE_STAFF)
internal_search, internal_stats = _family("internal", STAFF_KEEPERS)
publisher_search, publisher_stats = _family("publisher", PEOPLE_STAFF)
