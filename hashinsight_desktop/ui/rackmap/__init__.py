"""Rack map panel: every miner of a site as a cell coloured by a live metric."""

from hashinsight_desktop.ui.rackmap.metrics import RackMetric
from hashinsight_desktop.ui.rackmap.widget import RackMapWidget

__all__ = ["RackMapWidget", "RackMetric"]
