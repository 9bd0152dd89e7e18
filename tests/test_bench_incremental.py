"""`make bench-incremental` labels each row with the commit it measured, marked when the files a
build reads differ from it, and only then; an ad-hoc run leaves its page alone
(benchmark/incremental.py)."""

from __future__ import annotations

import json
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


def test_no_report_prints_the_results_and_leaves_the_page_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An ad-hoc run (`--no-report`) prints the page it would write and writes nothing. The
    measurement is not what this checks: the case returns a row of the recorded results."""
    recorded = json.loads(incremental.RESULTS_JSON.read_text())[0]
    page, data = tmp_path / "incremental-benchmark.md", tmp_path / "incremental-benchmark.json"
    page.write_text("the page of an earlier full run\n")
    data.write_text("[]")
    monkeypatch.setattr(incremental, "RESULTS_MD", page)
    monkeypatch.setattr(incremental, "RESULTS_JSON", data)
    monkeypatch.setattr(incremental, "run_case", lambda *_: dict(recorded))
    argv = ["incremental", "--events", str(recorded["events"]), "--repeat", "1", "--no-report"]
    monkeypatch.setattr("sys.argv", argv)
    assert incremental.main() == 0
    assert page.read_text() == "the page of an earlier full run\n"
    assert data.read_text() == "[]"
    assert f"| {recorded['events']:,} | {recorded['new_events']:,} |" in capsys.readouterr().out
