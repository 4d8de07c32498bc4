import pytest

from rlib import HostsConfig, Registry, RegistryError
from rlib.registry import Domain


def test_discovery_collects_every_endpoint_of_every_module():
    registry = Registry().discover("fixture_apps.shop")
    names = {endpoint.name for _, endpoint in registry.all()}
    assert {"item_create", "item_list", "item_get", "effect_run", "effect_crash"} <= names


def test_duplicate_name_in_a_domain_names_both_modules():
    with pytest.raises(RegistryError) as caught:
        Registry().discover("fixture_apps.dup_name")
    message = str(caught.value)
    assert "thing_get" in message
    assert "fixture_apps.dup_name.first" in message
    assert "fixture_apps.dup_name.second" in message


def test_duplicate_url_and_method_names_both_modules():
    registry = Registry().discover("fixture_apps.dup_route")
    with pytest.raises(RegistryError) as caught:
        registry.mount(HostsConfig())
    message = str(caught.value)
    assert "POST /dup/thing" in message
    assert "fixture_apps.dup_route.first" in message
    assert "fixture_apps.dup_route.second" in message


def test_package_without_domain_is_refused():
    with pytest.raises(RegistryError, match="does not define"):
        Registry().discover("fixture_apps")


def test_domain_default_access_applies_unless_the_endpoint_declares_its_own():
    registry = Registry().discover("fixture_apps.shop")
    routes = {route.endpoint.name: route for route in registry.routes(HostsConfig())}
    assert routes["item_create"].access.public
    assert routes["item_mine"].access.user_types == frozenset({"customer"})


def test_hosted_domains_answer_only_on_their_host_and_others_everywhere():
    hosted = Domain(name="main", host_key="main", auth=frozenset({"public"}))
    unhosted = Domain(
        name="shop", prefix="/api/shop", unhosted_prefix="/x", auth=frozenset({"public"})
    )
    registry = Registry()
    source = Registry().discover("fixture_apps.shop")
    registry.add(hosted, [source.endpoints["shop"]["item_list"]])
    registry.add(unhosted, [source.endpoints["shop"]["item_create"]])
    router = registry.mount(HostsConfig(hosts={"store.example": "main"}))
    assert router.match("main", "GET", "/item/list") is not None
    assert router.match(None, "GET", "/item/list") is None
    assert router.match(None, "POST", "/api/shop/item/create") is not None
    router = Registry()
    router.add(unhosted, [source.endpoints["shop"]["item_create"]])
    mounted = router.mount(HostsConfig())
    assert mounted.match(None, "POST", "/x/api/shop/item/create") is not None
