-- The floor: the whole contract (docs/contract.md) as one hand-written DuckDB script, no dbt.
-- Same files in, the same fct_sessions and report tables out, with none of the project's
-- extras: no staging table of raw text, no quarantine table, no incremental ledger, no
-- tests. benchmark/floor.py fills in the braced settings and runs it.

set threads = {threads};
set memory_limit = '{memory_limit}';
set temp_directory = '{temp_directory}';
set preserve_insertion_order = false;
set TimeZone = 'UTC';

-- The contract's trim: ASCII whitespace at both ends, blank is null. Most values have none,
-- and checking the end characters first is cheaper than trimming every value: the first byte
-- by `< '!'` (no substring), the last character by `<= ' '` (see trim_to_null.sql).
create temp macro trimmed(t) as case when t < '!' or t[-1] <= ' '
    then nullif(trim(t, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)), '') else t end;

-- The exporters' usual timestamp text in one step (its shape, then strptime; year 0000 is left
-- to the general parser), as microseconds since 1970; null for any other text.
create temp macro usual_us(t) as case
    when t like '____-__-__T__:__:__.______Z' and t not like '0000%'
        then epoch_us(try_strptime(t, '%Y-%m-%dT%H:%M:%S.%fZ'))
end;

-- Any ISO-8601 text of the contract, from the parts of the pattern in benchmark/floor.py.
create temp macro general_us(p) as case when p.day <> '' and p.day not like '0000%' then
    epoch_us(try_cast(p.day || ' ' || p.hour || ':' || p.minute || ':' || coalesce(nullif(p.second, ''), '00') as timestamp))
    + cast(left(p.fraction || '000000', 6) as bigint)
    - (case when p.sign = '-' then -1 else 1 end) * 1000000
    * (3600 * cast(coalesce(nullif(p.offset_hour, ''), '0') as bigint)
       + 60 * cast(coalesce(nullif(p.offset_minute, ''), '0') as bigint))
end;

-- A gap between two events of a device ends one session and starts the next when it is longer
-- than the timeout (after a background event: the background timeout); no neighbour (a null
-- gap) is a session's edge too. Both sorts below flag their edges with it.
create temp macro splits_session(gap_us, after_background) as coalesce(
    gap_us > case when after_background then {background_timeout_us} else {session_timeout_us} end,
    true
);

-- Clean events, one per event: trim, parse, the row rules, then dedupe. Every step is
-- `not materialized`: each is read by two branches, and DuckDB would otherwise hold all of
-- its rows for both (100M rows of every column spilled 45 GB under a 2 GB memory_limit).
create view clean_events as
with

raw as not materialized (
    -- row_key: where the row is in the files (file index, row number), for the tie-breakers
    select
        event_id, device_id, user_id, event_name, event_timestamp, received_at,
        platform, app_version, filename as source_file,
        file_index * {file_row_limit} + file_row_number as row_key,
        trimmed(event_id) as c_event_id
    from read_parquet('{events_glob}', union_by_name = true, filename = true)
),

repeated_ids as (
    -- ids delivered more than once (a superset of the duplicates): only rows with such an
    -- id, or with none, can be copies, so only they are ranked. Reads the id column alone,
    -- grouped by its 64-bit hash (cheaper than the strings; a collision only ranks more rows)
    select hash(c_event_id) as repeated_hash
    from raw
    where c_event_id is not null
    group by hash(c_event_id)
    having count(*) > 1
),

flagged as not materialized (
    -- flagged before anything else is trimmed or parsed: the branch of possible copies keeps
    -- few rows, and does the rest for them alone
    select raw.*, c_event_id is null or repeated_hash is not null as may_be_duplicate
    from raw
    left join repeated_ids on hash(raw.c_event_id) = repeated_ids.repeated_hash
),

cleaned as not materialized (
    select
        *,
        trimmed(device_id) as c_device_id,
        trimmed(user_id) as c_user_id,
        trimmed(event_name) as c_event_name,
        trimmed(platform) as c_platform,
        trimmed(app_version) as c_app_version,
        trimmed(event_timestamp) as ts_text,
        trimmed(received_at) as rx_text
    from flagged
),

