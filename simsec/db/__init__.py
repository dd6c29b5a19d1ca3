"""simsec.db."""
