from __future__ import annotations

import os
from pathlib import Path

import pytest

from validator.load import cache
from validator.load.contracts import load_contract

CONTRACT = """contract: demo
endpoints:
  get_x: {method: GET, path: /x, responses: {'200': {schema: s.json}}}
"""


@pytest.fixture
def contract_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RESPCONTRACT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "s.json").write_text('{"type": "object"}')
    path = tmp_path / "api.yaml"
    path.write_text(CONTRACT)
    return path


def test_a_loaded_contract_is_cached_and_reused(contract_file: Path) -> None:
    assert cache.get(contract_file) is None
    load_contract(contract_file)
    cached = cache.get(contract_file)
    assert cached["contract"] == "demo"
    assert load_contract(contract_file).endpoints["get_x"].path == "/x"


def test_an_edited_contract_is_read_again(contract_file: Path) -> None:
    load_contract(contract_file)
    contract_file.write_text(CONTRACT.replace("/x", "/y/longer"))
    os.utime(contract_file, ns=(1, 1))
    assert cache.get(contract_file) is None
    assert load_contract(contract_file).endpoints["get_x"].path == "/y/longer"


def test_broken_contracts_are_never_cached(contract_file: Path) -> None:
    contract_file.write_text("contract: demo\nendpoints: {}\n")
    with pytest.raises(Exception, match="endpoints"):
        load_contract(contract_file)
    assert cache.get(contract_file) is None


def test_cache_can_be_turned_off(contract_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESPCONTRACT_NO_CACHE", "1")
    load_contract(contract_file)
    assert cache.get(contract_file) is None
    assert not (contract_file.parent / "cache").exists()


def test_a_cached_contract_not_validated_against_this_meta_schema_is_validated_again(
        contract_file: Path) -> None:
    # an entry written by the route index (or under an older meta-schema) carries no
    # matching stamp: the meta-schema still judges it, so a bad entry cannot slip through
    from validator.errors import ContractError

    load_contract(contract_file)
    broken = {**cache.get(contract_file), "endpoints": "not a mapping"}
    cache.put(contract_file, broken, validated="an older meta-schema")
    with pytest.raises(ContractError, match="endpoints"):
        load_contract(contract_file)
    cache.put(contract_file, broken)  # no stamp at all
    with pytest.raises(ContractError, match="endpoints"):
        load_contract(contract_file)
