"""The Redis cache keeps one client per server: building one per operation cost more than the round trip."""

from apex.redis_cache import RedisCacheClient


def test_the_redis_client_is_built_once_per_server():
    client = RedisCacheClient(["redis://127.0.0.1:6379/0"])
    first = client.get_client("a")
    assert client.get_client("b") is first
    assert client.get_client("c", write=True) is first
    assert first.connection_pool is client.get_client().connection_pool


def test_several_redis_servers_each_get_their_own_client():
    client = RedisCacheClient(["redis://127.0.0.1:6379/0", "redis://127.0.0.1:6380/0"])
    writer = client.get_client(write=True)
    reader = client.get_client()  # reads go to the replicas
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["port"] == 6379
    assert reader.connection_pool.connection_kwargs["port"] == 6380
    assert client.get_client() is reader
