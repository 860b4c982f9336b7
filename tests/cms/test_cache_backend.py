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
