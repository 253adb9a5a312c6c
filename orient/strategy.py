"""orient.strategy (being written)."""
