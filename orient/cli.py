"""The orient command line (being written)."""
