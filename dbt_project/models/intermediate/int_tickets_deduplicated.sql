-- Latest known version of each ticket: a ticket updated after its creation day is landed again on the
-- day of the update, so staging holds one row per (ticket, landing date); keep the most recent version.

with

tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

ranked as (
    select
        tickets.*,
        row_number() over (
            partition by ticket_id
            order by updated_at desc, business_date desc, loaded_at desc
        ) as version_rank,
        count(*) over (partition by ticket_id) as version_count
    from tickets
),

latest as (
    select
        ticket_id,
        customer_id,
        channel,
        category,
        priority,
        branch_id,
        ticket_status,
        created_at,
        {{ to_business_date('created_at') }} as created_on,
        updated_at,
        business_date as last_landed_on,
        version_count
    from ranked
    where version_rank = 1
)

select * from latest
