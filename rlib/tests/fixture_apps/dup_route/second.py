from rlib import Ctx, define_api


@define_api(name="thing_two", url="/thing")
async def thing_two(ctx: Ctx) -> None:
    """Second."""
