"""Mining economics, headless (numpy, scipy, statsmodels; no Qt, no database).

- ``inputs``: validated Fleet / OperatingTerms / MarketState (``InputError`` names the field)
- ``profitability``: vectorised per-miner figures and fleet totals
- ``projection`` + ``price_path``: months ahead with difficulty growth, halvings, retirement
- ``grouping``: totals by model, site or client; ``sensitivity``: price x difficulty grid
- ``replay`` + ``market_history``: day-by-day earnings over real history
- ``decomposition``: Shapley split of a change in daily profit
- ``indicators``: SMA, EMA, RSI, MACD, Bollinger
- ``forecasting`` + ``backtest``: ARIMA forecasts with bands, rolling-origin backtest

Modules are imported individually so that using the calculator never loads statsmodels.
"""
