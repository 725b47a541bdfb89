"""Curtailment: plan (shed or cap, per site), preview, approve, execute, recover, history.

Planning, execution and recovery run in worker threads; the panel shows the result
(kW shed, TH/s lost, the proven gap, the greedy comparison), the action list, the
impact per hosting client, and every plan's status.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.engine import Engine

from hashinsight_desktop.services import curtailment as plans
from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.miner_credentials import keyring_credentials
from hashinsight_desktop.store.schema.fleet import sites

MAX_ACTIONS_SHOWN = 5000  # a plan list of a few thousand rows; larger plans say "first N"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(22)
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    return table


def _fill(table: QTableWidget, rows: list[list[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.resizeColumnsToContents()


class CurtailmentPanel(QWidget):
    done = Signal(str, object)  # (what, result or error text)

    def __init__(self, engine: Engine, session: Session | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._session = session
        self.plan_id: int | None = None
        self.goal_kind = QComboBox()
        self.goal_kind.addItem(self.tr("Shed at least"), "shed")
        self.goal_kind.addItem(self.tr("Cap total power at"), "cap")
        self.goal_kw = QDoubleSpinBox(minimum=1, maximum=10_000_000, decimals=0, value=500,
                                      suffix=" kW", singleStep=100)
        self.site = QComboBox()
        self.strategy = QComboBox()
        self.strategy.addItem(self.tr("Optimal (MILP, proven gap)"), "optimal")
        self.strategy.addItem(self.tr("Greedy (worst J/TH first)"), "greedy")
        self.modes = QCheckBox(self.tr("Allow reduced power modes (85 %, 70 %)"))
        self.plan_button = QPushButton(self.tr("Plan"))
        self.approve_button = QPushButton(self.tr("Approve"))
        self.run_button = QPushButton(self.tr("Execute"))
        self.recover_button = QPushButton(self.tr("Recover"))
        self.summary = QLabel(wordWrap=True)
        self.actions = _table([self.tr("Miner"), self.tr("IP"), self.tr("Client"),
                               self.tr("Action"), self.tr("kW saved"), self.tr("TH/s lost"),
                               self.tr("Status"), self.tr("Detail")])
        self.clients = _table([self.tr("Client"), self.tr("Miners"), self.tr("kW"),
                               self.tr("TH/s")])
        self.history = _table([self.tr("Plan"), self.tr("Site"), self.tr("Goal"),
                               self.tr("Strategy"), self.tr("Status"), self.tr("Created")])
        form = QFormLayout()
        goal = QHBoxLayout()
        goal.addWidget(self.goal_kind)
        goal.addWidget(self.goal_kw)
        form.addRow(self.tr("Goal"), goal)
        form.addRow(self.tr("Site"), self.site)
        form.addRow(self.tr("Strategy"), self.strategy)
        form.addRow("", self.modes)
        buttons = QHBoxLayout()
        for b in (self.plan_button, self.approve_button, self.run_button, self.recover_button):
            buttons.addWidget(b)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(QLabel(self.tr("Impact per client")))
        left_layout.addWidget(self.clients, 1)
        left_layout.addWidget(QLabel(self.tr("Plans")))
        left_layout.addWidget(self.history, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.actions)
        splitter.setSizes([420, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.plan_button.clicked.connect(self.plan)
        self.approve_button.clicked.connect(self.approve)
        self.run_button.clicked.connect(lambda: self._background("execute"))
        self.recover_button.clicked.connect(lambda: self._background("recover"))
        self.history.cellDoubleClicked.connect(self._history_chosen)
        self.done.connect(self._on_done)
        allowed = session is not None and session.role in ("owner", "admin", "operator")
        for b in (self.plan_button, self.approve_button, self.run_button, self.recover_button):
            b.setEnabled(allowed)
        if not allowed:
            self.summary.setText(self.tr("Your role can view plans but not create or run them."))
        self._update_buttons(None)
        self.refresh()

    # ---------------------------------------------------------------- reading
    def refresh(self) -> None:
        current = self.site.currentData()
        self.site.clear()
        self.site.addItem(self.tr("Whole farm"), None)
        with self._engine.connect() as conn:
            for name in conn.scalars(select(sites.c.name).order_by(sites.c.name)):
                self.site.addItem(name, name)
        if current is not None:
            self.site.setCurrentIndex(max(0, self.site.findData(current)))
        self._history = plans.list_plans(self._engine, limit=200)
        _fill(self.history, [[f"#{p.id} {p.name}", p.site or "", f"{p.goal_kind} {p.goal_kw:,.0f} kW",
                              p.strategy, p.status,
                              p.created_at.strftime("%Y-%m-%d %H:%M") if p.created_at else ""]
                             for p in self._history])

    def show_plan(self, plan_id: int) -> None:
        detail = plans.get_plan(self._engine, plan_id)
        self.plan_id = plan_id
        r = detail.result
        gap = r.get("gap_pct")
        self.summary.setText(self.tr(
            "Plan #{id} ({status}): shed {shed:,.0f} kW of {target:,.0f} kW, losing {lost:,.1f} "
            "TH/s ({strategy}, {solver}, {state}; gap {gap}; greedy would lose {greedy:,.1f} TH/s;"
            " {ms:,.0f} ms)").format(
            id=plan_id, status=detail.summary.status, shed=r.get("shed_kw", 0.0),
            target=r.get("target_kw", 0.0), lost=r.get("hashrate_lost_ths", 0.0),
            strategy=r.get("strategy"), solver=r.get("solver"), state=r.get("status"),
            gap="—" if gap is None else f"{gap:.4f} %",
            greedy=r.get("greedy_hashrate_lost_ths") or 0.0, ms=r.get("solve_ms") or 0.0)
            + ("\n" + detail.summary.status_detail if detail.summary.status_detail else ""))
        _fill(self.actions, [[a.miner_name or a.miner_id, a.ip, a.client or "", a.action,
                              f"{a.power_saved_w / 1000:.2f}", f"{a.hashrate_lost_ths:.1f}",
                              a.status, a.detail or ""]
                             for a in detail.actions[:MAX_ACTIONS_SHOWN]])
        _fill(self.clients, [[c.client or self.tr("(farm)"), c.miners, f"{c.power_kw:,.1f}",
                              f"{c.hashrate_ths:,.1f}"] for c in detail.client_impact])
        self._update_buttons(detail.summary.status)

    def _update_buttons(self, status: str | None) -> None:
        allowed = self._session is not None and self._session.role in ("owner", "admin", "operator")
        self.approve_button.setEnabled(allowed and status == "draft")
        self.run_button.setEnabled(allowed and status in ("approved", "scheduled"))
        self.recover_button.setEnabled(allowed and status in ("executing", "active", "failed",
                                                              "recovering"))

    def _history_chosen(self, row: int, _column: int) -> None:
        self.show_plan(self._history[row].id)

    # ---------------------------------------------------------------- actions
    def plan(self) -> None:
        kind, kw = self.goal_kind.currentData(), self.goal_kw.value()
        site, strategy, modes = self.site.currentData(), self.strategy.currentData(), \
            self.modes.isChecked()
        self.summary.setText(self.tr("Planning…"))

        def work() -> Any:
            return plans.create_plan(self._engine, self._session, kind, kw, site=site,
                                     strategy=strategy, use_modes=modes)

        self._run("plan", work)

    def approve(self) -> None:
        if self.plan_id is None:
            return
        try:
            plans.approve_plan(self._engine, self._session, self.plan_id)
        except (PermissionError, ValueError) as exc:
            QMessageBox.warning(self, self.tr("Curtailment"), str(exc))
        self.show_plan(self.plan_id)
        self.refresh()

    def _background(self, what: str) -> None:
        if self.plan_id is None:
            return
        plan_id = self.plan_id
        question = (self.tr("Send the curtailment commands of plan #{id} to the miners now?")
                    if what == "execute" else
                    self.tr("Resume the miners of plan #{id} in staggered batches?"))
        if QMessageBox.question(self, self.tr("Curtailment"), question.format(id=plan_id)) \
                != QMessageBox.StandardButton.Yes:
            return
        self.summary.setText(self.tr("Working…"))
        if what == "execute":
            self._run(what, lambda: plans.execute_plan(self._engine, plan_id,
                                                       credentials_for=keyring_credentials))
        else:
            self._run(what, lambda: plans.recover_plan(self._engine, plan_id,
                                                       credentials_for=keyring_credentials))

    def _run(self, what: str, work) -> None:
        for b in (self.plan_button, self.approve_button, self.run_button, self.recover_button):
            b.setEnabled(False)

        def target() -> None:
            try:
                self.done.emit(what, work())
            except Exception as exc:  # shown in the panel; the plan's record says the rest
                self.done.emit(what, f"{type(exc).__name__}: {exc}")

        threading.Thread(target=target, name=f"curtail-{what}", daemon=True).start()

    def _on_done(self, what: str, outcome: object) -> None:
        self.plan_button.setEnabled(self._session is not None
                                    and self._session.role in ("owner", "admin", "operator"))
        if isinstance(outcome, str):
            self.summary.setText(outcome)
            self._update_buttons(None)
            return
        plan_id = outcome if what == "plan" else self.plan_id
        self.refresh()
        if plan_id is not None:
            self.show_plan(int(plan_id))
        if what != "plan":
            self.summary.setText(self.summary.text() + "\n" + (getattr(outcome, "message", "")
                                                               or ""))