split as not materialized (
    -- received_at is parsed only where its text cannot decide the clock-skew rule alone (a
    -- usual text no earlier than the event's: the row passes, whether it parses or not) or
    -- where it ranks copies
    select
        *,
        usual_us(ts_text) as ts_fast_us,
        may_be_duplicate or not coalesce(
            ts_fast_us is not null and rx_text like '____-__-__T__:__:__.______Z' and rx_text >= ts_text,
            false
        ) as needs_received,
        case when needs_received then usual_us(rx_text) end as rx_fast_us,
        case when ts_fast_us is null then regexp_extract(ts_text, '{iso_pattern}', {iso_parts}) end as tp,
        case when needs_received and rx_fast_us is null then regexp_extract(rx_text, '{iso_pattern}', {iso_parts}) end as rp
    from cleaned
),

parsed as not materialized (
    -- the contract's instants: 0001-01-01 .. 9999-12-31 23:59:59.999999 UTC
    select
        *,
        coalesce(ts_fast_us, case when general_us(tp) between -62135596800000000 and 253402300799999999 then general_us(tp) end) as event_us,
        coalesce(rx_fast_us, case when general_us(rp) between -62135596800000000 and 253402300799999999 then general_us(rp) end) as received_us
    from split
),

valid as not materialized (
    -- rows passing the row rules, keyed by what makes two rows the same event
    select
        c_event_id, c_device_id, c_user_id, c_event_name, c_platform, c_app_version,
        event_us, received_us, row_key,
        event_id, device_id, user_id, event_name, event_timestamp, received_at,
        platform, app_version, source_file,
        may_be_duplicate,
        coalesce('id:' || c_event_id, 'content:' || md5(
            coalesce(length(c_device_id) || ':' || c_device_id, '~')
            || coalesce(length(c_user_id) || ':' || c_user_id, '~')
            || coalesce(length(c_event_name) || ':' || c_event_name, '~')
            || cast(event_us as varchar)
        )) as dedupe_key
    from parsed
    where
        c_event_name is not null
        and (c_device_id is not null or c_user_id is not null)
        and event_us is not null
        and (not needs_received or received_us is null or event_us - received_us <= {max_clock_skew_us})
),

kept as (
    select * from valid where not may_be_duplicate
    union all
    select * from (
        select *
        from valid
        where may_be_duplicate
        qualify row_number() over (
            partition by dedupe_key
            order by
                received_us asc nulls last, event_us asc,
                c_device_id asc nulls last, c_user_id asc nulls last,
                c_event_name asc nulls last, c_platform asc nulls last,
                c_app_version asc nulls last, event_timestamp asc nulls last,
                received_at asc nulls last, event_id asc nulls last,
                device_id asc nulls last, user_id asc nulls last,
                event_name asc nulls last, platform asc nulls last,
                app_version asc nulls last, source_file asc
        ) = 1
    )
)

select
    hash(coalesce('device:' || c_device_id, 'user:' || c_user_id)) as device_key,
    c_device_id as device_id,
    c_user_id as user_id,
    event_us,
    lower(c_event_name) in ({background_names}) as is_background,
    c_platform as platform,
    c_app_version as app_version,
    row_key
from kept;

-- Narrow keys through the sort (docs/performance.md): the device as a 64-bit hash of its
-- partition key, the event time, and only the columns a session takes from its events. The
-- contract orders events of one instant by event_id, event_name, user_id: those strings are
-- not sorted (they cost as much as the rest of the sort); a device with events at one instant
-- is sorted again below, with them. The sorted events are a temporary table, read by the
-- steps below and never written to the database file.
create temp table ordered as
with neighbours as (
    select
        *,
        row_number() over w as event_index,
        lag(event_us) over w as previous_us,
        lag(is_background) over w as previous_is_background,
        lead(event_us) over w as next_us,
        -- a session's own user is that of its last event with one: an event whose user
        -- differs from the next event's, or the session's last event
        lead(user_id) over w as next_user_id,
        -- two partition keys with one hash would share a partition: checked below
        lag(event_us) over w is not null and (
            device_id is distinct from lag(device_id) over w
            or (device_id is null and user_id is distinct from lag(user_id) over w)
        ) as other_partition_before
    from clean_events
    window w as (partition by device_key order by event_us)
)
select
    * exclude (next_us, next_user_id),
    splits_session(event_us - previous_us, previous_is_background) as starts,
    splits_session(next_us - event_us, is_background) as ends,
    user_id is distinct from next_user_id as ends_user_run,
    event_us = previous_us or event_us = next_us as tied
from neighbours;

select case when count(*) > 0 then error(
    'floor.sql: two devices share a 64-bit hash (' || count(*) || ' events); sessionize'
    || ' these inputs with the dbt project, which partitions by the key itself'
) end
from ordered
where other_partition_before;

-- Devices with events at one instant: their events again, in the contract's whole order, the
-- tied events' event_id and event_name read back from the files by row_key. Without ties (the
-- usual case) both joins are empty and the files are not read.
create temp table retied as
with

tied_devices as (select distinct device_key from ordered where tied),

