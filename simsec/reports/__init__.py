"""simsec.reports."""
