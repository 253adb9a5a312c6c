"""orient.satisfaction (being written)."""
