"""Packaged data files: competence catalogue, dated tariffs, document trust table."""
