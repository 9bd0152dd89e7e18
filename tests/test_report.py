"""The HTML report (scripts/report.py), checked in a real browser.

A small warehouse is built from messy generated events; the report is written from it and opened
in headless Chromium (Debian's `chromium`, driven by Playwright; Playwright never downloads a
browser here) with every network request aborted: the page must make none, log no error or
warning, draw its charts (168 heatmap cells, 10 histogram bars, a point per day) with the numbers
this test computes itself from the database with SQL, and a screenshot must show them.
"""

from __future__ import annotations

import base64
import math
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import BuiltWarehouse
from tests.dbt_runner import PROJECT_DIR

CHROMIUM = Path("/usr/bin/chromium")
REPORT = PROJECT_DIR / "scripts" / "report.py"
SCREENSHOT = PROJECT_DIR / "target" / "report" / "screenshot.png"
MARTS = (
    "fct_sessions",
    "rpt_sessions_per_user",
    "rpt_session_duration",
    "rpt_session_time_hourly",
    "rpt_active_users",
    "rpt_session_time_local_hourly",
    "dim_users",
)

# The histogram's buckets, written out again: upper bounds in seconds (exclusive).
BUCKET_UPPER_BOUNDS = (10, 30, 60, 120, 300, 600, 1800, 3600, 10800)


