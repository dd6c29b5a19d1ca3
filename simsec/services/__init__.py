"""simsec.services."""
