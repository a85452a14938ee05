"""Django's Redis cache, keeping its Redis client.

Django's RedisCacheClient builds a new `redis.Redis` around its connection pool for every
cache call; building one costs about 66 µs of CPU here, as much as the GET it sends. The check-in's
token-failure limiter, every cached session and every rate limit pay it. A client is only a
handle on the pool (it holds no connection), so one per pool serves every call; the caches
themselves are already one per thread."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
