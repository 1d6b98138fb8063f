"""GET /v1/escalation, /v1/measures, /v1/measures/{id}/chain and /impact, /v1/timeline."""

RARE_EARTH = "measure:cn-2025-10-09-rare-earth-export-controls"
SOFTWARE = "measure:us-2025-10-23-software-export-controls"
TARIFF = "measure:us-2025-11-01-tariff-155"


def test_escalation_between_the_us_and_china(client):
    answer = client.get("/v1/escalation", params={"a": "美国", "b": "中国"}).json()
    order = [m["entity"]["id"] for m in answer["data"]]
    assert order.index(RARE_EARTH) < order.index(SOFTWARE) < len(order)
    assert order.index(RARE_EARTH) < order.index(TARIFF)
    measures = {m["entity"]["id"]: m for m in answer["data"]}
    assert measures[RARE_EARTH]["date"] == "2025-10-09" and measures[RARE_EARTH]["side"] == "b"
    assert measures[TARIFF]["measure"]["effective"] == "2025-11-01"
    assert measures[TARIFF]["measure"]["rate"] == 155 and measures[TARIFF]["measure"]["previous_rate"] == 100
    assert measures[SOFTWARE]["retaliates_against"] == [RARE_EARTH]
    link = answer["links"][0]
    assert (link["source"], link["target"]) == (SOFTWARE, RARE_EARTH) and link["evidence"]
    assert [RARE_EARTH, SOFTWARE] in answer["chains"]
    # same measure type (export_control): the threat scores lower than the measure in force
    assert measures[SOFTWARE]["measure"]["measure_type"] == measures[RARE_EARTH]["measure"]["measure_type"]
    assert measures[SOFTWARE]["intensity"] < measures[RARE_EARTH]["intensity"]
    index = [p["index"] for p in answer["index"]]
    assert index == sorted(index) and answer["summary"]["index"] == index[-1]
    assert [p["date"] for p in answer["index"]] == sorted(p["date"] for p in answer["index"])


def test_escalation_window_and_symmetry(client):
    window = client.get("/v1/escalation", params={"a": "US", "b": "CN", "since": "2025-10-20"}).json()
    assert RARE_EARTH not in [m["entity"]["id"] for m in window["data"]]
    swapped = client.get("/v1/escalation", params={"a": "CN", "b": "US"}).json()
    assert {m["entity"]["id"]: m["side"] for m in swapped["data"]}[RARE_EARTH] == "a"
    bad = client.get("/v1/escalation", params={"a": "US", "b": "CN", "since": "2025-11-01", "until": "2025-10-01"})
    assert bad.status_code == 422 and bad.json()["field"] == "until"


def test_escalation_pages(client):
    """One measure a page: the pages add up to the whole answer; every page has the whole index,
    chains and summary; the retaliation link is on the pages of both its ends."""
    whole = client.get("/v1/escalation", params={"a": "US", "b": "CN"}).json()
    assert (whole["count"], whole["offset"], whole["limit"]) == (len(whole["data"]), 0, 100) and whole["count"] > 2
    pages = [client.get("/v1/escalation", params={"a": "US", "b": "CN", "offset": n, "limit": 1}).json() for n in range(whole["count"])]
    assert [p["data"][0] for p in pages] == whole["data"]
    for page in pages:
        assert {k: page[k] for k in ("chains", "index", "summary", "count")} == {k: whole[k] for k in ("chains", "index", "summary", "count")}
        ends = {page["data"][0]["entity"]["id"]}
        assert page["links"] == [link for link in whole["links"] if ends & {link["source"], link["target"]}]
    with_link = [p for p in pages if p["data"][0]["entity"]["id"] in (RARE_EARTH, SOFTWARE)]
    assert len(with_link) == 2 and all((SOFTWARE, RARE_EARTH) in [(x["source"], x["target"]) for x in p["links"]] for p in with_link)
    past = client.get("/v1/escalation", params={"a": "US", "b": "CN", "offset": 500}).json()
    assert past["data"] == [] and past["links"] == [] and past["summary"] == whole["summary"]
    for params in ({"limit": 0}, {"limit": 1001}, {"offset": -1}):
        bad = client.get("/v1/escalation", params={"a": "US", "b": "CN", **params})
        assert bad.status_code == 422 and bad.json()["field"] == next(iter(params)), params


def test_intensity_scale_is_configurable(make_client, tmp_path):
    scale = (tmp_path / "scale.yaml")
    text = open("graph/intensity.yaml", encoding="utf-8").read().replace("export_control: 7", "export_control: 9")
    scale.write_text(text, encoding="utf-8")
    client = make_client(intensity_file=scale)
    measures = {m["entity"]["id"]: m for m in client.get("/v1/escalation", params={"a": "US", "b": "CN"}).json()["data"]}
    assert measures[RARE_EARTH]["intensity"] == 9.0


def test_chain_both_ways(client):
    up = client.get(f"/v1/measures/{SOFTWARE}/chain", params={"direction": "up"}).json()
    assert up["depth"] == {SOFTWARE: 0, RARE_EARTH: -1}
    down = client.get(f"/v1/measures/{RARE_EARTH}/chain", params={"direction": "down"}).json()
    assert down["depth"] == {RARE_EARTH: 0, SOFTWARE: 1}
    assert client.get(f"/v1/measures/{RARE_EARTH}/chain", params={"direction": "sideways"}).status_code == 422


def test_impact_of_the_rare_earth_controls_reaches_us_systems(client):
    answer = client.get(f"/v1/measures/{RARE_EARTH}/impact").json()
    hits = {d["entity"]["id"]: d for d in answer["hits"]}
    assert {"product:f-35", "product:aegis-radar", "country:US"} <= set(hits)
    assert hits["product:f-35"]["exposure"] == 1.0
    assert answer["origin"]["id"] == "country:CN"


def test_measures_filters(client):
    chinese = client.get("/v1/measures", params={"imposer": "中方"}).json()
    assert {m["entity"]["id"] for m in chinese["data"]} >= {RARE_EARTH}
    assert all(any(i["id"] == "country:CN" for i in m["imposers"]) for m in chinese["data"])
    threats = client.get("/v1/measures", params={"status": "threatened"}).json()
    assert {m["measure"]["status"] for m in threats["data"]} == {"threatened"} and threats["count"] == 3
    soy = client.get("/v1/measures", params={"covers": "大豆"}).json()
    assert [m["entity"]["id"] for m in soy["data"]] == ["measure:cn-2025-us-soybean-purchase-halt"]
    dated = client.get("/v1/measures", params={"since": "2025-10-22", "type": "tariff"}).json()
    assert [m["entity"]["id"] for m in dated["data"]] == [TARIFF]


def test_timeline_of_an_actor(client):
    answer = client.get("/v1/timeline", params={"actor": "China"}).json()
    roles = {m["entity"]["id"]: m["role"] for m in answer["data"]}
    assert roles[RARE_EARTH] == "imposer" and roles[TARIFF] == "target"
