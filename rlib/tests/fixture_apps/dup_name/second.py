from rlib import Ctx, define_api


@define_api(name="thing_get", url="/thing/b")
async def thing_get(ctx: Ctx) -> None:
    """Second."""
