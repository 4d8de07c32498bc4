from rlib import Ctx, define_api


@define_api(name="thing_get", url="/thing/a")
async def thing_get(ctx: Ctx) -> None:
    """First."""