tie_breakers as (
    select row_key, trimmed(event_id) as event_id, trimmed(event_name) as event_name
    from (
        select event_id, event_name, file_index * {file_row_limit} + file_row_number as row_key
        from read_parquet('{events_glob}', union_by_name = true)
    )
    where row_key in (select row_key from ordered where tied)
),

neighbours as (
    select
        ordered.device_key, ordered.device_id, ordered.user_id, ordered.event_us,
        ordered.is_background, ordered.platform, ordered.app_version, ordered.row_key,
        row_number() over w as event_index,
        lag(ordered.event_us) over w as previous_us,
        lag(ordered.is_background) over w as previous_is_background,
        lead(ordered.event_us) over w as next_us,
        lead(ordered.user_id) over w as next_user_id,
        ordered.other_partition_before
    from ordered
    semi join tied_devices using (device_key)
    left join tie_breakers using (row_key)
    window w as (
        partition by ordered.device_key
        order by ordered.event_us, tie_breakers.event_id asc nulls last,
            tie_breakers.event_name, ordered.user_id asc nulls last
    )
)

select
    * exclude (next_us, next_user_id),
    splits_session(event_us - previous_us, previous_is_background) as starts,
    splits_session(next_us - event_us, is_background) as ends,
    user_id is distinct from next_user_id as ends_user_run,
    true as tied
from neighbours;

delete from ordered where device_key in (select device_key from retied);
insert into ordered by name select * from retied;

-- Timeout sessions from the rows that start or end one, follow a background event (the only
-- gaps left out of foreground time) or end a run of one user: a second, small window pass.
create temp table timeout_sessions as
with

spans as (
    select
        device_key, device_id, user_id, event_index, event_us, starts, ends, previous_us,
        previous_is_background, platform, app_version,
        max(case when starts then event_us end) over d as start_us
    from ordered
    where starts or ends or previous_is_background or ends_user_run
    window d as (partition by device_key order by event_index rows unbounded preceding)
)

select
    device_key,
    start_us,
    max(device_id) as device_id,
    max(case when ends then event_us end) as end_us,
    max(case when ends then event_index end) - max(case when starts then event_index end) + 1
        as event_count,
    sum(case when previous_is_background and not starts then event_us - previous_us else 0 end)
        as background_us,
    max(case when starts then platform end) as platform,
    max(case when starts then app_version end) as app_version,
    arg_max(user_id, event_index) filter (where user_id is not null) as session_user_id
from spans
group by device_key, start_us;

-- Sessions longer than the cap (rare) are cut into pieces from their events. A session of
-- exactly the cap is not cut, so here every event goes to piece floor(offset / cap).
create temp table capped_events as
with pieces as (
    select
        ordered.*,
        long.start_us,
        floor((ordered.event_us - long.start_us) / {max_session_us}) as piece,
        floor((ordered.previous_us - long.start_us) / {max_session_us}) as previous_piece
    from ordered
    inner join timeout_sessions as long
        on ordered.device_key = long.device_key
        and ordered.event_us between long.start_us and long.end_us
    where long.end_us - long.start_us > {max_session_us}
)
select
    *,
    starts or piece <> previous_piece as is_session_start
from pieces;

create temp table sessions as
select
    device_key, start_us, end_us, background_us, event_count, device_id, session_user_id,
    platform, app_version
from timeout_sessions
where end_us - start_us <= {max_session_us}
union all
select
    device_key,
    min(event_us),
    max(event_us),
    sum(case when not is_session_start and previous_is_background
        then event_us - previous_us else 0 end),
    count(*),
    max(device_id),
    arg_max(user_id, event_index) filter (where user_id is not null),
    max(case when is_session_start then platform end),
    max(case when is_session_start then app_version end)
from capped_events
group by device_key, start_us, piece;

-- The gaps after a background event inside a session: left out of foreground time, per hour too.
create temp table background_gaps as
select ordered.previous_us as gap_start_us, ordered.event_us as gap_end_us
from ordered
anti join (select * from timeout_sessions where end_us - start_us > {max_session_us}) as long
    on ordered.device_key = long.device_key
    and ordered.event_us between long.start_us and long.end_us
where
    ordered.previous_is_background and not ordered.starts
    and ordered.event_us > ordered.previous_us
union all
select previous_us, event_us
from capped_events
where not is_session_start and previous_is_background and event_us > previous_us;

-- The session id is a random string: stored uncompressed, as dbt's fct_sessions stores it
-- (docs/performance.md), since compressing it costs more than the smaller file saves.
create table fct_sessions (
    session_id varchar using compression uncompressed,
    device_id varchar,
    user_id varchar,
    user_key varchar,
    session_start_at timestamp,
    session_end_at timestamp,
    duration_seconds double,
    foreground_seconds double,
    event_count bigint,
    session_date date,
    platform varchar,
    app_version varchar,
    session_number bigint
);

