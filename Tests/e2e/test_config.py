"""`owatch config`: settings read, set and checked."""


def test_config(office):
    assert office.ok("config", "get", "token.ttl").out == "90d\n"
    office.ok("config", "set", "token.ttl", "30d")
    assert office.ok("config", "get", "token.ttl", "--json").json() == {"key": "token.ttl", "value": "30d"}
    listed = {r["key"]: r for r in office.ok("config", "list", "--json").json()}
    assert listed["token.ttl"]["set"] is True and listed["busy_timeout"]["value"] == "5s"
    r = office.run("config", "set", "token.tll", "3d")
    assert r.rc == 64 and "did you mean 'token.ttl'" in r.err
    assert office.run("config", "set", "token.ttl", "forever").rc == 64
    office.ok("config", "unset", "token.ttl")
    assert office.ok("config", "get", "token.ttl").out == "90d\n"
    assert office.run("config", "set", "renewals.notify", "30d,7d,1d").rc == 0
    assert office.ok("config", "get", "renewals.notify").out == "30d,7d,1d\n"
