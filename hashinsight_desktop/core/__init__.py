"""Headless core: economics, optimisation, forecasting, miner protocol, alert rules.

Nothing under this package may import Qt or open a database session; the test
``tests/core/test_core_is_headless.py`` enforces it.
"""
