"""orient.quality (being written)."""
