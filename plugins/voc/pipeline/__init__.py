"""The nightly pipeline's steps as plain functions of (warehouse connection, business day).

Operators in ``voc.operators`` call these; tests call them directly without a scheduler.
"""
