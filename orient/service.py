"""orient.service (being written)."""
