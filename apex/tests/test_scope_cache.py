"""Per-account caches: one round trip when cached, never a value from an older generation."""

from unittest import mock

import pytest
from django.core.cache import cache

from apex.caching import cached_in_scopes, cached_in_scopes_many, invalidate_scopes


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _counting(values: list[str]):
    calls: list[str] = []

    def compute(name: str):
        def run():
            calls.append(name)
            return values.pop(0)

        return run

    return calls, compute


def test_a_cached_value_comes_with_its_generations_in_one_get_many():
    calls, compute = _counting(["tracks-1", "cars-1"])
    computes = {"tracks": compute("tracks"), "cars": compute("cars")}
    assert cached_in_scopes_many(["owner:1", "racer:2"], computes) == {"tracks": "tracks-1", "cars": "cars-1"}
    with (
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
        mock.patch.object(cache, "add", wraps=cache.add) as add,
        mock.patch.object(cache, "set_many", wraps=cache.set_many) as set_many,
    ):
        assert cached_in_scopes_many(["owner:1", "racer:2"], computes) == {
            "tracks": "tracks-1",
            "cars": "cars-1",
        }
    assert get_many.call_count == 1
    assert not add.called and not set_many.called
    assert calls == ["tracks", "cars"]


def test_retiring_either_scope_computes_again():
    calls, compute = _counting(["a", "b", "c"])
    assert cached_in_scopes(["owner:1", "racer:2"], "x", compute("x")) == "a"
    invalidate_scopes("racer:2")
    assert cached_in_scopes(["owner:1", "racer:2"], "x", compute("x")) == "b"
    invalidate_scopes("owner:1")
    assert cached_in_scopes(["owner:1", "racer:2"], "x", compute("x")) == "c"
    assert cached_in_scopes(["owner:1", "racer:2"], "x", compute("x")) == "c"
    assert calls == ["x", "x", "x"]


def test_a_value_computed_under_an_older_generation_is_never_served():
    """A slow request stores what it read before a write: the next reader computes again."""
    assert cached_in_scopes(["owner:1"], "x", lambda: "before") == "before"

    def slow() -> str:
        invalidate_scopes("owner:1")  # a write commits while this request computes
        return "stale"

    invalidate_scopes("owner:1")
    assert cached_in_scopes(["owner:1"], "x", slow) == "stale"  # this request's own answer
    assert cached_in_scopes(["owner:1"], "x", lambda: "after") == "after"
    assert cached_in_scopes(["owner:1"], "x", lambda: "again") == "after"


def test_an_evicted_generation_starts_again_from_a_new_number():
    assert cached_in_scopes(["owner:1"], "x", lambda: "first") == "first"
    cache.delete("apex:scope-generation:owner:1")
    assert cached_in_scopes(["owner:1"], "x", lambda: "second") == "second"


def test_other_scopes_keep_their_values():
    assert cached_in_scopes(["owner:1"], "x", lambda: "one") == "one"
    assert cached_in_scopes(["owner:2"], "x", lambda: "two") == "two"
    invalidate_scopes("owner:2")
    assert cached_in_scopes(["owner:1"], "x", lambda: "recomputed") == "one"
