import uuid

from rlib.routing import Match, Router, WrongMethod


def _router() -> Router[str]:
    router: Router[str] = Router()
    router.add(None, "GET", "/book/{id:uuid}", "by_id")
    router.add(None, "GET", "/book/new", "new")
    router.add(None, "GET", "/book/{slug}", "by_slug")
    router.add(None, "GET", "/browse/{page:int}", "browse")
    router.add(None, "POST", "/book/{id:uuid}", "update")
    router.add(None, "GET", "/file/{rest:path}", "file")
    return router


def test_static_segment_wins_over_parameters():
    found = _router().match(None, "GET", "/book/new")
    assert isinstance(found, Match)
    assert found.target == "new"


def test_typed_parameter_converts_and_never_swallows_a_word():
    router = _router()
    book_id = uuid.uuid4()
    found = router.match(None, "GET", f"/book/{book_id}")
    assert isinstance(found, Match)
    assert (found.target, found.params) == ("by_id", {"id": book_id})
    found = router.match(None, "GET", "/book/laskar-pelangi")
    assert isinstance(found, Match)
    assert (found.target, found.params) == ("by_slug", {"slug": "laskar-pelangi"})
    assert router.match(None, "GET", "/browse/abc") is None
    found = router.match(None, "GET", "/browse/2")
    assert isinstance(found, Match)
    assert found.params == {"page": 2}


def test_other_method_is_reported_with_the_allowed_ones():
    found = _router().match(None, "DELETE", f"/book/{uuid.uuid4()}")
    assert isinstance(found, WrongMethod)
    assert found.allowed == ("GET", "POST")


def test_path_parameter_takes_the_rest_and_trailing_slash_is_ignored():
    router = _router()
    found = router.match(None, "GET", "/file/2025/01/a.webp")
    assert isinstance(found, Match)
    assert found.params == {"rest": "2025/01/a.webp"}
    assert isinstance(router.match(None, "GET", "/book/new/"), Match)


def test_host_routes_come_before_host_less_ones():
    router: Router[str] = Router()
    router.add("chapter", "GET", "/browse", "chapter")
    router.add(None, "GET", "/browse", "main")
    assert router.match("chapter", "GET", "/browse") == Match("chapter", {})
    assert router.match("main", "GET", "/browse") == Match("main", {})


def test_a_static_path_is_never_read_as_a_parameter_by_another_method():
    router: Router[str] = Router()
    router.add(None, "GET", "/book/{id}", "get")
    router.add(None, "DELETE", "/book/{id}", "delete")
    router.add(None, "POST", "/book/create", "create")
    found = router.match(None, "GET", "/book/create")
    assert isinstance(found, WrongMethod)
    assert found.allowed == ("POST",)
    assert isinstance(router.match(None, "DELETE", "/book/create"), WrongMethod)
    assert router.match(None, "GET", "/book/other") == Match("get", {"id": "other"})


def test_a_host_less_static_path_does_not_hide_a_host_route():
    router: Router[str] = Router()
    router.add("main", "GET", "/page/{slug}", "page")
    router.add(None, "POST", "/page/health", "health")
    assert router.match("main", "GET", "/page/health") == Match("page", {"slug": "health"})
