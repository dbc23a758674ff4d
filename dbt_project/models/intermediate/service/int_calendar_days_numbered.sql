-- Working days counted by number: working_day_number is the count of working days up to and including each
-- date, so the working days in (a, b] are number(b) - number(a), and the n-th working day after a is the
-- working day numbered number(a) + n. A holiday inside a span and an adjusted working weekend (调休) then count
-- right with no date arithmetic in the marts.

with

calendar as (
    select * from {{ ref('cn_business_calendar') }}
),

numbered as (
    select
        calendar_date,
        is_working_day,
        day_type,
        nullif(holiday_name_en, '') as holiday_name_en,
        nullif(holiday_name_zh, '') as holiday_name_zh,
        cast(count(*) filter (where is_working_day) over (order by calendar_date) as integer) as working_day_number,
        -- a period whose last day is a day off ends on the next working day (民法典 第二百零三条)
        min(calendar_date) filter (where is_working_day) over (
            order by calendar_date rows between current row and unbounded following
        ) as next_working_date,
        calendar_date - lag(calendar_date) over (order by calendar_date) as days_after_previous
    from calendar
)

select * from numbered
