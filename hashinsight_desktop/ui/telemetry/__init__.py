"""Fleet and site telemetry charts (pyqtgraph), loaded off the GUI thread."""
