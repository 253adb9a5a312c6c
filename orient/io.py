"""Readers for survey exports and operational tables (being written)."""
