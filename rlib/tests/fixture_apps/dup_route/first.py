from rlib import Ctx, define_api


@define_api(name="thing_one", url="/thing")
async def thing_one(ctx: Ctx) -> None:
    """First."""
