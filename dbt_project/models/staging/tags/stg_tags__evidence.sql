with

source as (
    select * from {{ source('tags', 'evidence') }}
    where taxonomy_version = {{ var('taxonomy_version') | int }}
),

renamed as (
    select
        business_date,
        taxonomy_version,
        utterance_id,
        code as tag_code,
        start_pos as evidence_start,
        end_pos as evidence_end,
        rule as matched_rule
    from source
)

select * from renamed
