-- The signals that can raise a hot-spot alert and the department that owns each. Which signals: the
-- customer-speakable leaf codes and dimensions under the `hot_spot` role of seed signal_roles (a role row names
-- a code, a dimension or a family). Owner: seed tag_owners, the most specific row winning (code, then
-- dimension, then family), so a new code of a watched dimension is owned from the day it appears.

with

signals as (
    select * from {{ ref('int_taxonomy_signals_listed') }}
    where signal_level in ('code', 'dimension')
        and spoken_by <> 'agent'
),

hot_spot_roles as (
    select signal_level, signal from {{ ref('signal_roles') }}
    where role = 'hot_spot'
),

tag_owners as (
    select * from {{ ref('tag_owners') }}
),

watched as (
    select signals.*
    from signals
    where exists (
        select 1
        from hot_spot_roles
        where (hot_spot_roles.signal_level = 'code' and signals.signal_level = 'code'
                and hot_spot_roles.signal = signals.signal)
            or (hot_spot_roles.signal_level = 'dimension' and hot_spot_roles.signal = signals.tag_dimension)
            or (hot_spot_roles.signal_level = 'family' and hot_spot_roles.signal = signals.tag_family)
    )
),

owned as (
    select
        watched.signal_level,
        watched.signal,
        watched.tag_dimension,
        watched.tag_family,
        watched.signal_label,
        coalesce(
            code_owner.owner_department, dimension_owner.owner_department, family_owner.owner_department
        ) as owner_department,
        case
            when code_owner.signal is not null then code_owner.signal_level
            when dimension_owner.signal is not null then dimension_owner.signal_level
            when family_owner.signal is not null then family_owner.signal_level
        end as owner_row_level
    from watched
    left join tag_owners as code_owner
        on code_owner.signal_level = 'code'
        and watched.signal_level = 'code'
        and code_owner.signal = watched.signal
    left join tag_owners as dimension_owner
        on dimension_owner.signal_level = 'dimension'
        and dimension_owner.signal = watched.tag_dimension
    left join tag_owners as family_owner
        on family_owner.signal_level = 'family'
        and family_owner.signal = watched.tag_family
)

select * from owned
