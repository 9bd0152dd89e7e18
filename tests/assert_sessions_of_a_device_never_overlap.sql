-- A device is in at most one session at a time: each session ends before the
-- device's next one starts, and session_number counts them in order.
with

sessions as (

    select
        session_id,
        coalesce('device:' || device_id, 'user:' || user_id) as session_partition_key,
        session_start_at,
        session_end_at,
        session_number
    from {{ ref('fct_sessions') }}

),

with_next as (

    select
        *,
        lead(session_start_at) over (
            partition by session_partition_key order by session_start_at
        ) as next_session_start_at,
        lead(session_number) over (
            partition by session_partition_key order by session_start_at
        ) as next_session_number
    from sessions

)

select *
from with_next
where
    next_session_start_at <= session_end_at
    or next_session_number <> session_number + 1
