"""simsec.scenario."""
