"""The package version (one place, so that the User-Agent and `__version__` agree)."""

__version__ = "0.1.0"
