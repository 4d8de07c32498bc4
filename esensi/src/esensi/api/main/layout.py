"""Layout data: the header (logo, search placeholder, category menu) and the footer."""

from __future__ import annotations

from esensi.api.main.schemas import HeaderData, NoInput, PageContent
from esensi.models.taxonomy import Category
from esensi.services import config, taxonomy
from rlib import Ctx, NotFoundError, define_api
from rlib.httpcache import PUBLIC_PAGE

DEFAULT_PLACEHOLDER = "Cari buku, penulis, atau kategori"


@define_api(
    name="header", url="/api/header", methods=("GET", "POST"), auth="public", cache=PUBLIC_PAGE
)
async def header(ctx: Ctx, payload: NoInput) -> HeaderData:
    """Logo, search placeholder and the category menu (three levels, one query)."""
    settings = await config.public_value(ctx, "header")
    values = settings.content if settings and isinstance(settings.content, dict) else {}
    nodes = await taxonomy.tree(ctx, Category, depth=3)
    return HeaderData.model_validate(
        {
            "logo": values.get("logo"),
            "search_placeholder": values.get("search_placeholder") or DEFAULT_PLACEHOLDER,
            "categories": nodes,
        },
        from_attributes=True,
    )


@define_api(
    name="footer", url="/api/footer", methods=("GET", "POST"), auth="public", cache=PUBLIC_PAGE
)
async def footer(ctx: Ctx, payload: NoInput) -> PageContent:
    """The footer's links and texts (cfg ``footer``)."""
    value = await config.public_value(ctx, "footer")
    if value is None:
        raise NotFoundError("resource.footer")
    return PageContent(key=value.key, content=value.content)
