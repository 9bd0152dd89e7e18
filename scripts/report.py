"""Write the app sessions report: one self-contained HTML file that opens offline.

    python scripts/report.py [--db published/app_sessions.duckdb]
                             [--out target/report/app_sessions_report.html]

Reads the marts read-only from a DuckDB file (by default the published copy, so it never waits
for a dbt build) and writes a single HTML page with the headline numbers and four charts, drawn
as inline SVG by this script: daily sessions per user, average and median session time per day,
the distribution of session lengths, and total session time by weekday and hour of day in the
reporting time zone with the peak hour marked. No script, font, stylesheet or image is loaded
from anywhere: a Content-Security-Policy in the page forbids it, so it reads the same in an
e-mail attachment, on a plane or behind a firewall. Hover a point, bar or cell for its numbers.
"""

from __future__ import annotations

import argparse
import html
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_DIR / "published" / "app_sessions.duckdb"
DEFAULT_OUT = PROJECT_DIR / "target" / "report" / "app_sessions_report.html"
DEFAULT_TIMEZONE_LABEL = "reporting time zone"
THIN_DAY_SHARE = 0.1

REQUIRED_TABLES = (
    "fct_sessions",
    "rpt_sessions_per_user",
    "rpt_session_duration",
    "rpt_session_time_hourly",
    "rpt_active_users",
    "rpt_session_time_local_hourly",
    "dim_users",
)
SEGMENTS = ("daily", "weekly", "monthly", "dormant")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Session length buckets: (label, lower bound in seconds (inclusive), upper bound (exclusive)).
BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("< 10 s", 0, 10),
    ("10\u201330 s", 10, 30),
    ("30 s\u20131 min", 30, 60),
    ("1\u20132 min", 60, 120),
    ("2\u20135 min", 120, 300),
    ("5\u201310 min", 300, 600),
    ("10\u201330 min", 600, 1800),
    ("30\u201360 min", 1800, 3600),
    ("1\u20133 h", 3600, 10800),
    ("> 3 h", 10800, math.inf),
)

# Colours: one blue for sessions, an orange for the median and the peak, a sequential heat scale.
BLUE = "#2563eb"
ORANGE = "#ea580c"
INK = "#1f2937"
MUTED = "#6b7280"
TEAL = "#0d9488"
GRID = "#e5e7eb"
HEAT_STOPS = ("#f1f5f9", "#c7dcf0", "#79b0dd", "#3c7fc4", "#1d4f91", "#0b2a5b")


class ReportError(Exception):
    """A problem the user can fix (missing database or table); printed without a traceback."""


@dataclass
class ReportData:
    """Everything the report shows, read from the marts."""

    sessions: int
    users: int
    daily_sessions_per_user: float
    avg_duration_seconds: float
    median_duration_seconds: float
    first_start_at: datetime
    last_end_at: datetime
    first_date: date
    last_date: date
    zero_length_sessions: int
    quarantined: int | None
    timezone: str
    per_user_days: list[tuple[date, float, int, int]]  # day, sessions per user, users, sessions
    duration_days: list[tuple[date, float, float, int]]  # day, avg s, median s, sessions
    active_days: list[tuple[date, int, int, int, float | None]]  # day, DAU, WAU, MAU, DAU/MAU
    histogram: list[tuple[str, int]]  # bucket label, sessions
    heat: dict[tuple[int, int], tuple[float, int]]
    # (ISO weekday, hour of day) -> (session seconds, how many such hours the data covers)
    local_heat: dict[tuple[int, int], tuple[float, int]]
    # (local ISO weekday, local hour) -> (session seconds, sessions started), each session
    # in its own time zone
    segments: list[tuple[str, int]]  # engagement segment, users

    @property
    def hour_totals(self) -> list[float]:
        """Session seconds per hour of day, all weekdays together."""
        return [sum(self.heat.get((d, h), (0.0, 0))[0] for d in range(1, 8)) for h in range(24)]

    @property
    def busiest_hour(self) -> int:
        """The hour of day with the most session time over all days."""
        totals = self.hour_totals
        return max(range(24), key=lambda hour: (totals[hour], -hour))

    @property
    def peak(self) -> tuple[int, int, float]:
        """(weekday, hour, seconds) of the weekday x hour with the most session time."""
        return peak_of(self.heat)

    @property
    def local_peak(self) -> tuple[int, int, float]:
        """The same in users' own time zones."""
        return peak_of(self.local_heat)


def peak_of(heat: dict[tuple[int, int], tuple[float, int]]) -> tuple[int, int, float]:
    """(weekday, hour, seconds) of the cell with the most session time; ties: the earliest."""
    (day, hour), (seconds, _) = min(
        heat.items(), key=lambda item: (-item[1][0], item[0][0], item[0][1])
    )
    return day, hour, seconds


# --------------------------------------------------------------------------------------------
# Reading the marts


