-- The tier bands cover [0, ∞) without gap or overlap, in rank order: the lowest starts at 0, each band's ceiling
-- is the next band's floor, only the top band has no ceiling. Otherwise an AUM would fall in no tier or in two.
with

bands as (
    select
        *,
        lag(ceiling_aum) over (order by tier_rank) as previous_ceiling,
        row_number() over (order by tier_rank) as position,
        count(*) over () as band_count
    from {{ ref('tier_bands') }}
)

select tier, floor_aum, ceiling_aum, previous_ceiling
from bands
where (position = 1 and floor_aum <> 0)
    or (position > 1 and floor_aum is distinct from previous_ceiling)
    or (position < band_count and (ceiling_aum is null or ceiling_aum <= floor_aum))
    or (position = band_count and ceiling_aum is not null)
