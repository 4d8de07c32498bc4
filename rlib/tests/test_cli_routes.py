"""``routes --json`` and ``routes --missing`` on a fixture app."""

import json

import typer
from typer.testing import CliRunner

from rlib import HostsConfig, Registry
from rlib.cli import MissingRows, add_routes_command, routes_json
from rlib.endpoint import define_api
from rlib.registry import Domain

runner = CliRunner()


def _registry() -> Registry:
    return Registry().discover("fixture_apps.shop")


def _cli(missing: MissingRows | None = None) -> typer.Typer:
    cli = typer.Typer()
    add_routes_command(cli, _registry, HostsConfig, missing=missing)

    @cli.command("noop")  # typer runs a lone command as the app itself
    def noop() -> None: ...

    return cli


def test_json_lists_each_endpoint_once_with_its_aliases_and_auth():
    async def handler(ctx: object) -> None: ...

    registry = Registry()
    domain = Domain(name="shop", prefix="/api/shop", auth=frozenset({"customer"}))
    endpoint = define_api(
        name="thing_get",
        url="/thing/{id}",
        methods=("GET",),
        handler=handler,
        aliases=("/thing/get",),
        routes=(("/thing/{id}/show", ("POST",)),),
    )
    registry.add(domain, [endpoint])
    assert routes_json(registry, HostsConfig()) == [
        {
            "domain": "shop",
            "name": "thing_get",
            "url": "/api/shop/thing/{id}",
            "methods": ["GET"],
            "aliases": [
                {"url": "/api/shop/thing/get", "methods": ["GET"]},
                {"url": "/api/shop/thing/{id}/show", "methods": ["POST"]},
            ],
            "auth": ["customer"],
            "host": None,
        }
    ]


def test_routes_json_command_covers_the_whole_registry():
    result = runner.invoke(_cli(), ["routes", "--json"])
    assert result.exit_code == 0, result.output
    listed = {(e["domain"], e["name"]) for e in json.loads(result.output)}
    assert listed == {(d.name, e.name) for d, e in _registry().all()}


def test_missing_prints_what_the_table_lacks_per_domain():
    def lacking(registry: Registry) -> dict[str, list[tuple[str, str]]]:
        assert "item_list" in registry.endpoints["shop"]
        return {"shop": [("item_sell", "/api/shop/item/sell")]}

    cli = _cli(missing=lacking)
    text = runner.invoke(cli, ["routes", "--missing"])
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[0] == "shop (1 names)"
    assert "item_sell" in text.output
    as_json = runner.invoke(cli, ["routes", "--missing", "--json"])
    assert json.loads(as_json.output) == {
        "shop": [{"name": "item_sell", "url": "/api/shop/item/sell"}]
    }


def test_missing_says_so_when_nothing_is_missing():
    cli = _cli(missing=lambda registry: {})
    assert runner.invoke(cli, ["routes", "--missing"]).output == (
        "every row of the endpoint table is registered\n"
    )
    assert json.loads(runner.invoke(cli, ["routes", "--missing", "--json"]).output) == {}


def test_missing_without_a_table_is_a_usage_error():
    result = runner.invoke(_cli(), ["routes", "--missing"])
    assert result.exit_code == 2