def read_report_data(path: Path, timezone_label: str | None) -> ReportData:
    if not path.exists():
        raise ReportError(
            f"No database at {path}. Build and publish the marts first: `make run`. Or point "
            "--db at a warehouse file, e.g. --db app_sessions.duckdb."
        )
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise ReportError(
            f"Cannot open {path} read-only: {error}\nIf a dbt build is writing to this file, "
            "report from the published copy (the default --db) or wait for the build to end."
        ) from error
    with connection:
        tables = {
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        }
        missing = [table for table in REQUIRED_TABLES if table not in tables]
        if missing:
            raise ReportError(
                f"{path} has no table {', '.join(missing)} (schema main): it does not hold "
                "the built marts. Run `make run` first, or point --db at a warehouse built by "
                "`dbt build`."
            )
        return _query(connection, tables, path, timezone_label)


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return connection.execute(sql).fetchall()


def _query(
    connection: duckdb.DuckDBPyConnection, tables: set[str], path: Path, label: str | None
) -> ReportData:
    (
        sessions,
        users,
        avg_duration,
        median_duration,
        first_start,
        last_end,
        first_date,
        last_date,
        zero_length,
    ) = _rows(
        connection,
        """
        select
            count(*), count(distinct user_key), avg(duration_seconds),
            median(duration_seconds), min(session_start_at), max(session_end_at),
            min(session_date), max(session_date), count(*) filter (where duration_seconds = 0)
        from main.fct_sessions
        """,
    )[0]
    if not sessions:
        raise ReportError(
            f"fct_sessions in {path} holds no sessions: check events_path and rejected_events, "
            "then run `make run` again."
        )
    per_user_days = _rows(
        connection,
        """
        select period_start, sessions_per_user, active_users, sessions
        from main.rpt_sessions_per_user where period = 'day' order by period_start
        """,
    )
    daily_sessions_per_user = sum(row[1] for row in per_user_days) / max(len(per_user_days), 1)
    duration_days = _rows(
        connection,
        """
        select period_start, avg_duration_seconds, median_duration_seconds, sessions
        from main.rpt_session_duration where period = 'day' order by period_start
        """,
    )
    active_days = _rows(
        connection,
        "select activity_date, dau, wau, mau, stickiness from main.rpt_active_users"
        " order by activity_date",
    )
    bucket_cases = "\n".join(
        f"when duration_seconds < {upper} then {index}"
        for index, (_, _, upper) in enumerate(BUCKETS[:-1])
    )
    counts = dict(
        _rows(
            connection,
            f"""
            select case {bucket_cases} else {len(BUCKETS) - 1} end as bucket, count(*)
            from main.fct_sessions group by bucket
            """,
        )
    )
    histogram = [(label_, counts.get(index, 0)) for index, (label_, _, _) in enumerate(BUCKETS)]
    heat = {
        (day, hour): (seconds, hours)
        for day, hour, seconds, hours in _rows(
            connection,
            """
            select day_of_week, hour_of_day, sum(session_seconds), count(*)
            from main.rpt_session_time_hourly group by day_of_week, hour_of_day
            """,
        )
    }
    if not heat:
        raise ReportError(f"rpt_session_time_hourly in {path} is empty: run `make run` again.")
    local_heat = {
        (day, hour): (seconds, started)
        for day, hour, seconds, started in _rows(
            connection,
            """
            select day_of_week, hour_of_day, session_seconds, sessions_started
            from main.rpt_session_time_local_hourly
            """,
        )
    }
    segment_users = dict(
        _rows(connection, "select engagement_segment, count(*) from main.dim_users group by 1")
    )
    segments = [(segment, segment_users.get(segment, 0)) for segment in SEGMENTS]
    quarantined = None
    if "rejected_events" in tables:
        try:
            quarantined = _rows(connection, "select count(*) from main.rejected_events")[0][0]
        except duckdb.Error:  # a view over a table the published copy does not hold
            quarantined = None
    elif "publication" in tables:  # the published copy records the count it was built with
        try:
            quarantined = _rows(connection, "select max(rejected_rows) from main.publication")[0][0]
        except duckdb.Error:
            quarantined = None
    return ReportData(
        sessions=sessions,
        users=users,
        daily_sessions_per_user=daily_sessions_per_user,
        avg_duration_seconds=avg_duration,
        median_duration_seconds=median_duration,
        first_start_at=first_start,
        last_end_at=last_end,
        first_date=first_date,
        last_date=last_date,
        zero_length_sessions=zero_length,
        quarantined=quarantined,
        timezone=label or _stored_timezone(connection) or DEFAULT_TIMEZONE_LABEL,
        per_user_days=per_user_days,
        duration_days=duration_days,
        active_days=active_days,
        histogram=histogram,
        heat=heat,
        local_heat=local_heat,
        segments=segments,
    )


