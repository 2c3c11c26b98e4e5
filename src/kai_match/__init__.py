"""kai-match: ranked, explained placement suggestions for migrants learning German."""

__version__ = "0.1.0"
