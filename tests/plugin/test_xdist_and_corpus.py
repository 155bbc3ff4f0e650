"""Same results under pytest-xdist, and the same verdicts as `respcontract check` on the
acceptance corpus (every format it reads)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from plugin_support import outcomes

CORPUS = Path(__file__).parents[1] / "acceptance"
SUMMARY = ("PASSED ", "FAILED ", "SKIPPED ", "ERROR ")


def final_lines(result: pytest.RunResult) -> list[str]:
    """The `-rA` short summary (one line per item), in a stable order."""
    return sorted(line for line in result.outlines if line.startswith(SUMMARY))


def test_xdist_gives_the_same_results_and_junit_findings(project: pytest.Pytester,
                                                         portal_server: str) -> None:
    project.makepyfile(test_api=f"""
import httpx

def test_live(respcontract):
    url = {portal_server!r} + "/crm/v7/Contacts/actions/portal_invite?job_id=2"
    respcontract.assert_conforms(httpx.get(url))
""")
    serial = project.runpytest("-rA", "-p", "no:cacheprovider")
    # hypothesis' own plugin only slows each worker's start here; it plays no part
    spread = project.runpytest_subprocess("-rA", "-p", "no:cacheprovider", "-n", "2",
                                          "-p", "no:hypothesispytest", "--junitxml=junit.xml")
    assert "2 workers" in spread.stdout.str() or "created: 2/2 workers" in spread.stdout.str()
    assert final_lines(spread) == final_lines(serial)
    assert len(final_lines(serial)) == 10
    assert spread.parseoutcomes() == serial.parseoutcomes()
    xml = (project.path / "junit.xml").read_text()
    assert "recordings/jobs.har:76:21: error [item-status-follows-code]" in xml
    assert "error [schema] /portal_invite/0/job_id: expected string, found integer 2" in xml


def test_the_acceptance_corpus_gets_the_same_verdicts_as_the_cli(pytester: pytest.Pytester
                                                                  ) -> None:
    negative = [e for e in json.loads((CORPUS / "negative.manifest.json").read_text())
                if "endpoint" not in e]  # bare bodies need --endpoint: not recordings
    positive = json.loads((CORPUS / "positive.manifest.json").read_text())
    for folder, entries in (("negative", negative), ("positive", positive)):
        (pytester.path / folder).mkdir()
        for entry in entries:
            shutil.copy(CORPUS / folder / entry["file"], pytester.path / folder / entry["file"])
    reprec = pytester.inline_run("--respcontract-recordings", "negative",
                                 "--respcontract-recordings", "positive")
    seen = outcomes(reprec)
    texts = {r.nodeid: r.longreprtext for r in reprec.getreports("pytest_runtest_logreport")
             if r.failed}
    for entry in negative:
        mine = {n: o for n, o in seen.items() if n.startswith(f"negative/{entry['file']}::")}
        assert "failed" in mine.values(), entry["file"]
        text = "\n".join(texts[n] for n in mine if n in texts)
        for finding in entry["findings"]:
            pointer = f" {finding['pointer']}" if finding["pointer"] else ""
            assert f"error [{finding['rule']}]{pointer}: " in text, (entry["file"], finding)
    for entry in positive:
        mine = {n: o for n, o in seen.items() if n.startswith(f"positive/{entry['file']}::")}
        assert mine and set(mine.values()) == {"passed"}, entry["file"]
    warned = [str(c.warning_message.message) for c in reprec.getcalls("pytest_warning_recorded")]
    assert len(warned) == sum(len(e["warnings"]) for e in positive)
