with

source as (
    select * from {{ source('tags', 'conversation_signals') }}
    where taxonomy_version = {{ var('taxonomy_version') | int }}
),

renamed as (
    select
        business_date,
        taxonomy_version,
        conversation_id,
        customer_id,
        channel,
        agent_turns,
        customer_turns,
        agent_caution_density,
        compliance_flags,
        redemption_questions,
        liquidity_anxiety as has_liquidity_anxiety,
        anxiety_phrases,
        health_gap as has_health_gap,
        jargon_mismatch as has_jargon_mismatch,
        opportunity as has_opportunity,
        escalation_risk as has_escalation_risk,
        negative_share
    from source
)

select * from renamed
