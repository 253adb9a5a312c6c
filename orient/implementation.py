"""orient.implementation (being written)."""
