"""`make bench-incremental` labels each row with the commit it measured, marked when the files a
build reads differ from it, and only then (benchmark/incremental.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from benchmark import incremental


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_the_label_names_the_commit_and_changes_to_what_the_build_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q")
    for name in ("models/m.sql", "benchmark/run.py", "tests/test_x.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("-- 1\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first")
    commit = git(tmp_path, "rev-parse", "--short", "HEAD")
    monkeypatch.setattr(incremental, "PROJECT_DIR", tmp_path)
    # git must not find a repository above the scratch one (a --basetemp inside a checkout)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))

    # the benchmark's own code and the Python tests are not what a build runs
    (tmp_path / "benchmark" / "run.py").write_text("-- 2\n")
    (tmp_path / "tests" / "test_x.py").write_text("-- 2\n")
    assert incremental.code_version() == commit
    # a new data test is (dbt reads the SQL under tests/), as is a changed model
    (tmp_path / "tests" / "assert_x.sql").write_text("select 1\n")
    assert incremental.code_version() == f"{commit} with uncommitted changes"
    (tmp_path / "tests" / "assert_x.sql").unlink()
    (tmp_path / "models" / "m.sql").write_text("-- 2\n")
    assert incremental.code_version() == f"{commit} with uncommitted changes"

    (tmp_path / ".git").rename(tmp_path / "not-git")
    assert incremental.code_version() == "code not in a git checkout"
