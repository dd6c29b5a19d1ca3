"""simsec.world."""
