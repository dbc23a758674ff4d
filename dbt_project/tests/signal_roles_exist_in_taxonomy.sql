-- Every signal a role names exists at its level in the active taxonomy version: a renamed or dropped code
-- fails here instead of silently emptying a mart.
with

roles as (
    select * from {{ ref('signal_roles') }}
),

levels as (
    select distinct 'code' as signal_level, tag_code as signal from {{ ref('stg_tags__taxonomy_codes') }}
    union
    select distinct 'dimension', tag_dimension from {{ ref('stg_tags__taxonomy_codes') }}
    union
    select distinct 'family', tag_family from {{ ref('stg_tags__taxonomy_codes') }}
)

select roles.*
from roles
left join levels
    on levels.signal_level = roles.signal_level
    and levels.signal = roles.signal
where levels.signal is null