def _stored_timezone(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The reporting time zone when the database records it: a `reporting_timezone` column in
    any table of schema main (e.g. the publishing step's metadata)."""
    holders = _rows(
        connection,
        """
        select table_name from information_schema.columns
        where table_schema = 'main' and column_name = 'reporting_timezone' order by table_name
        """,
    )
    for (table,) in holders:
        try:
            value = _rows(connection, f'select max(reporting_timezone) from main."{table}"')[0][0]
        except duckdb.Error:
            continue
        if value:
            return str(value)
    return None


# --------------------------------------------------------------------------------------------
# Formatting


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def fmt_int(value: int) -> str:
    return f"{value:,}"


def fmt_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def fmt_hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:,.0f} h" if hours >= 100 else f"{hours:,.1f} h"


def fmt_day(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {day:%b %Y}"


def date_span(first: date, last: date) -> str:
    if first.year != last.year:
        return f"{first.day} {first:%b %Y} \u2013 {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b} \u2013 {last.day} {last:%b %Y}"


def hour_range(hour: int) -> str:
    return f"{hour:02d}:00\u2013{hour:02d}:59"


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """0 and round steps up to at least `maximum`."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(math.ceil(maximum / step - 1e-9) + 1)]


def tick_label(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}".rstrip("0").rstrip(".")


def heat_colour(share: float) -> str:
    """Colour of a value `share` (0..1) of the maximum on the sequential scale."""
    share = min(max(share, 0.0), 1.0) ** 0.8 * (len(HEAT_STOPS) - 1)
    index = min(int(share), len(HEAT_STOPS) - 2)
    fraction = share - index
    low, high = HEAT_STOPS[index], HEAT_STOPS[index + 1]
    channels = (
        round(int(low[i : i + 2], 16) * (1 - fraction) + int(high[i : i + 2], 16) * fraction)
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def svg_text(x: float, y: float, text: str, anchor: str = "middle", css: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"'
        f"{f' class={chr(34)}{css}{chr(34)}' if css else ''}>{esc(text)}</text>"
    )


# --------------------------------------------------------------------------------------------
# Charts (inline SVG)


@dataclass
class Series:
    key: str
    name: str
    colour: str
    values: list[float]
    tips: list[str]


def thin_days(days: list[tuple]) -> set[date]:
    """Days with fewer than THIN_DAY_SHARE of the median day's sessions (rows: day first,
    sessions last): an edge of the data (a partial first or last day, a stray late event), not a
    trend. The daily charts leave them out and say so, instead of letting 2 sessions look like a
    spike."""
    if not days:
        return set()
    counts = sorted(row[-1] for row in days)
    median = counts[len(counts) // 2]
    return {row[0] for row in days if row[-1] < THIN_DAY_SHARE * median}


def omitted_note(days: list[tuple], omitted: set[date]) -> str:
    if not omitted:
        return ""
    listed = ", ".join(
        f"{fmt_day(row[0])} ({fmt_int(row[-1])} session{'s' if row[-1] != 1 else ''})"
        for row in days
        if row[0] in omitted
    )
    return f" Left out, too few sessions to mean anything: {listed}."


def line_chart(
    chart_id: str, rows: list[tuple], series: list[Series], omitted: set[date], width: int = 540
) -> str:
    """A line per series on a calendar axis (rows: day first), weekends shaded, a point with a
    tooltip per day. Days in `omitted` are left out of the lines and the scale; a day without
    sessions (no row) breaks the line. Drawn in the order given: the last series on top."""
    keep = [i for i, row in enumerate(rows) if row[0] not in omitted]
    days = [rows[i][0] for i in keep]
    series = [
        Series(s.key, s.name, s.colour, [s.values[i] for i in keep], [s.tips[i] for i in keep])
        for s in series
    ]
    height = 260
    left, right, top, bottom = 44, 12, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(max((v for s in series for v in s.values), default=0) * 1.05)
    y_max = ticks[-1]
    first = min(days, default=date.today())
    span = (max(days, default=first) - first).days + 1
    step = plot_w / span
    calendar = [first + timedelta(days=i) for i in range(span)]

    def x_of(day: date) -> float:
        return left + step * ((day - first).days + 0.5)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - value / y_max)

    omitted_dates = " ".join(sorted(day.isoformat() for day in omitted))
    parts = [
        f'<svg id="{chart_id}" class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'data-omitted="{omitted_dates}">'
    ]
    for day in calendar:
        if day.weekday() >= 5:
            parts.append(
                f'<rect class="weekend" x="{x_of(day) - step / 2:.1f}" y="{top}" '
                f'width="{step:.1f}" height="{plot_h}"/>'
            )
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(svg_text(left - 6, y + 4, tick_label(tick), "end", "axis"))
    for day in calendar:
        if span <= 10 or day.weekday() == 0:
            parts.append(svg_text(x_of(day), height - 10, f"{day.day} {day:%b}", "middle", "axis"))
            parts.append(
                f'<line class="tick" x1="{x_of(day):.1f}" x2="{x_of(day):.1f}" '
                f'y1="{top + plot_h}" y2="{top + plot_h + 4}"/>'
            )
    for s in series:
        path = []
        for i, (day, value) in enumerate(zip(days, s.values, strict=True)):
            joined = i > 0 and (day - days[i - 1]).days == 1
            path.append(f"{'L' if joined else 'M'}{x_of(day):.1f},{y_of(value):.1f}")
        parts.append(
            f'<path class="line" data-series="{s.key}" d="{" ".join(path)}" stroke="{s.colour}"/>'
        )
        for i, (day, value) in enumerate(zip(days, s.values, strict=True)):
            parts.append(
                f'<circle class="point" data-series="{s.key}" data-date="{day.isoformat()}" '
                f'data-value="{value!r}" cx="{x_of(day):.1f}" cy="{y_of(value):.1f}" r="3" '
                f'fill="{s.colour}"><title>{esc(s.tips[i])}</title></circle>'
            )
    parts.append(
        f'<line class="axis-line" x1="{left}" x2="{width - right}" '
        f'y1="{top + plot_h}" y2="{top + plot_h}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def histogram_chart(data: ReportData) -> str:
    width, height = 1080, 250
    left, right, top, bottom = 56, 12, 26, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(max(count for _, count in data.histogram) * 1.08)
    y_max = ticks[-1]
    slot = plot_w / len(data.histogram)
    bar_w = slot * 0.72
    parts = [f'<svg id="histogram" class="chart" viewBox="0 0 {width} {height}" role="img">']
    for tick in ticks:
        y = top + plot_h * (1 - tick / y_max)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(svg_text(left - 6, y + 4, tick_label(tick), "end", "axis"))
    for i, (label, count) in enumerate(data.histogram):
        bar_h = plot_h * count / y_max
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h - bar_h
        share = count / data.sessions
        tip = f"{label}: {fmt_int(count)} sessions ({share:.1%})"
        if i == 0 and data.zero_length_sessions:
            tip += f", of which {fmt_int(data.zero_length_sessions)} single-event sessions (0 s)"
        parts.append(
            f'<rect class="bar" data-bucket="{esc(label)}" data-count="{count}" '
            f'x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(bar_h, 0.5):.1f}" '
            f'rx="2"><title>{esc(tip)}</title></rect>'
        )
        share_text = f"{share:.0%}" if share >= 0.005 or not count else "< 1%"
        parts.append(svg_text(x + bar_w / 2, y - 6, share_text, "middle", "bar-label"))
        parts.append(svg_text(x + bar_w / 2, height - 10, label, "middle", "axis"))
    parts.append(
        f'<line class="axis-line" x1="{left}" x2="{width - right}" '
        f'y1="{top + plot_h}" y2="{top + plot_h}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def segments_chart(data: ReportData) -> str:
    """Users per engagement segment (dim_users), one horizontal bar each."""
    width, bar_h, gap, left, right = 1100, 26, 10, 90, 170
    height = len(data.segments) * (bar_h + gap) + 8
    total = sum(users for _, users in data.segments) or 1
    largest = max(users for _, users in data.segments) or 1
    parts = [f'<svg id="segments" class="chart" viewBox="0 0 {width} {height}" role="img">']
    for index, (segment, users) in enumerate(data.segments):
        y = 4 + index * (bar_h + gap)
        bar_w = (width - left - right) * users / largest
        parts.append(svg_text(left - 10, y + bar_h / 2 + 4, segment, "end", "axis"))
        parts.append(
            f'<rect class="bar segment" data-segment="{segment}" data-users="{users}" '
            f'x="{left}" y="{y}" width="{max(bar_w, 0.5):.1f}" height="{bar_h}" rx="3">'
            f"<title>{esc(f'{segment}: {fmt_int(users)} users ({users / total:.0%})')}</title>"
            "</rect>"
        )
        parts.append(
            svg_text(
                left + bar_w + 8,
                y + bar_h / 2 + 4,
                f"{fmt_int(users)} users ({users / total:.0%})",
                "start",
                "bar-label",
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def heatmap_chart(data: ReportData) -> str:
    """The heatmap in the reporting time zone: each cell's tooltip says over how many such
    weekdays the data runs (hours outside the data's range are blank)."""

    def tip(day: int, hour: int, seconds: float, hours: int) -> str | None:
        name = WEEKDAY_NAMES[day - 1]
        if not hours:
            return None
        return (
            f"{name} {hour_range(hour)} ({data.timezone}): {fmt_hours(seconds)} of session "
            f"time over {hours} {name}{'s' if hours != 1 else ''} "
            f"({fmt_hours(seconds / hours)} per {name})"
        )

    return heat_grid("heatmap", data.heat, tip)


def local_heatmap_chart(data: ReportData) -> str:
    """The heatmap in each session's own time zone (rpt_session_time_local_hourly)."""

    def tip(day: int, hour: int, seconds: float, started: int) -> str:
        return (
            f"{WEEKDAY_NAMES[day - 1]} {hour_range(hour)}, users' local time: "
            f"{fmt_hours(seconds)} of session time, {fmt_int(started)} sessions started"
        )

    return heat_grid("local-heatmap", data.local_heat, tip)


def heat_grid(
    element_id: str,
    heat: dict[tuple[int, int], tuple[float, int]],
    tip: Callable[[int, int, float, int], str | None],
) -> str:
    """Weekday rows x hour columns, the peak outlined, totals per hour below and per day right.
    ``tip`` gives a cell's tooltip, or None for a cell outside the data (drawn blank)."""
    cell_w, cell_h, gap = 38, 30, 2
    left, top = 44, 22
    grid_w, grid_h = 24 * cell_w, 7 * cell_h
    margin_h, margin_w = 46, 90  # hour totals below, weekday totals to the right
    width = left + grid_w + 14 + margin_w + 10
    height = top + grid_h + 12 + margin_h + 20
    peak_day, peak_hour, peak_seconds = peak_of(heat)
    maximum = peak_seconds or 1.0
    parts = [f'<svg id="{element_id}" class="chart" viewBox="0 0 {width} {height}" role="img">']
    for hour in range(24):
        parts.append(
            svg_text(left + cell_w * (hour + 0.5), top - 8, f"{hour:02d}", "middle", "axis")
        )
    for day in range(1, 8):
        y = top + cell_h * (day - 1)
        parts.append(svg_text(left - 8, y + cell_h / 2 + 4, WEEKDAYS[day - 1], "end", "axis"))
        for hour in range(24):
            seconds, count = heat.get((day, hour), (0.0, 0))
            x = left + cell_w * hour
            text = tip(day, hour, seconds, count)
            if text is not None:
                colour = heat_colour(seconds / maximum)
            else:
                text = f"{WEEKDAY_NAMES[day - 1]} {hour_range(hour)}: not in the data's range"
                colour = "#ffffff"
            peak = (day, hour) == (peak_day, peak_hour)
            empty = "" if colour != "#ffffff" else " empty"
            parts.append(
                f'<rect class="cell{" peak" if peak else ""}{empty}" '
                f'data-day="{day}" data-hour="{hour}" data-seconds="{seconds!r}" '
                f'x="{x + gap / 2:.1f}" y="{y + gap / 2:.1f}" width="{cell_w - gap}" '
                f'height="{cell_h - gap}" rx="3" fill="{colour}"><title>{esc(text)}</title></rect>'
            )
    # The peak: an outline on top of its neighbours and a label.
    px, py = left + cell_w * peak_hour, top + cell_h * (peak_day - 1)
    parts.append(
        f'<rect class="peak-mark" x="{px:.1f}" y="{py:.1f}" width="{cell_w}" '
        f'height="{cell_h}" rx="4"/>'
    )
    parts.append(svg_text(px + cell_w / 2, py + cell_h / 2 + 4, "★", "middle", "peak-star"))
    # Totals per hour of day (all weekdays) below the grid.
    hour_totals = [sum(heat.get((d, h), (0.0, 0))[0] for d in range(1, 8)) for h in range(24)]
    base = top + grid_h + 12 + margin_h
    best_hour = max(range(24), key=lambda hour: (hour_totals[hour], -hour))
    for hour, total in enumerate(hour_totals):
        bar_h = margin_h * total / (max(hour_totals) or 1)
        css = "margin-bar best" if hour == best_hour else "margin-bar"
        parts.append(
            f'<rect class="{css}" x="{left + cell_w * hour + 4:.1f}" y="{base - bar_h:.1f}" '
            f'width="{cell_w - 8}" height="{max(bar_h, 0.5):.1f}" rx="2"><title>'
            f"{esc(f'{hour_range(hour)}, all days: {fmt_hours(total)} of session time')}"
            "</title></rect>"
        )
    parts.append(svg_text(left - 8, base - 14, "all", "end", "axis"))
    parts.append(svg_text(left - 8, base - 1, "days", "end", "axis"))
    for hour in range(0, 24, 3):
        parts.append(
            svg_text(left + cell_w * (hour + 0.5), base + 14, f"{hour:02d}:00", "middle", "axis")
        )
    # Totals per weekday (all hours) to the right.
    day_totals = [sum(heat.get((d, h), (0.0, 0))[0] for h in range(24)) for d in range(1, 8)]
    x0 = left + grid_w + 14
    parts.append(svg_text(x0, top - 8, "all hours", "start", "axis"))
    for day, total in enumerate(day_totals, start=1):
        bar_w = margin_w * total / (max(day_totals) or 1)
        y = top + cell_h * (day - 1)
        parts.append(
            f'<rect class="margin-bar" x="{x0:.1f}" y="{y + 6:.1f}" width="{max(bar_w, 0.5):.1f}" '
            f'height="{cell_h - 12}" rx="2"><title>'
            f"{esc(f'{WEEKDAY_NAMES[day - 1]}, all hours: {fmt_hours(total)} of session time')}"
            "</title></rect>"
        )
    # Legend below the weekday totals: the colour scale from 0 to the peak.
    legend_y = top + grid_h + 22
    steps = 30
    for i in range(steps):
        parts.append(
            f'<rect x="{x0 + i * 3}" y="{legend_y}" width="3" height="10" '
            f'fill="{heat_colour(i / (steps - 1))}"/>'
        )
    parts.append(svg_text(x0, legend_y + 23, "0 h", "start", "axis"))
    parts.append(svg_text(x0 + steps * 3, legend_y + 23, fmt_hours(maximum), "end", "axis"))
    parts.append(svg_text(x0, legend_y + 38, "session time", "start", "axis"))
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# The page


CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #1f2937;
  font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Liberation Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 40px; }
header { display: flex; justify-content: space-between; align-items: flex-end; gap: 24px;
  margin-bottom: 18px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 17px; margin: 0 0 2px; }
.sub, .note, footer { color: #6b7280; }
.sub { margin: 0; }
.generated { font-size: 13px; text-align: right; white-space: nowrap; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-bottom: 16px; }
.kpi { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 12px 16px; }
.kpi .label { font-size: 13px; color: #6b7280; }
.kpi .value { font-size: 26px; font-weight: 650; letter-spacing: -0.01em; margin: 2px 0; }
.kpi .detail { font-size: 12.5px; color: #6b7280; }
.kpi.highlight { border-color: #fdba74; background: #fff7ed; }
.kpi.highlight .value { color: #c2410c; }
.card { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 16px 20px;
  margin-bottom: 16px; }
.card .note { font-size: 13px; margin: 2px 0 10px; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.row .card { margin-bottom: 16px; }
.chart { display: block; width: 100%; height: auto; }
.chart text { font-size: 11px; fill: #6b7280; }
.chart .bar-label { font-size: 11.5px; fill: #374151; font-weight: 600; }
.chart .grid { stroke: #eef0f3; }
.chart .axis-line, .chart .tick { stroke: #9ca3af; }
.chart .weekend { fill: #f5f6f8; }
.chart .line { fill: none; stroke-width: 2.2; stroke-linejoin: round; }
.chart .point:hover, .chart .bar:hover, .chart .cell:hover { opacity: 0.75; }
.chart .bar { fill: #2563eb; }
.chart .margin-bar { fill: #94a3b8; }
.chart .margin-bar.best { fill: #ea580c; }
.chart .peak-mark { fill: none; stroke: #ea580c; stroke-width: 3; pointer-events: none; }
.chart .peak-star { fill: #fff; font-size: 14px; pointer-events: none; }
.legend { display: flex; gap: 18px; font-size: 13px; color: #4b5563; margin: 0 0 6px; }
.legend i { display: inline-block; width: 14px; height: 3px; vertical-align: middle;
  margin-right: 6px; border-radius: 2px; }
footer { font-size: 12.5px; margin-top: 8px; }
footer p { margin: 4px 0; }
"""


def kpi(key: str, label: str, value: str, detail: str, raw: object, highlight: bool = False) -> str:
    css = "kpi highlight" if highlight else "kpi"
    return (
        f'<div class="{css}" data-kpi="{key}" data-value="{esc(raw)}">'
        f'<div class="label">{esc(label)}</div><div class="value">{esc(value)}</div>'
        f'<div class="detail">{esc(detail)}</div></div>'
    )


def render(data: ReportData, source: Path, generated_at: datetime) -> str:
    peak_day, peak_hour, peak_seconds = data.peak
    peak_hours = data.heat[(peak_day, peak_hour)][1]
    tz = data.timezone
    days = (data.last_date - data.first_date).days + 1
    total_seconds = sum(seconds for seconds, _ in data.heat.values())
    average_cell = total_seconds / max(len(data.heat), 1)
    range_text = f"{data.first_start_at:%Y-%m-%d %H:%M} to {data.last_end_at:%Y-%m-%d %H:%M} UTC"
    if data.quarantined is None:
        quarantine = kpi(
            "quarantined",
            "Events quarantined",
            "n/a",
            "rejected_events is not in this database (the published copy holds only the marts)",
            "",
        )
    else:
        quarantine = kpi(
            "quarantined",
            "Events quarantined",
            fmt_int(data.quarantined),
            "raw rows set aside, see rejected_events",
            data.quarantined,
        )
    kpis = "".join(
        (
            kpi("sessions", "Sessions", fmt_int(data.sessions), f"over {days} days", data.sessions),
            kpi(
                "users",
                "Users",
                fmt_int(data.users),
                f"{data.sessions / data.users:.1f} sessions each over the period",
                data.users,
            ),
            kpi(
                "sessions_per_user_per_day",
                "Sessions per user per day",
                f"{data.daily_sessions_per_user:.2f}",
                "average over the days of the users active that day",
                repr(data.daily_sessions_per_user),
            ),
            kpi(
                "peak_hour",
                "Peak hour",
                f"{WEEKDAYS[peak_day - 1]} {peak_hour:02d}:00",
                f"{WEEKDAY_NAMES[peak_day - 1]} {hour_range(peak_hour)} ({tz}); busiest hour "
                f"over all days: {hour_range(data.busiest_hour)}",
                f"{peak_day} {peak_hour}",
                highlight=True,
            ),
            kpi(
                "avg_session",
                "Average session time",
                fmt_duration(data.avg_duration_seconds),
                "mean of all sessions",
                repr(data.avg_duration_seconds),
            ),
            kpi(
                "median_session",
                "Median session time",
                fmt_duration(data.median_duration_seconds),
                "half the sessions are shorter",
                repr(data.median_duration_seconds),
            ),
            kpi(
                "data_range",
                "Data range",
                date_span(data.first_date, data.last_date),
                f"{days} days ({tz})",
                f"{data.first_date.isoformat()} {data.last_date.isoformat()}",
            ),
            quarantine,
        )
    )
    weekday_counts = {
        day: max((hours for (d, _), (_, hours) in data.heat.items() if d == day), default=0)
        for day in range(1, 8)
    }
    uneven = ""
    if len(set(weekday_counts.values())) > 1:
        listed = ", ".join(f"{WEEKDAYS[d - 1]} {n}" for d, n in weekday_counts.items())
        uneven = (
            f" The range does not hold every weekday equally often ({listed}), which weighs on "
            "the totals: hover a cell for its average per day."
        )
    heat_note = (
        f"Total time users spent in sessions, by day of week and hour of day ({tz}). "
        f"The peak ★ is {WEEKDAY_NAMES[peak_day - 1]} {hour_range(peak_hour)}: "
        f"{fmt_hours(peak_seconds)} over {peak_hours} {WEEKDAY_NAMES[peak_day - 1]}s, "
        f"{peak_seconds / average_cell:.1f}\u00d7 the average hour.{uneven}"
    )

    per_user_omitted = thin_days(data.per_user_days)
    duration_omitted = thin_days(data.duration_days)
    per_user_chart = line_chart(
        "daily-sessions-per-user",
        data.per_user_days,
        [
            Series(
                "sessions_per_user",
                "Sessions per user",
                BLUE,
                [row[1] for row in data.per_user_days],
                [
                    f"{fmt_day(d)}: {v:.2f} sessions per user "
                    f"({fmt_int(n)} sessions, {fmt_int(u)} users)"
                    for d, v, u, n in data.per_user_days
                ],
            )
        ],
        per_user_omitted,
    )
    duration_chart = line_chart(
        "daily-session-time",
        data.duration_days,
        [
            Series(
                "avg",
                "Average",
                BLUE,
                [row[1] / 60 for row in data.duration_days],
                [
                    f"{fmt_day(d)}: average {fmt_duration(a)} over {fmt_int(n)} sessions"
                    for d, a, _, n in data.duration_days
                ],
            ),
            Series(
                "median",
                "Median",
                ORANGE,
                [row[2] / 60 for row in data.duration_days],
                [
                    f"{fmt_day(d)}: median {fmt_duration(m)} over {fmt_int(n)} sessions"
                    for d, _, m, n in data.duration_days
                ],
            ),
        ],
        duration_omitted,
    )
    active_chart = line_chart(
        "daily-active-users",
        data.active_days,
        [
            Series(
                key,
                name,
                colour,
                [row[position] for row in data.active_days],
                [
                    f"{fmt_day(d)}: {fmt_int(dau)} active that day, {fmt_int(wau)} in 7 days, "
                    f"{fmt_int(mau)} in 28 days"
                    + (f"; DAU/MAU {stickiness:.0%}" if stickiness is not None else "")
                    for d, dau, wau, mau, stickiness in data.active_days
                ],
            )
            for key, name, colour, position in (  # the smallest on top
                ("mau", "MAU", ORANGE, 3),
                ("wau", "WAU", TEAL, 2),
                ("dau", "DAU", BLUE, 1),
            )
        ],
        set(),
        width=1100,
    )
    local_day, local_hour, local_seconds = data.local_peak
    local_total = sum(seconds for seconds, _ in data.local_heat.values()) or 1.0
    local_note = (
        f"Each session in its own time zone (the device's, else {tz}), its time split at the "
        f"local hours of that zone. Peak: {WEEKDAY_NAMES[local_day - 1]} "
        f"{hour_range(local_hour)} local time, {local_seconds / local_total:.1%} of all session "
        "time: the hour to time campaigns for users in every zone at once."
    )
    segment_note = (
        "Users by their active days (days with a session) in the 28 days before the data's "
        "last session end: daily 20 or more, weekly 4 or more, monthly 1 or more, else "
        "dormant (the thresholds are dbt vars). Per user, with their usual local hour: dim_users."
    )
    per_user_note = omitted_note(data.per_user_days, per_user_omitted)
    duration_note = omitted_note(data.duration_days, duration_omitted)
    longest = max(data.histogram, key=lambda item: item[1])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
  content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>App sessions report</title>
<style>{CSS}</style>
</head>
<body>
<main>
<header>
  <div>
    <h1>App sessions</h1>
    <p class="sub">How often users come back, how long they stay, and when: sessions from
    {esc(range_text)}. Days and hours: {esc(tz)}.</p>
  </div>
  <div class="generated sub">Generated {generated_at:%Y-%m-%d %H:%M} UTC<br>
    from {esc(source.name)}</div>
</header>
<section class="kpis" id="kpis">{kpis}</section>
<section class="card" id="peak-hours">
  <h2>When users are in the app: session time by weekday and hour</h2>
  <p class="note">{esc(heat_note)}</p>
  {heatmap_chart(data)}
</section>
<section class="card" id="local-peak-hours">
  <h2>In users' own time zones: session time by local weekday and hour</h2>
  <p class="note">{esc(local_note)}</p>
  {local_heatmap_chart(data)}
</section>
<section class="card" id="engagement-segments">
  <h2>Engagement segments: active days in the last 28</h2>
  <p class="note">{esc(segment_note)}</p>
  {segments_chart(data)}
</section>
<div class="row">
  <section class="card">
    <h2>Sessions per user, per day</h2>
    <p class="note">Sessions of the day divided by the users active that day (days in
    the reporting time zone, weekends shaded).{esc(per_user_note)}</p>
    <div class="legend"><span><i style="background:{BLUE}"></i>sessions per user</span></div>
    {per_user_chart}
  </section>
  <section class="card">
    <h2>Session time per day (minutes)</h2>
    <p class="note">Mean and median length of the sessions that started that day. A mean far
    above the median: a few long sessions.{esc(duration_note)}</p>
    <div class="legend"><span><i style="background:{BLUE}"></i>average</span>
      <span><i style="background:{ORANGE}"></i>median</span></div>
    {duration_chart}
  </section>
</div>
<section class="card">
  <h2>Active users: day, 7 days, 28 days</h2>
  <p class="note">Users with a session that day (DAU), in the 7 days ending that day (WAU) and
  in the 28 days ending that day (MAU), every day of the range; DAU/MAU (stickiness) in each
  point's tooltip.</p>
  <div class="legend"><span><i style="background:{BLUE}"></i>DAU</span>
    <span><i style="background:{TEAL}"></i>WAU</span>
    <span><i style="background:{ORANGE}"></i>MAU</span></div>
  {active_chart}
</section>
<section class="card">
  <h2>How long sessions last</h2>
  <p class="note">Sessions by length (each bucket includes its lower bound). Most common:
  {esc(longest[0])}. {fmt_int(data.zero_length_sessions)} sessions have a single event and
  last 0 s.</p>
  {histogram_chart(data)}
</section>
<footer>
  <p>A session is a device's consecutive foreground events, split by 30 minutes of inactivity
  by default and capped at a day; see docs/contract.md in the app_sessions project. Session
  time by hour splits each session over the hours it spans.</p>
  <p>Source: {esc(source)} (read-only). This page loads nothing from the network.</p>
</footer>
</main>
</body>
</html>
"""


def write_report(db: Path, out: Path, timezone_label: str | None = None) -> ReportData:
    data = read_report_data(db, timezone_label)
    page = render(data, db, datetime.now(UTC))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, out)  # readers never see a half-written report
    return data


def save_screenshot(html: Path, png: Path) -> None:
    """The report's first screen as the README shows it, from Debian's Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 828})
        page.goto(html.resolve().as_uri())
        png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file with the marts ({DEFAULT_DB})"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"HTML file ({DEFAULT_OUT})")
    parser.add_argument(
        "--timezone-label",
        default=None,
        help="name of the reporting time zone to print (default: the one recorded in the "
        f"database, else '{DEFAULT_TIMEZONE_LABEL}')",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        default=None,
        help="also save the first screen (1200 px wide) as PNG, rendered in headless Chromium "
        "(/usr/bin/chromium), e.g. docs/images/report.png",
    )
    args = parser.parse_args(argv)
    try:
        data = write_report(args.db, args.out, args.timezone_label)
    except ReportError as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    if args.screenshot:
        save_screenshot(args.out, args.screenshot)
    day, hour, _ = data.peak
    print(
        f"Wrote {args.out}: {data.sessions:,} sessions, peak {WEEKDAY_NAMES[day - 1]} "
        f"{hour_range(hour)} ({data.timezone})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
