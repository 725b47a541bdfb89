"""HashInsight Desktop: an operations console for Bitcoin mining farms."""

__version__ = "0.1.0"
