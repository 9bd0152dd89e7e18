-- Every clean event lands in exactly one session: the sessions' event counts add
-- up to the clean events.
with

clean_events as (

    select count(*) as event_count from {{ ref('int_events_clean') }}

),

sessionized as (

    select coalesce(sum(event_count), 0) as event_count from {{ ref('fct_sessions') }}

)

select
    clean_events.event_count as clean_event_count,
    sessionized.event_count as sessionized_event_count
from clean_events
cross join sessionized
where clean_events.event_count <> sessionized.event_count
