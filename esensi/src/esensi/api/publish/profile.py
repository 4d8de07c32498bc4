"""The author's own profile."""

from __future__ import annotations

from esensi.api.publish.schemas import AuthorDetail, AuthorProfile, NoInput
from esensi.services import authors
from rlib import Ctx, define_api
from rlib.auth.users import require_profile


@define_api(name="author_detail", url="/author/detail", methods=("GET", "POST"), auth={"author"})
async def author_detail(ctx: Ctx, payload: NoInput) -> AuthorDetail:
    """Own author profile with counts and the last ten books, products and bundles."""
    found = await authors.summary(ctx, require_profile(ctx, "author"))
    return AuthorDetail.model_validate(
        {
            "author": AuthorProfile.model_validate(found.author),
            "counts": found.counts,
            "recent": {kind: [dict(row) for row in rows] for kind, rows in found.recent.items()},
        }
    )
