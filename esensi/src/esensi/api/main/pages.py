"""Static pages edited by staff in cfg (``page.<name>``): about, contact, FAQ, terms..."""

from __future__ import annotations

from esensi.api.main.schemas import NoInput, PageContent
from esensi.services import config
from rlib import Ctx, Endpoint, NotFoundError, define_api
from rlib.httpcache import PUBLIC_PAGE

# endpoint name -> URL; the cfg key is ``page.<name>``.
PAGES = {
    "about": "/about",
    "contact": "/contact",
    "disclaimer": "/disclaimer",
    "esensi": "/esensi",
    "faq": "/faq",
    "howtobuy": "/how-to-buy",
    "privacypolicy": "/privacy-policy",
    "tos": "/tos",
    "terbitan": "/terbitan",
}


def _page(name: str, url: str) -> Endpoint:
    async def page(ctx: Ctx, payload: NoInput) -> PageContent:
        value = await config.public_value(ctx, f"page.{name}")
        if value is None:
            raise NotFoundError("resource.page")
        return PageContent(key=value.key, content=value.content)

    page.__doc__ = f"The {name} page (cfg page.{name})."
    return define_api(
        name=name,
        url=url,
        methods=("GET", "POST"),
        auth="public",
        handler=page,
        cache=PUBLIC_PAGE,
        page=True,
    )


about, contact, disclaimer, esensi, faq, howtobuy, privacypolicy, tos, terbitan = (
    _page(name, url) for name, url in PAGES.items()
)
