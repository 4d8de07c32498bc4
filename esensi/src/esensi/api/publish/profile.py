"""The author's own profile, and whether the caller is an author."""

from __future__ import annotations

from esensi.api.publish._bank import guard_bank_change
from esensi.api.publish.profile_schemas import AuthorCheck, AuthorOwnView, AuthorUpdate
from esensi.api.publish.schemas import AuthorDetail, AuthorProfile, NoInput
from esensi.models.author import Author
from esensi.services import authors, profiles
from rlib import Ctx, define_api
from rlib.auth.errors import ReauthRequiredError
from rlib.auth.users import current_user, require_profile
from rlib.errors import StaleVersionError


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


@define_api(
    name="author_update",
    url="/author/update",
    auth={"author"},
    errors=(ReauthRequiredError, StaleVersionError),
)
async def author_update(ctx: Ctx, payload: AuthorUpdate) -> AuthorOwnView:
    """Own name, biography, social links, avatar; bank fields need a recent sign-in."""
    author = require_profile(ctx, "author")
    changes = payload.changes()
    guard_bank_change(ctx, changes)
    found = await profiles.update_own(ctx, Author, author, changes, version=payload.version)
    return AuthorOwnView.of(found)


@define_api(name="check_author", url="/check-author", methods=("GET", "POST"), auth="any")
async def check_author(ctx: Ctx, payload: NoInput) -> AuthorCheck:
    """Whether the signed-in caller has an author profile (never another user's)."""
    author = current_user(ctx).profile_id("author")
    return AuthorCheck(is_author=author is not None, id_author=author)
