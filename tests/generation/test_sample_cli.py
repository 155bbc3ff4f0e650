"""`respcontract sample`: generated exchanges to look at, as JSON or YAML."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from genhelpers import FIXTURE_CONTRACTS, JOB_STATUS, respcontract


def test_edge_samples_as_json_are_exchanges_of_the_endpoint() -> None:
    done = respcontract("sample", JOB_STATUS, "--kind", "edge", "-n", "5", "--seed", "1")
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert len(items) == 5
    for item in items:
        assert item["endpoint"] == JOB_STATUS and item["kind"] == "edge"
        assert item["request"]["method"] == "GET"
        assert "/crm/v7/Contacts/actions/portal_invite" in item["request"]["url"]
        assert item["response"]["status"] in (200, 204) or item["response"]["status"] >= 400
    assert "seed 1" in done.stderr


def test_the_same_seed_prints_the_same_samples() -> None:
    first = respcontract("sample", JOB_STATUS, "-n", "4", "--seed", "9", "--format", "yaml")
    second = respcontract("sample", JOB_STATUS, "-n", "4", "--seed", "9", "--format", "yaml")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    documents = list(yaml.safe_load_all(first.stdout))
    assert len(documents) == 4 and all("response" in d for d in documents)


def test_bodies_only() -> None:
    done = respcontract("sample", JOB_STATUS, "--bodies", "-n", "3", "--seed", "2")
    bodies = json.loads(done.stdout)
    assert done.returncode == 0 and len(bodies) == 3
    assert all(set(b) == {"portal_invite"} for b in bodies)


def test_invalid_samples_carry_their_finding_and_fail_check(tmp_path: Path) -> None:
    folder = tmp_path / "samples"
    done = respcontract("sample", JOB_STATUS, "--kind", "invalid", "-n", "4", "--seed", "3",
                        "--output-dir", str(folder))
    assert done.returncode == 0, done.stderr
    files = sorted(folder.glob("*.json"))
    assert [f.name for f in files] == [f"get_bulk_invite_status-invalid-00{i}.json"
                                       for i in range(1, 5)]
    for file in files:
        expected = json.loads(file.read_text(encoding="utf-8"))["expected"]
        checked = respcontract("check", str(file), "--format", "json")
        assert checked.returncode == 1
        errors = [(f["rule"], f["pointer"]) for f in json.loads(checked.stdout)["findings"]
                  if f["severity"] == "error"]
        assert set(errors) == {(expected["rule"], expected["pointer"])}


def test_valid_samples_written_to_a_folder_pass_check_and_nothing_is_overwritten(
        tmp_path: Path) -> None:
    folder = tmp_path / "samples"
    folder.mkdir()
    (folder / "get_shipment-valid-001.json").write_text("{}", encoding="utf-8")
    done = respcontract("sample", "acme/warehouse:get_shipment", "-n", "3", "--seed", "4",
                        "--contracts", str(FIXTURE_CONTRACTS), "--output-dir", str(folder))
    assert done.returncode == 0, done.stderr
    assert (folder / "get_shipment-valid-001.json").read_text(encoding="utf-8") == "{}"
    written = [Path(line) for line in done.stdout.splitlines()]
    assert [p.name for p in written] == [f"get_shipment-valid-00{i}.json" for i in (2, 3, 4)]
    checked = respcontract("check", *map(str, written), "--contracts", str(FIXTURE_CONTRACTS))
    assert checked.returncode == 0, checked.stdout


def test_usage_errors() -> None:
    for args in (["zoho-crm/portal-invite:nope"], [JOB_STATUS, "--kind", "weird"],
                 [JOB_STATUS, "-n", "0"]):
        done = respcontract("sample", *args)
        assert done.returncode == 2, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1
