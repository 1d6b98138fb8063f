"""GET /v1/dependents, /v1/entities/{id}/dependencies, /v1/countries/{id}/leverage."""

ARTICLE_QUOTE = "F-35 战斗机发动机所需的钕铁硼永磁体、“宙斯盾” 雷达系统依赖的镝元素,均 100% 依赖中国供应"


def by_id(answer):
    return {d["entity"]["id"]: d for d in answer["data"]}


def test_rare_earths_from_china(client):
    response = client.get("/v1/dependents", params={"commodity": "commodity:rare-earths", "origin": "country:CN"})
    assert response.status_code == 200
    found = by_id(response.json())
    f35, aegis, us = found["product:f-35"], found["product:aegis-radar"], found["country:US"]
    assert f35["exposure"] == 1.0 and aegis["exposure"] == 1.0
    assert [s["target"] for s in f35["paths"][0]["steps"]][0] == "commodity:ndfeb-magnets"
    assert [s["target"] for s in aegis["paths"][0]["steps"]][0] == "commodity:dysprosium"
    assert f35["paths"][0]["steps"][0]["evidence"][0]["quote"] == ARTICLE_QUOTE
    assert us["exposure"] is None  # the article gives no share for the US as a whole
    assert "中国稀土的依赖" in us["paths"][0]["steps"][0]["evidence"][0]["quote"]


def test_names_in_chinese_give_the_same_answer(client):
    by_ids = client.get("/v1/dependents", params={"commodity": "commodity:rare-earths", "origin": "country:CN"}).json()
    by_names = client.get("/v1/dependents", params={"commodity": "稀土", "origin": "中国"}).json()
    assert by_names == by_ids


def test_an_origin_that_supplies_nothing_gives_nothing(client):
    answer = client.get("/v1/dependents", params={"commodity": "rare earths", "origin": "Japan"}).json()
    assert answer["data"] == [] and answer["count"] == 0


def test_filters_and_pagination(client):
    products = client.get("/v1/dependents", params={"commodity": "稀土", "entity_type": "Product"}).json()
    assert {d["entity"]["type"] for d in products["data"]} == {"Product"}
    exposed = client.get("/v1/dependents", params={"commodity": "稀土", "min_share": 0.5}).json()
    assert all(d["exposure"] >= 0.5 for d in exposed["data"]) and exposed["count"] == 2
    first = client.get("/v1/dependents", params={"commodity": "稀土", "limit": 1}).json()
    second = client.get("/v1/dependents", params={"commodity": "稀土", "limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 3
    assert first["data"][0]["entity"]["id"] != second["data"][0]["entity"]["id"]


def test_depth_is_capped(client):
    response = client.get("/v1/dependents", params={"commodity": "稀土", "max_depth": 99})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "max_depth"


def test_dependencies_of_the_f35(client):
    answer = client.get("/v1/entities/F-35/dependencies").json()
    magnets = next(d for d in answer["data"] if d["entity"]["id"] == "commodity:ndfeb-magnets")
    assert magnets["exposure"] == 1.0
    assert [s["entity"]["id"] for s in magnets["suppliers"]] == ["country:CN"]


def test_leverage_of_china_ranks_full_dependence_first(client):
    answer = client.get("/v1/countries/China/leverage").json()
    top = [(item["dependent"]["id"], item["exposure"]) for item in answer["data"][:2]]
    assert sorted(top) == [("product:aegis-radar", 1.0), ("product:f-35", 1.0)]
    shares = [item["exposure"] for item in answer["data"] if item["exposure"] is not None]
    assert shares == sorted(shares, reverse=True)
    assert ("firm:boeing", 0.28) in [(i["dependent"]["id"], i["exposure"]) for i in answer["data"]]
