"""Deterministic demo data for the four source systems; see README.md for what is planted."""
