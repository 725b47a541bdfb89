"""Status bar fields: database, collector role, last cycle and lag, market age, alerts."""

from __future__ import annotations

import datetime as dt
import socket

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from hashinsight_desktop.store.database import DatabaseTarget
from hashinsight_desktop.ui.live_feed import FeedStatus


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} d"


class ConsoleStatusBar:
    """Owns the permanent labels of the main window's status bar."""

    def __init__(self, bar: QStatusBar, target: DatabaseTarget, parent: QWidget) -> None:
        self.database = QLabel(parent.tr("Database: {db}").format(db=target.describe()))
        self.database.setObjectName("databaseLabel")
        self.role = QLabel()
        self.cycle = QLabel()
        self.market = QLabel()
        self.alerts = QLabel()
        for label in (self.role, self.cycle, self.market, self.alerts, self.database):
            bar.addPermanentWidget(label)
        self._parent = parent
        self._bar = bar
        self.outage = False

    def show(self, status: FeedStatus) -> None:
        tr = self._parent.tr
        if not status.database_ok:
            self.outage = True
            self.database.setStyleSheet("color: #e5484d; font-weight: 600;")
            self._bar.showMessage(tr("Database unavailable: retrying… ({detail})")
                                  .format(detail=status.message))
            return
        if self.outage:
            self.outage = False
            self.database.setStyleSheet("")
            self._bar.showMessage(tr("Database connection restored"), 5000)
        if status.leader is None:
            recent = status.last_cycle_age_s is not None and status.last_cycle_age_s < 300
            self.role.setText(tr("Collector: running (last cycle {age} ago)").format(
                age=_age(status.last_cycle_age_s)) if recent else tr("Collector: none running"))
        elif status.leader.split(":")[0] == socket.gethostname():
            self.role.setText(tr("Collector: leader on this workstation"))
        else:
            self.role.setText(tr("Collector: follower of {host}").format(
                host=status.leader.split(":")[0]))
        if status.last_cycle_ts:
            when = dt.datetime.fromtimestamp(status.last_cycle_ts).strftime("%H:%M:%S")
            self.cycle.setText(tr("Last cycle {when} ({ms} ms, lag {lag} ms)").format(
                when=when, ms=status.last_cycle_ms or 0, lag=status.last_cycle_lag_ms or 0))
        else:
            self.cycle.setText(tr("No collection yet"))
        if status.market_age_s is None:
            self.market.setText(tr("Market data: none cached"))
        else:
            self.market.setText(tr("Market data: {age} old").format(age=_age(status.market_age_s)))
        self.alerts.setText(tr("Active alerts: {n}").format(n=status.active_alerts))
