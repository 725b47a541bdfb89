"""The fleet grid: Qt model, view and widget over core.fleet's numpy column store.

Entry points: ``FleetTableModel`` (model.py), ``FleetGridWidget`` (widget.py),
saved-view storage (saved_views.py); ``python -m hashinsight_desktop.ui.fleet.demo``
shows it with synthetic miners.
"""
