"""simsec.actions."""