insert into fct_sessions
with stitched as (
    select
        *,
        coalesce(session_user_id, arg_max(session_user_id, start_us)
            filter (where session_user_id is not null) over (partition by device_key)) as user_id,
        row_number() over (partition by device_key order by start_us) as session_number
    from sessions
)
select
    md5(coalesce('device:' || device_id, 'user:' || session_user_id) || '|' || cast(start_us as varchar))
        as session_id,
    device_id,
    user_id,
    coalesce(user_id, 'device:' || device_id) as user_key,
    make_timestamp(start_us) as session_start_at,
    make_timestamp(end_us) as session_end_at,
    (end_us - start_us) / 1000000.0 as duration_seconds,
    (end_us - start_us - background_us) / 1000000.0 as foreground_seconds,
    event_count,
    cast({local_start} as date) as session_date,
    platform,
    app_version,
    session_number
from stitched;

create temp table sessions_by_period as
with base as (
    select
        user_key, session_date, duration_seconds,
        cast(round(duration_seconds * 1000000) as bigint) as duration_us,
        cast(round(foreground_seconds * 1000000) as bigint) as foreground_us
    from fct_sessions
)
select 'day' as period, session_date as period_start, * exclude (session_date) from base
union all
select 'week', cast(date_trunc('week', session_date) as date), * exclude (session_date) from base
union all
select 'month', cast(date_trunc('month', session_date) as date), * exclude (session_date) from base;

create or replace table rpt_sessions_per_user as
select
    period, period_start,
    count(distinct user_key) as active_users,
    count(*) as sessions,
    count(*) * 1.0 / count(distinct user_key) as sessions_per_user
from sessions_by_period
group by period, period_start;

create or replace table rpt_session_duration as
select
    period, period_start,
    count(*) as sessions,
    sum(duration_us) / 1000000.0 / count(*) as avg_duration_seconds,
    quantile_cont(duration_seconds, 0.5) as median_duration_seconds,
    sum(foreground_us) / 1000000.0 / count(*) as avg_foreground_seconds,
    sum(duration_us) / 1000000.0 as total_duration_seconds,
    sum(foreground_us) / 1000000.0 as total_foreground_seconds
from sessions_by_period
group by period, period_start;

-- Time per hour: each session's span split over the hours it covers, less the background gaps
-- split the same way.
create or replace table rpt_session_time_hourly as
with

span_hours as (
    select
        hour_us,
        least(end_us, hour_us + 3600000000) - greatest(start_us, hour_us) as session_us
    from (
        select
            start_us, end_us,
            unnest(generate_series(
                start_us - ((start_us % 3600000000) + 3600000000) % 3600000000,
                end_us - ((end_us % 3600000000) + 3600000000) % 3600000000,
                3600000000
            )) as hour_us
        from sessions
    )
),

gap_hours as (
    select
        hour_us,
        least(gap_end_us, hour_us + 3600000000) - greatest(gap_start_us, hour_us) as background_us
    from (
        select
            gap_start_us, gap_end_us,
            unnest(generate_series(
                gap_start_us - ((gap_start_us % 3600000000) + 3600000000) % 3600000000,
                gap_end_us - ((gap_end_us % 3600000000) + 3600000000) % 3600000000,
                3600000000
            )) as hour_us
        from background_gaps
    )
),

per_hour as (
    select hour_us, count(*) as active_sessions, sum(session_us) as session_us
    from span_hours group by hour_us
),

background_per_hour as (
    select hour_us, sum(background_us) as background_us from gap_hours group by hour_us
),

spine as (
    select unnest(generate_series(min(hour_us), max(hour_us), 3600000000)) as hour_us
    from per_hour
    having count(*) > 0
)

select
    make_timestamp(spine.hour_us) as hour_start_utc,
    cast(extract(hour from {local_hour}) as integer) as hour_of_day,
    cast(isodow({local_hour}) as integer) as day_of_week,
    coalesce(per_hour.active_sessions, 0) as active_sessions,
    coalesce(per_hour.session_us, 0) / 1000000.0 as session_seconds,
    (coalesce(per_hour.session_us, 0) - coalesce(background_per_hour.background_us, 0)) / 1000000.0
        as foreground_seconds
from spine
left join per_hour on spine.hour_us = per_hour.hour_us
left join background_per_hour on spine.hour_us = background_per_hour.hour_us;

-- Clean events are a view, read once by the sorting step; the steps read again are temporary
-- tables. Only the outputs stay.
drop view clean_events;
drop table retied;
drop table sessions_by_period;
