"""orient.crm (being written)."""
