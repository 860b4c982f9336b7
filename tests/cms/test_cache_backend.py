"""cms.cache.RedisCache (production's cache) against the machine's Redis: Django's behaviour,
with one client object per connection pool instead of one per call."""

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from cms.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture
def redis_cache():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"})
    yield backend
    backend.clear()


def test_the_portal_backend_is_djangos_with_a_reused_client(redis_cache):
    assert isinstance(redis_cache, DjangoRedisCache)
    assert redis_cache._cache.get_client(write=True) is redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)  # one server


def test_calls_behave_as_djangos(redis_cache):
    assert redis_cache.add("count", 1, timeout=60)
    assert not redis_cache.add("count", 5, timeout=60)
    assert redis_cache.incr("count") == 2
    redis_cache.set("answer", {"code": "000.20.79.H29-261128-0001"}, timeout=60)
    assert redis_cache.get("answer") == {"code": "000.20.79.H29-261128-0001"}
    with pytest.raises(ValueError):
        redis_cache.incr("missing")
    redis_cache.delete("answer")
    assert redis_cache.get("answer", "gone") == "gone"


def test_count_adds_one_in_a_window_that_starts_with_the_first_count(redis_cache):
    assert [redis_cache.count("rl", 60) for _ in range(3)] == [1, 2, 3]
    assert redis_cache.get("rl") == 3  # an ordinary number for Django's calls too
    client = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_and_validate_key("rl")
    assert 0 < client.ttl(key) <= 60
    client.expire(key, 5)
    redis_cache.count("rl", 60)
    assert client.ttl(key) <= 5  # later counts do not stretch the window


def test_the_submission_rate_limit_counts_in_redis(redis_cache, monkeypatch, rf):
    from forms import ratelimit

    monkeypatch.setattr(ratelimit, "cache", redis_cache)
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    limited = [ratelimit.is_rate_limited(request, rate=(2, 600)) for _ in range(3)]
    assert limited == [False, False, True]
    other = rf.post("/", REMOTE_ADDR="203.0.113.10")
    assert not ratelimit.is_rate_limited(other, rate=(2, 600))
