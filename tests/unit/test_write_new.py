"""The one exclusive-create writer: an existing file is never replaced."""

from __future__ import annotations

from pathlib import Path

from validator.formats.files import write_new


def test_takes_the_first_free_name_and_keeps_what_exists(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("old\n", encoding="utf-8")
    path = write_new(tmp_path, ["a.json", "a-1.json"], "new\n")
    assert path == tmp_path / "a-1.json"
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "old\n"
    assert path.read_text(encoding="utf-8") == "new\n"


def test_reuse_same_returns_a_file_with_the_same_text_without_writing(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("same\n", encoding="utf-8")
    assert write_new(tmp_path, ["a.json", "a-1.json"], "same\n", reuse_same=True) == \
        tmp_path / "a.json"
    assert not (tmp_path / "a-1.json").exists()
    assert write_new(tmp_path, ["a.json", "a-1.json"], "same\n") == tmp_path / "a-1.json"


def test_none_when_every_name_is_taken(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("x", encoding="utf-8")
    assert write_new(tmp_path, ["a.json"], "y") is None
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "x"


def test_a_shared_name_sequence_gives_each_text_the_next_free_number(tmp_path: Path) -> None:
    (tmp_path / "n-2.json").write_text("kept", encoding="utf-8")
    names = iter([f"n-{i}.json" for i in range(1, 6)])
    written = [write_new(tmp_path, names, text) for text in ("one", "two", "three")]
    assert written == [tmp_path / "n-1.json", tmp_path / "n-3.json", tmp_path / "n-4.json"]
