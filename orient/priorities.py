"""orient.priorities (being written)."""
