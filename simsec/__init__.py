"""simsec: a training simulator of a French medical secretariat."""

__version__ = "0.2.0"
