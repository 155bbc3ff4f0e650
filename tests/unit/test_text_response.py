"""A HAR body kept as its recorded text reads as the same bytes as one stored as bytes."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from validator.model.exchange import Response
from validator.sources import read


def _har(tmp_path: Path, text: str, content_type: str) -> Path:
    entry = {"request": {"method": "GET", "url": "https://example.test/x", "headers": []},
             "response": {"status": 200, "headers": [
                 {"name": "Content-Type", "value": content_type}],
                 "content": {"mimeType": content_type, "text": text}}}
    path = tmp_path / "one.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": [entry]}}),
                    encoding="utf-8")
    return path


def test_a_har_text_body_reads_as_the_bytes_its_charset_gives(tmp_path: Path) -> None:
    text = '{"name": "Zoë"}'
    loaded = read(_har(tmp_path, text, "application/json; charset=iso-8859-1"))
    response = loaded.exchanges[0].response
    assert response.body == text.encode("latin-1")  # encoded as Python's codec would
    assert response.body == response.body  # reading twice gives the same bytes
    assert response == Response(200, dict(response.headers or {}), text.encode("latin-1"))
    again = pickle.loads(pickle.dumps(response))
    assert again.body == text.encode("latin-1")


def test_a_har_text_body_can_be_replaced(tmp_path: Path) -> None:
    response = read(_har(tmp_path, "{}", "application/json")).exchanges[0].response
    response.body = b"[1]"
    assert response.body == b"[1]"
