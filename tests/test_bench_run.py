"""`make bench` (benchmark/run.py) when a run does not finish: dbt under the 2 GB limit failing
is the memory target's verdict, with dbt's own error line; dbt failing at any other limit
stops the benchmark. Both run a real `dbt build` on a file it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.run import LARGE, Measurements, VariantFailed, ratio_rows, run_variant


@pytest.fixture
def unreadable_events(tmp_path: Path) -> str:
    """A glob of the benchmark's shape (events-<N>/) at the memory target's size, matching one
    file that is not Parquet."""
    directory = tmp_path / f"events-{LARGE}"
    directory.mkdir()
    (directory / "events-0.parquet").write_text("not a parquet file\n")
    return str(directory / "*.parquet")


def test_dbt_failing_under_2gb_is_the_memory_target_not_met(
    unreadable_events: str, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    run, per_day = run_variant("dbt_2gb", unreadable_events, work, "16GB", 2)
    assert per_day is None
    assert (run.variant, run.events, run.memory_limit) == ("dbt_2gb", LARGE, "2GB")
    # the reason names the exit and dbt's error line, not only dbt's count of errors
    assert run.failed is not None and run.failed.startswith("(exit 1)"), run.failed
    assert "Error" in run.failed and "parquet" in run.failed.lower(), run.failed
    assert not work.exists()
    rows = ratio_rows(Measurements(runs=[run]), [LARGE])
    assert (
        f"| dbt build completes under memory_limit 2GB | {LARGE:,} | failed (below) |"
        " completes | **not met** |"
    ) in rows


def test_dbt_failing_at_another_limit_stops_the_benchmark(
    unreadable_events: str, tmp_path: Path
) -> None:
    with pytest.raises(VariantFailed, match="exit 1"):
        run_variant("dbt", unreadable_events, tmp_path / "work", "16GB", 2)


def test_no_report_prints_the_results_and_leaves_the_page_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import benchmark.run as bench

    page, data = tmp_path / "benchmarks.md", tmp_path / "benchmarks.json"
    page.write_text("the page of an earlier full run\n")
    data.write_text("{}")
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path / "bench")
    monkeypatch.setattr(bench, "RESULTS_MD", page)
    monkeypatch.setattr(bench, "RESULTS_JSON", data)
    argv = ["run", "--events", "2000", "--variants", "scan", "--repeats", "1", "--no-report"]
    monkeypatch.setattr("sys.argv", argv)
    assert bench.main() == 0
    assert page.read_text() == "the page of an earlier full run\n"
    assert data.read_text() == "{}"
    assert "| 2,000 | scan |" in capsys.readouterr().out
