with

source as (
    select * from {{ source('survey', 'responses') }}
),

renamed as (
    select
        business_date,
        response_id,
        customer_id,
        survey_type,
        score,
        comment as redacted_comment,
        pii_count as redacted_pii_count,
        channel,
        submitted_at,
        source_file,
        _loaded_at as loaded_at
    from source
)

select * from renamed
