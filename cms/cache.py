"""Django's Redis cache backend, with one Redis client per connection pool.

Django's client makes a new ``redis.Redis`` object for every cache call (``get_client``); each
one builds its table of ~200 response callbacks, ~0.2 ms of CPU. A form submission makes about
five cache calls (rate limit, inbox counts, the site generation), the page cache one per hit.
A ``redis.Redis`` object holds no connection of its own (the pool does) and may be shared, so
this backend keeps one per pool.

``count(key, timeout)`` adds one to a counter that lives ``timeout`` seconds from its first
count, in one round trip (Django's ``add`` then ``incr`` take three once the counter exists:
SET NX, EXISTS, INCRBY). The submission rate limit (forms.ratelimit) uses it when the cache has it.
Everything else is Django's.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this object: ids are stable
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def count(self, key, timeout):
        pipeline = self.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=timeout, nx=True)  # the window starts with the first count
        pipeline.incr(key)
        return pipeline.execute()[1]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    def count(self, key, timeout, version=None):
        """This counter plus one, as a number; it expires ``timeout`` seconds after its first count."""
        key = self.make_and_validate_key(key, version=version)
        return self._cache.count(key, int(timeout))