def require_chromium() -> Path:
    """Debian's Chromium; a clear failure (never a skip) when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the report is checked in headless Chromium. Install it "
            "with `make browser` (Debian/Ubuntu's chromium; make test runs it first), "
            "then run the tests again. (Playwright is only the driver here: it never downloads "
            "a browser, so `playwright install` is not the fix.)",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="module")
def warehouse(built_warehouse: BuiltWarehouse) -> Path:
    """The working database of the shared build (tests/conftest.py): marts and rejected_events."""
    return built_warehouse.database


def run_report(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPORT), *map(str, args)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def expected_numbers(database: Path) -> dict[str, Any]:
    """What the report must show, computed here with SQL of its own."""
    with duckdb.connect(str(database), read_only=True) as db:

        def one(sql: str) -> Any:
            return db.execute(sql).fetchone()

        sessions, users, avg, median, first_day, last_day = one(
            "select count(*), count(distinct user_key), avg(duration_seconds),"
            " quantile_cont(duration_seconds, 0.5), min(session_date), max(session_date)"
            " from fct_sessions"
        )
        heat = {
            (day, hour): seconds
            for day, hour, seconds in db.execute(
                "select day_of_week, hour_of_day, sum(session_seconds)"
                " from rpt_session_time_hourly group by all"
            ).fetchall()
        }
        peak = max(heat, key=lambda cell: (heat[cell], -cell[0], -cell[1]))
        cases = " ".join(
            f"when duration_seconds < {bound} then {i}"
            for i, bound in enumerate(BUCKET_UPPER_BOUNDS)
        )
        buckets = dict(
            db.execute(
                f"select case {cases} else {len(BUCKET_UPPER_BOUNDS)} end, count(*)"
                " from fct_sessions group by 1"
            ).fetchall()
        )
        per_user = db.execute(
            "select period_start, sessions_per_user, sessions from rpt_sessions_per_user"
            " where period = 'day'"
        ).fetchall()
        durations = db.execute(
            "select period_start, avg_duration_seconds, median_duration_seconds, sessions"
            " from rpt_session_duration where period = 'day'"
        ).fetchall()
        active = db.execute("select activity_date, dau, wau, mau from rpt_active_users").fetchall()
        local_heat = dict(
            ((day, hour), seconds)
            for day, hour, seconds in db.execute(
                "select day_of_week, hour_of_day, session_seconds"
                " from rpt_session_time_local_hourly"
            ).fetchall()
        )
        segments = dict(
            db.execute("select engagement_segment, count(*) from dim_users group by 1").fetchall()
        )
        tables = {
            name
            for (name,) in db.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        }
        quarantined = (
            one("select count(*) from rejected_events")[0] if "rejected_events" in tables else None
        )
    return {
        "sessions": sessions,
        "users": users,
        "avg": avg,
        "median": median,
        "first_day": first_day,
        "last_day": last_day,
        "heat": heat,
        "peak": peak,
        "local_heat": local_heat,
        "local_peak": max(local_heat, key=lambda c: (local_heat[c], -c[0], -c[1])),
        "segments": segments,
        "daily_sessions_per_user": sum(row[1] for row in per_user) / len(per_user),
        "histogram": [buckets.get(i, 0) for i in range(len(BUCKET_UPPER_BOUNDS) + 1)],
        "per_user": {day: (value, n) for day, value, n in per_user},
        "durations": {day: (a, m, n) for day, a, m, n in durations},
        "active": {day: (dau, wau, mau) for day, dau, wau, mau in active},
        "quarantined": quarantined,
    }


# What the page shows, read from the DOM in one go.
READ_PAGE_JS = """() => {
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  const points = (id) => all(`#${id} circle.point`).map((p) => ({
      series: p.dataset.series, date: p.dataset.date, value: Number(p.dataset.value)}));
  return {
    kpis: Object.fromEntries(all("[data-kpi]").map((k) => [k.dataset.kpi,
        {raw: k.dataset.value, text: k.querySelector(".value").textContent}])),
    cells: all("#heatmap rect.cell").map((c) => ({day: Number(c.dataset.day),
        hour: Number(c.dataset.hour), seconds: Number(c.dataset.seconds),
        peak: c.classList.contains("peak"), fill: getComputedStyle(c).fill, size: box(c)})),
    heatmapSize: all("#heatmap").map(box),
    localCells: all("#local-heatmap rect.cell").map((c) => ({day: Number(c.dataset.day),
        hour: Number(c.dataset.hour), seconds: Number(c.dataset.seconds),
        peak: c.classList.contains("peak")})),
    segments: all("#segments rect.segment").map((b) => ({segment: b.dataset.segment,
        users: Number(b.dataset.users), width: box(b)[0]})),
    bars: all("#histogram rect.bar").map((b) => ({label: b.dataset.bucket,
        count: Number(b.dataset.count), height: box(b)[1]})),
    perUser: points("daily-sessions-per-user"),
    perUserOmitted: all("#daily-sessions-per-user").map((s) => s.dataset.omitted),
    durations: points("daily-session-time"),
    durationsOmitted: all("#daily-session-time").map((s) => s.dataset.omitted),
    active: points("daily-active-users"),
    activeOmitted: all("#daily-active-users").map((s) => s.dataset.omitted),
    lines: all("path.line").map((l) => l.getTotalLength()),
  };
}"""

# Decode a PNG in the browser (no Pillow here): its size, how many distinct colours it has, and
# the share of its pixels that are clearly coloured (not white, grey or black).
PNG_STATS_JS = """async (dataUrl) => {
  const image = new Image();
  image.src = dataUrl;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  const colours = new Set();
  let coloured = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
    colours.add((r << 16) | (g << 8) | b);
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured += 1;
  }
  return {width: image.width, height: image.height, colours: colours.size,
          coloured: coloured / (pixels.length / 4)};
}"""


def png_stats(page: Any, png: bytes) -> dict[str, float]:
    data_url = "data:image/png;base64," + base64.b64encode(png).decode()
    return page.evaluate(PNG_STATS_JS, data_url)


def close(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-6)


def open_in_chromium(chromium: Path, url: str) -> dict[str, Any]:
    """Open `url` in headless Chromium with the network cut off; what it requested and logged,
    what the page shows, and statistics of its screenshots (the full page is saved to
    SCREENSHOT)."""
    from playwright.sync_api import Route, sync_playwright

    seen: dict[str, Any] = {"requests": [], "blocked": [], "console": [], "errors": []}

    def only_the_file(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            seen["blocked"].append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.route("**/*", only_the_file)
            page = context.new_page()
            page.on("request", lambda request: seen["requests"].append(request.url))
            page.on("console", lambda message: seen["console"].append((message.type, message.text)))
            page.on("pageerror", lambda error: seen["errors"].append(str(error)))
            page.goto(url, wait_until="load")
            page.wait_for_load_state("networkidle")
            seen["shown"] = page.evaluate(READ_PAGE_JS)
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            heatmap = page.locator("#heatmap")
            heatmap_png = heatmap.screenshot(timeout=5000) if heatmap.is_visible() else None
            seen["page_png"] = png_stats(page, SCREENSHOT.read_bytes())
            seen["heatmap_png"] = png_stats(page, heatmap_png) if heatmap_png else None
        finally:
            browser.close()
    return seen


def check_kpi(kpis: dict[str, Any], key: str, expected: Any, text: str | None = None) -> None:
    assert key in kpis, f"the headline has no {key}: {sorted(kpis)}"
    raw = kpis[key]["raw"]
    if isinstance(expected, float):
        assert raw and close(float(raw), expected), f"{key} is {raw}, the marts say {expected}"
    else:
        assert raw == str(expected), f"{key} is {raw!r}, the marts say {expected!r}"
    if text is not None:
        assert kpis[key]["text"] == text, f"{key} shows {kpis[key]['text']!r}, not {text!r}"


def test_report_opens_offline_and_draws_the_marts_in_chromium(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    chromium = require_chromium()  # before the warehouse is built: fail fast
    warehouse: Path = request.getfixturevalue("warehouse")
    out = tmp_path / "report.html"
    written = run_report("--db", warehouse, "--out", out)
    assert written.returncode == 0, written.stderr
    expected = expected_numbers(warehouse)
    seen = open_in_chromium(chromium, out.as_uri())
    shown = seen["shown"]

    # Offline: the file itself is the only request, nothing blocked, nothing logged.
    assert not seen["blocked"], f"the report requested the network: {seen['blocked']}"
    assert seen["requests"] == [out.as_uri()], f"unexpected requests: {seen['requests']}"
    assert not seen["errors"], f"page errors: {seen['errors']}"
    problems = [m for m in seen["console"] if m[0] in ("error", "warning")]
    assert not problems, f"console errors or warnings: {problems}"

    # Headline numbers, as computed here from the marts.
    kpis = shown["kpis"]
    check_kpi(kpis, "sessions", expected["sessions"], f"{expected['sessions']:,}")
    check_kpi(kpis, "users", expected["users"], f"{expected['users']:,}")
    check_kpi(kpis, "sessions_per_user_per_day", expected["daily_sessions_per_user"])
    check_kpi(kpis, "avg_session", expected["avg"])
    check_kpi(kpis, "median_session", expected["median"])
    peak_day, peak_hour = expected["peak"]
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[peak_day - 1]
    check_kpi(kpis, "peak_hour", f"{peak_day} {peak_hour}", f"{weekday} {peak_hour:02d}:00")
    check_kpi(kpis, "data_range", f"{expected['first_day']} {expected['last_day']}")
    assert expected["quarantined"], "the messy data must produce rejected rows"
    check_kpi(kpis, "quarantined", expected["quarantined"], f"{expected['quarantined']:,}")

    # The heatmap: 7 x 24 cells, each with its total, the peak marked, shaded.
    cells = shown["cells"]
    assert len(cells) == 7 * 24, f"the heatmap has {len(cells)} cells, not 168"
    assert {(c["day"], c["hour"]) for c in cells} == {
        (day, hour) for day in range(1, 8) for hour in range(24)
    }, "the heatmap must have a cell per weekday and hour"
    for cell in cells:
        seconds = expected["heat"].get((cell["day"], cell["hour"]), 0.0)
        assert close(cell["seconds"], seconds), f"{cell} should hold {seconds} s"
        assert cell["size"][0] > 10 and cell["size"][1] > 10, f"{cell} is not drawn"
    marked = [(c["day"], c["hour"]) for c in cells if c["peak"]]
    assert marked == [expected["peak"]], (
        f"peak marked at {marked}, the marts say {expected['peak']}"
    )
    assert len({c["fill"] for c in cells}) > 10, "the heatmap cells are not shaded"
    assert shown["heatmapSize"][0][0] > 800, f"the heatmap is {shown['heatmapSize']} px"

    # The local-time heatmap: 168 cells, each session in its own zone, its peak marked.
    local_cells = shown["localCells"]
    assert sorted((c["day"], c["hour"]) for c in local_cells) == sorted(expected["local_heat"])
    assert len(local_cells) == 168
    for cell in local_cells:
        seconds = expected["local_heat"][(cell["day"], cell["hour"])]
        assert close(cell["seconds"], seconds), f"local {cell} should hold {seconds} s"
    local_marked = [(c["day"], c["hour"]) for c in local_cells if c["peak"]]
    assert local_marked == [expected["local_peak"]], f"local peak marked at {local_marked}"

    # Engagement segments: a bar per segment, users as dim_users counts them, widest the most.
    segments = {bar["segment"]: bar for bar in shown["segments"]}
    assert list(segments) == ["daily", "weekly", "monthly", "dormant"]
    assert {name: bar["users"] for name, bar in segments.items()} == {
        name: expected["segments"].get(name, 0) for name in segments
    }
    assert all(expected["segments"].get(name) for name in segments), "messy data: every segment"
    widest = max(segments.values(), key=lambda bar: bar["width"])
    assert widest["users"] == max(expected["segments"].values())

    # The histogram: 10 buckets with the counts, the tallest bar the biggest count.
    bars = shown["bars"]
    counts = [bar["count"] for bar in bars]
    assert counts == expected["histogram"], f"histogram {counts}, marts {expected['histogram']}"
    tallest = max(bars, key=lambda bar: bar["height"])
    assert tallest["count"] == max(expected["histogram"]), f"bar heights are off: {bars}"
    assert all(bar["height"] > 0 for bar in bars), f"a bar is not drawn: {bars}"

    # Daily charts: a point per day (days with too few sessions left out and listed), each at
    # the day's value from the marts, joined by lines.
    check_daily_points(
        shown["perUser"],
        shown["perUserOmitted"],
        expected["per_user"],
        {"sessions_per_user": lambda value, _: value},
    )
    check_daily_points(
        shown["durations"],
        shown["durationsOmitted"],
        expected["durations"],
        {"avg": lambda a, _m, _n: a / 60, "median": lambda _a, m, _n: m / 60},
    )
    assert len(shown["activeOmitted"]) == 1 and not shown["activeOmitted"][0].split()
    assert sorted({p["date"] for p in shown["active"]}) == sorted(
        day.isoformat() for day in expected["active"]
    ), "active users: a point for every day of rpt_active_users, empty days included"
    check_daily_points(
        shown["active"],
        shown["activeOmitted"],
        expected["active"],
        {
            "dau": lambda dau, _w, _m: dau,
            "wau": lambda _d, wau, _m: wau,
            "mau": lambda _d, _w, mau: mau,
        },
    )
    assert len(shown["lines"]) == 6 and min(shown["lines"]) > 50, f"lines: {shown['lines']}"

    # The screenshot shows it: a full page in many colours, the heatmap mostly coloured.
    page_png = seen["page_png"]
    assert page_png["width"] == 1200 and page_png["height"] > 900, page_png
    assert page_png["colours"] > 200, f"the screenshot looks blank: {page_png}"
    assert page_png["coloured"] > 0.03, f"the screenshot shows no chart: {page_png}"
    heatmap_png = seen["heatmap_png"]
    assert heatmap_png, "the heatmap is not visible"
    assert heatmap_png["colours"] > 30 and heatmap_png["coloured"] > 0.2, heatmap_png


def check_daily_points(
    points: list[dict[str, Any]],
    omitted_attribute: list[str],
    rows: dict[date, tuple],
    series: dict[str, Any],
) -> None:
    assert len(omitted_attribute) == 1, "the chart is missing"
    omitted = set(omitted_attribute[0].split())
    sessions = sorted(row[-1] for row in rows.values())
    median_day = sessions[len(sessions) // 2]
    for day in omitted:
        assert rows[date.fromisoformat(day)][-1] < 0.1 * median_day, f"{day} left out"
    for key, value_of in series.items():
        drawn = {p["date"]: p["value"] for p in points if p["series"] == key}
        missing = {day.isoformat() for day in rows} - set(drawn) - omitted
        assert not missing, f"{key}: no point for {sorted(missing)}"
        assert not set(drawn) & omitted, f"{key}: a day is both drawn and left out"
        assert set(drawn) <= {day.isoformat() for day in rows}, f"{key}: a point for no day"
        assert len(drawn) >= len(rows) / 2, f"{key}: most days must be drawn"
        for day, value in drawn.items():
            value_there = value_of(*rows[date.fromisoformat(day)])
            assert close(value, value_there), f"{key} on {day} is {value}, not {value_there}"


def test_report_on_the_published_copy_reads_its_publication_row(
    built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    """The file BI tools read holds the marts and the `publication` row, which records the
    quarantine count and the reporting time zone of the build that published it."""
    out = tmp_path / "published.html"
    written = run_report("--db", built_warehouse.published, "--out", out)
    assert written.returncode == 0, written.stderr
    with duckdb.connect(str(built_warehouse.database), read_only=True) as db:
        (rejected,) = db.execute("select count(*) from rejected_events").fetchone()
    page = out.read_text(encoding="utf-8")
    assert rejected > 0
    assert f'data-kpi="quarantined" data-value="{rejected}"' in page
    assert "America/New_York" in page


def test_report_on_a_copy_of_the_marts_alone(warehouse: Path, tmp_path: Path) -> None:
    """A database holding only the marts: no quarantine count, but a report."""
    published = tmp_path / "published.duckdb"
    with duckdb.connect(str(published)) as db:
        db.execute(f"attach '{warehouse}' as built (read_only)")
        for table in MARTS:
            db.execute(f"create table main.{table} as select * from built.main.{table}")
    out = tmp_path / "published.html"
    written = run_report("--db", published, "--out", out)
    assert written.returncode == 0, written.stderr
    page = out.read_text(encoding="utf-8")
    assert 'data-kpi="quarantined" data-value=""' in page
    assert "reporting time zone" in page

    labelled = run_report("--db", published, "--out", out, "--timezone-label", "Europe/Berlin")
    assert labelled.returncode == 0, labelled.stderr
    assert "Europe/Berlin" in out.read_text(encoding="utf-8")


def test_report_says_what_is_missing(tmp_path: Path) -> None:
    missing = run_report("--db", tmp_path / "nowhere.duckdb", "--out", tmp_path / "r.html")
    assert missing.returncode != 0
    assert "No database at" in missing.stderr and "make run" in missing.stderr

    empty = tmp_path / "empty.duckdb"
    with duckdb.connect(str(empty)) as db:
        db.execute("create table fct_sessions (session_id varchar)")
    no_marts = run_report("--db", empty, "--out", tmp_path / "r.html")
    assert no_marts.returncode != 0
    assert "rpt_session_time_hourly" in no_marts.stderr and "make run" in no_marts.stderr
    assert "Traceback" not in no_marts.stderr
    assert not (tmp_path / "r.html").exists()
