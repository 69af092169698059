"""Finding the shared benchmark data from a clone anywhere on the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchkit.data import shared_dir

CONFIG = """[core]
\tbare = false
[remote "upstream"]
\turl = /elsewhere
[remote "origin"]
\turl = {url}
\tfetch = +refs/heads/*:refs/remotes/origin/*
"""


def _clone(root: Path, url: str) -> Path:
    clone = root / "tmp" / "fresh"
    (clone / ".git").mkdir(parents=True)
    (clone / ".git" / "config").write_text(CONFIG.format(url=url), encoding="utf-8")
    return clone


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLUSTERMEET_SHARED_DIR", raising=False)


def test_shared_beside_the_repository_wins(tmp_path: Path) -> None:
    clone = _clone(tmp_path, str(tmp_path / "work" / "main"))
    (tmp_path / "tmp" / "shared").mkdir()
    (tmp_path / "work" / "shared").mkdir(parents=True)
    assert shared_dir(clone) == tmp_path / "tmp" / "shared"


@pytest.mark.parametrize("scheme", ["", "file://"])
def test_a_clone_finds_the_data_beside_its_origin(tmp_path: Path, scheme: str) -> None:
    (tmp_path / "work" / "shared").mkdir(parents=True)
    clone = _clone(tmp_path, f"{scheme}{tmp_path}/work/main")
    assert shared_dir(clone) == tmp_path / "work" / "shared"


def test_without_data_anywhere_the_default_is_beside(tmp_path: Path) -> None:
    clone = _clone(tmp_path, "https://example.org/clustermeet.git")
    assert shared_dir(clone) == tmp_path / "tmp" / "shared"


def test_the_environment_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERMEET_SHARED_DIR", str(tmp_path / "data"))
    assert shared_dir(_clone(tmp_path, "/x")) == tmp_path / "data"
