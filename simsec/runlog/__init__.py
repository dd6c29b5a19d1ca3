"""simsec.runlog."""
