"""Synthetic companies (being written)."""
