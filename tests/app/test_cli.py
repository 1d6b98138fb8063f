"""The CLI end to end, in subprocesses, as a user runs it."""

import json

from tests.conftest import SEEDS, cli


def env_for(tmp_path):
    return {"TRADEGRAPH_DB_PATH": str(tmp_path / "cli.db")}


def test_ingest_seeds_twice_reports_nothing_new(tmp_path):
    env = env_for(tmp_path)
    first = cli("ingest", str(SEEDS), env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "1 added" in first.stderr
    stats_before = json.loads(cli("stats", env=env, cwd=tmp_path).stdout)
    second = cli("ingest", str(SEEDS), env=env, cwd=tmp_path)
    assert second.returncode == 0
    assert "0 added, 0 updated, 1 unchanged" in second.stderr
    stats_after = json.loads(cli("stats", env=env, cwd=tmp_path).stdout)
    assert stats_after == stats_before
    assert stats_after["counts"]["relations"] > 70


def test_show_and_search_by_any_name(tmp_path):
    env = env_for(tmp_path)
    cli("ingest", str(SEEDS), env=env, cwd=tmp_path)
    shown = json.loads(cli("show", "钕铁硼永磁体", env=env, cwd=tmp_path).stdout)
    assert shown["entity"]["id"] == "commodity:ndfeb-magnets"
    assert any("钕铁硼永磁体" in e["quote"] for e in shown["entity"]["evidence"])
    found = cli("search", "rare earth", env=env, cwd=tmp_path).stdout
    assert found.splitlines()[0].startswith("commodity:rare-earth")


def test_errors_exit_non_zero_and_name_the_file(tmp_path):
    env = env_for(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("documents: {a: {path: nowhere.txt}}\n", encoding="utf-8")
    result = cli("ingest", str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.yaml" in result.stderr or "nowhere.txt" in result.stderr
    missing = cli("show", "country:ZZ", env=env, cwd=tmp_path)
    assert missing.returncode == 4 and "error:" in missing.stderr
    assert cli("ingest", str(tmp_path / "absent"), env=env, cwd=tmp_path).returncode == 2


def test_export_json_and_graphml(tmp_path):
    env = env_for(tmp_path)
    cli("ingest", str(SEEDS), env=env, cwd=tmp_path)
    exported = json.loads(cli("export", "--format", "json", env=env, cwd=tmp_path).stdout)
    stats = json.loads(cli("stats", env=env, cwd=tmp_path).stdout)["counts"]
    assert len(exported["entities"]) == stats["entities"] and len(exported["relations"]) == stats["relations"]
    out = tmp_path / "g.graphml"
    assert cli("export", "--format", "graphml", "-o", str(out), env=env, cwd=tmp_path).returncode == 0
    import networkx as nx

    graph = nx.read_graphml(out)
    assert graph.number_of_nodes() == stats["entities"]
    assert graph.nodes["product:f-35"]["type"] == "Product"


def test_every_command_has_help():
    from app.cli import COMMANDS, build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in COMMANDS:
        assert sub.choices[name].format_help()
        assert any(c.dest == name and c.help for c in sub._choices_actions), name


def test_query_commands_answer_as_of_a_day_and_as_known_at_a_moment(tmp_path):
    """``--as-of`` and ``--known-at`` give what the API's as_of and known_at give (issue 20)."""
    env = env_for(tmp_path)
    cli("ingest", str(SEEDS), env=env, cwd=tmp_path)
    tariff = "measure:us-2025-11-01-tariff-155"
    before = cli("show", tariff, "--as-of", "2025-10-15", env=env, cwd=tmp_path)
    assert before.returncode != 0 and "no entity" in before.stderr
    then = json.loads(cli("show", tariff, "--as-of", "2025-10-24", env=env, cwd=tmp_path).stdout)
    assert then["entity"]["measure"]["status"] == "threatened"
    dated = json.loads(cli("export", "--format", "json", "--as-of", "2025-10-12", env=env, cwd=tmp_path).stdout)
    whole = json.loads(cli("export", "--format", "json", env=env, cwd=tmp_path).stdout)
    measures = lambda export: {e["id"] for e in export["entities"] if e["id"].startswith("measure:")}  # noqa: E731
    assert measures(dated) and measures(dated) < measures(whole)
    assert tariff not in measures(dated)
    unknown = json.loads(cli("stats", "--known-at", "2000-01-01T00:00:00Z", env=env, cwd=tmp_path).stdout)
    assert unknown["counts"]["documents"] == 0 and unknown["counts"]["relations"] == 0
    naive = cli("stats", "--known-at", "2025-10-24T08:00:00", env=env, cwd=tmp_path)
    assert naive.returncode == 2 and "time zone" in naive.stderr
    refused = cli("export", "--format", "cypher", "--as-of", "2025-10-12", env=env, cwd=tmp_path)
    assert refused.returncode != 0 and "--format" in refused.stderr


def test_review_records_decisions_that_the_query_commands_follow(tmp_path):
    env = env_for(tmp_path)
    cli("ingest", str(SEEDS), env=env, cwd=tmp_path)
    soybeans = "measure:cn-2025-us-soybean-purchase-halt"
    assert cli("show", soybeans, env=env, cwd=tmp_path).returncode == 0
    rejected = cli("review", "reject", soybeans, "--reason", "a rumour", env=env, cwd=tmp_path)
    assert rejected.returncode == 0 and "recorded" in rejected.stdout
    decision = rejected.stdout.split(":", 2)[0] + ":" + rejected.stdout.split(":", 2)[1]
    assert cli("show", soybeans, env=env, cwd=tmp_path).returncode == 4
    assert "already recorded" in cli("review", "reject", soybeans, "--reason", "a rumour", env=env, cwd=tmp_path).stdout
    listed = cli("review", "list", env=env, cwd=tmp_path).stdout.splitlines()
    assert len(listed) == 1 and soybeans in listed[0] and "in force" in listed[0] and "a rumour" in listed[0]
    assert cli("review", "undo", decision, "--reason", "confirmed after all", env=env, cwd=tmp_path).returncode == 0
    assert cli("show", soybeans, env=env, cwd=tmp_path).returncode == 0
    assert "taken back" in cli("review", "list", env=env, cwd=tmp_path).stdout
    merged = cli("review", "merge", "firm:cadence", "--into", "firm:synopsys", "--reason", "test", env=env, cwd=tmp_path)
    assert merged.returncode == 0
    shown = json.loads(cli("show", "Cadence", env=env, cwd=tmp_path).stdout)
    assert shown["entity"]["id"] == "firm:synopsys"
    missing = cli("review", "reject", "firm:nobody", "--reason", "x", env=env, cwd=tmp_path)
    assert missing.returncode == 2 and "decisions[0].subject" in missing.stderr
