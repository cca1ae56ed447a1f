"""forecastapp: a desktop forecast ledger for analysts."""

__version__ = "0.1.0"
