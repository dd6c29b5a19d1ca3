"""Pure French administrative rules: NIR, identity, documents, coverage, agenda, access.

This package imports nothing from the rest of simsec, nor any database or UI library
(enforced by import-linter). Functions take dates and data as arguments and never read
the wall clock. Each rule cites its source; regulation values live in dated data files
in ``simsec/data``.
"""
