"""The profitability calculator panel: inputs, live results, projection and sensitivity."""

from hashinsight_desktop.ui.calculator.panel import CalculatorPanel

__all__ = ["CalculatorPanel"]
