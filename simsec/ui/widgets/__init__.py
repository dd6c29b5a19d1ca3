"""Reusable widgets of the trainee's TUI; each takes DTOs (:mod:`simsec.ui.views`)."""
