"""OpenAPI files other people wrote, imported as a new user would: no traceback, lint clean,
every example filed as passing is valid for python-jsonschema and passes `check`.

The fixtures are the OpenAPI Initiative's own example descriptions (foreign/oai-learn/,
see its SOURCE.md): a root-path operation, a `{scheme}` server variable, examples without
a schema, response headers, links, callbacks and a webhook-only 3.1 file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from oas_helpers import run

FOREIGN = Path(__file__).parent / "foreign" / "oai-learn"
SPECS = sorted(p.name for p in FOREIGN.glob("*.yaml"))
WITHOUT_OPERATIONS = {"v3.1-webhook-example.yaml"}  # webhooks only: nothing a client calls


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("foreign")
    for name in SPECS:
        done = run("import", "openapi", str(FOREIGN / name), "--contract",
                   f"oai/{Path(name).stem.replace('.', '-')}", "--out", str(out))
        assert "Traceback" not in done.stderr, done.stderr
        if name in WITHOUT_OPERATIONS:
            assert done.returncode == 2, done.stderr
            assert done.stderr.strip().count("\n") == 0 and name in done.stderr
            assert "no operations" in done.stderr
        else:
            assert done.returncode == 0, (name, done.stderr)
    return out


def test_every_spec_with_operations_becomes_a_contract(imported: Path) -> None:
    written = {p.stem for p in (imported / "contracts" / "oai").glob("*.yaml")}
    expected = {Path(n).stem.replace(".", "-") for n in SPECS} - {
        Path(n).stem.replace(".", "-") for n in WITHOUT_OPERATIONS}
    assert written == expected


def test_the_import_lints_clean(imported: Path) -> None:
    done = run("lint", "--no-bundled", "--contracts", str(imported / "contracts"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"lint OK: {len(SPECS) - len(WITHOUT_OPERATIONS)} contract(s)" in done.stdout


def test_the_root_path_and_the_scheme_variable_are_kept(imported: Path) -> None:
    overview = yaml.safe_load((imported / "contracts" / "oai" /
                               "v3-0-api-with-examples.yaml").read_text())
    assert {e["path"] for e in overview["endpoints"].values()} == {"/", "/v2"}
    uspto = yaml.safe_load((imported / "contracts" / "oai" / "v3-0-uspto.yaml").read_text())
    assert set(uspto["servers"].values()) == {"https://developer.uspto.gov",
                                              "http://developer.uspto.gov"}
    assert all(e["path"].startswith("/ds-api/") for e in uspto["endpoints"].values())


def test_a_response_with_headers_keeps_them_in_content_form(imported: Path) -> None:
    petstore = yaml.safe_load((imported / "contracts" / "oai" / "v3-0-petstore.yaml").read_text())
    listed = petstore["endpoints"]["list_pets"]["responses"]["200"]
    assert listed["content"]["application/json"]["schema"].endswith(".schema.json")
    assert "content_type" not in listed["content"]["application/json"]
    assert listed["headers"]["x-next"]["description"] == "A link to the next page of responses"


def test_filed_examples_agree_with_python_jsonschema_and_pass_check(imported: Path) -> None:
    examples = sorted((imported / "contracts" / "oai" / "examples").rglob("*.json"))
    assert len(examples) >= 5, "api-with-examples and uspto carry examples"
    schemas = imported / "schemas" / "oai"
    judged = 0
    for path in examples:
        body = json.loads(path.read_text())["response"]["body"]
        contract_name = path.relative_to(imported / "contracts" / "oai" / "examples").parts[0]
        for schema_file in (schemas / contract_name).glob(f"{path.name.split('.')[0]}.*.json"):
            if schema_file.name.split(".")[1] == path.name.split(".")[1]:  # same status
                schema = json.loads(schema_file.read_text())
                assert list(Draft202012Validator(schema).iter_errors(body)) == [], path
                judged += 1
    assert judged >= 1, "some filed example has a schema to judge it by"
    done = run("check", "--no-bundled", "--contracts", str(imported / "contracts"),
               str(imported / "contracts" / "oai" / "examples"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(examples)} passed, 0 failed (0 errors, 0 warnings)" in done.stdout
