"""simsec.ui."""
