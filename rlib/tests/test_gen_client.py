"""gen's files: registry.ts, the TypeScript client, deterministic output and ``gen --check``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from pydantic import BaseModel
from test_gen_openapi import fixture_registry
from typer.testing import CliRunner

from rlib import Ctx, Registry, define_api
from rlib.cli import add_gen_command
from rlib.config import GenConfig
from rlib.gen.check import generate, stale, write
from rlib.registry import Domain

CONFIG = GenConfig(title="fixture", package="@fixture/client")


def test_output_is_deterministic_and_complete():
    first = generate(fixture_registry(), CONFIG)
    assert first == generate(fixture_registry(), CONFIG)
    assert sorted(first) == [
        "openapi.json",
        "package.json",
        "registry.ts",
        "src/client.ts",
        "src/index.ts",
        "src/operations.ts",
        "src/runtime.ts",
        "src/types.ts",
        "tsconfig.json",
    ]
    package = json.loads(first["package.json"])
    assert package["name"] == "@fixture/client"
    assert package["devDependencies"] == {"typescript": CONFIG.typescript}


def test_registry_has_the_seed_shape_and_names_the_client_function():
    text = generate(fixture_registry(), CONFIG)["registry.ts"]
    assert "export const backendApi = {" in text
    assert (
        '    item_list: ["/api/shop/item/list"], '
        "// client.shop.itemList · shop.item_list · GET/POST" in text
    )
    assert '    sign_in_email: ["/api/auth/sign-in/email"], // client.auth.signInEmail' in text
    assert '    health: ["/api/health", "/api/check"], // client.root.health' in text


def test_client_has_one_function_per_endpoint_and_crud_groups():
    files = generate(fixture_registry(), CONFIG)
    client = files["src/client.ts"]
    assert (
        "    itemList: (\n      input?: T.ItemQuery, init?: CallInit,\n"
        "    ): Promise<Paged<T.ItemOut>> =>" in client
    )
    assert '      call(config, operations["shop.item_get"], input, init),' in client
    # The dispatcher carries its actions: client.library.novel.list(...) and novel({action}).
    assert "    novel: Object.assign(f.novel, { " in client
    assert "list: f.novelList" in client
    assert "    shop: shopApi(config)," in client
    operations = files["src/operations.ts"]
    assert (
        '"shop.item_get": {"id": "shop.item_get", "method": "GET", '
        '"path": "/api/shop/item/{id:uuid}"' in operations
    )
    assert '"shop.item_list": {"id": "shop.item_list", "method": "POST"' in operations
    assert (
        '  "shop.item_mine": "bad_request" | "forbidden" | "internal_error" | "not_found" | '
        '"payload_too_large" | "unauthenticated" | "unique_violation" | '
        '"unsupported_media_type" | "validation_error";'
    ) in operations


class Shout(BaseModel):
    text: str


async def _echo(ctx: Ctx, payload: Shout) -> Shout:
    return payload


def test_a_new_endpoint_shows_up_in_every_output():
    registry = fixture_registry()
    registry.add(
        Domain(name="extra", prefix="/api/extra", auth=frozenset({"public"})),
        [define_api(name="echo_say", url="/echo/say", handler=_echo)],
    )
    files = generate(registry, CONFIG)
    assert '"operationId": "extra.echo_say"' in files["openapi.json"]
    assert 'echo_say: ["/api/extra/echo/say"], // client.extra.echoSay' in files["registry.ts"]
    assert (
        "    echoSay: (\n      input: T.Shout, init?: CallInit,\n    ): Promise<T.Shout> =>"
        in files["src/client.ts"]
    )


def test_check_names_each_stale_file(tmp_path: Path):
    files = generate(fixture_registry(), CONFIG)
    write(tmp_path, files)
    assert stale(tmp_path, files) == []
    (tmp_path / "registry.ts").write_text("// edited by hand\n")
    (tmp_path / "src" / "types.ts").unlink()
    assert stale(tmp_path, files) == [tmp_path / "registry.ts", tmp_path / "src/types.ts"]


def test_the_gen_command_writes_then_checks(tmp_path: Path):
    cli = typer.Typer()
    add_gen_command(cli, fixture_registry, lambda: CONFIG)
    cli.command("noop")(lambda: None)  # a second command keeps typer from flattening `gen`
    runner = CliRunner()
    out = str(tmp_path / "client")
    written = runner.invoke(cli, ["gen", "--out", out])
    assert written.exit_code == 0, written.output
    assert "9 of 9 files written" in written.output
    assert runner.invoke(cli, ["gen", "--check", "--out", out]).exit_code == 0
    (tmp_path / "client" / "openapi.json").write_text("{}\n")
    checked = runner.invoke(cli, ["gen", "--check", "--out", out])
    assert checked.exit_code == 1
    assert "openapi.json" in checked.output
    assert "make gen" in checked.output


def test_an_empty_registry_still_gives_a_valid_package():
    files = generate(Registry(), CONFIG)
    assert json.loads(files["openapi.json"])["paths"] == {}
