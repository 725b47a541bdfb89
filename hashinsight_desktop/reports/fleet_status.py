"""The fleet status PDF: key figures, trends, problem miners and a per-site summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer
from sqlalchemy.engine import Engine

from hashinsight_desktop.reports import fleet_queries as q
from hashinsight_desktop.reports.atomic import atomic_output, check_writable
from hashinsight_desktop.reports.fleet_figures import FleetFigures, fleet_figures
from hashinsight_desktop.reports.formatting import DASH, num, utc
from hashinsight_desktop.reports.i18n import Translator
from hashinsight_desktop.reports.pdf import palette
from hashinsight_desktop.reports.pdf.blocks import (
    data_table,
    escape,
    heading,
    keep,
    kpi_tiles,
    no_data_box,
)
from hashinsight_desktop.reports.pdf.charts import time_series_chart
from hashinsight_desktop.reports.pdf.styles import Styles, make_styles
from hashinsight_desktop.reports.pdf.template import (
    PageDecor,
    build_pdf,
    content_width,
    generated_label,
)
from hashinsight_desktop.reports.period import Period
from hashinsight_desktop.reports.result import ReportResult

PROBLEM_ROWS = 100  # per table; the Excel export lists every miner


def build_fleet_status_pdf(engine: Engine, path: Path, period: Period, *,
                           site: str | None = None, lang: str = "en",
                           now: dt.datetime | None = None) -> ReportResult:
    """Write the fleet status report for ``period`` (one site or the fleet) to ``path``."""
    tr = Translator(lang)
    check_writable(path)  # fail before the queries, not after
    site_ref = q.resolve_site(engine, site)
    styles = make_styles(lang)
    figures = fleet_figures(engine, period, site_ref)
    scope = tr("scope.site", site=site_ref.name) if site_ref else tr("scope.fleet")
    decor = PageDecor(tr("fleet_status.title"),
                      tr("fleet_status.subtitle", scope=scope, period=period.caption()),
                      generated_label(now), period.caption())
    story: list[Flowable] = [*_kpi_section(figures, styles, tr)]
    if figures.has_data:
        story += _chart_section(engine, period, site_ref, styles, tr)
        story += _problem_section(engine, period, site_ref, figures, styles, tr)
        story += _site_section(engine, period, site_ref, styles, tr)
    else:
        story.append(Spacer(1, 4 * mm))
        story.append(no_data_box(tr("no_data"), tr("no_data.detail", start=period.start_label,
                                                   end=period.last_day_label), styles))
    with atomic_output(path) as tmp:
        pages = build_pdf(tmp, story, decor, styles, tr)
    return ReportResult(Path(path), "pdf", figures.has_data, pages=pages,
                        figures=figures.as_dict())


def _kpi_section(f: FleetFigures, styles: Styles, tr: Translator) -> list[Flowable]:
    online = DASH if f.online is None else f"{f.online:,}"
    pct = "" if f.pct_nominal is None else f"{f.pct_nominal:.1f}% {tr('kpi.nominal_pct')}"
    nominal = "" if f.avg_nominal_ths is None else f"{tr('legend.nominal')} {num(f.avg_nominal_ths)} TH/s"
    online_note = ("" if f.online is None or not f.miners
                   else f"{100 * f.online / f.miners:.1f}% · {utc(f.latest_ts)}")
    first = [(tr("kpi.miners"), f"{f.miners:,}", ""),
             (tr("kpi.online"), online, online_note),
             (tr("kpi.hashrate"), _unit(f.avg_hashrate_ths, "TH/s"), pct),
             (tr("kpi.power"), _unit(f.avg_power_kw, "kW"), "")]
    second = [(tr("kpi.efficiency"), _unit(f.j_per_th, "J/TH"), ""),
              (tr("kpi.uptime"), DASH if f.uptime_pct is None else f"{f.uptime_pct:.2f}%", ""),
              (tr("kpi.energy"), _unit(f.energy_mwh, "MWh", 2), ""),
              (tr("kpi.pct_nominal"), DASH if f.pct_nominal is None else f"{f.pct_nominal:.1f}%",
               nominal)]
    return [heading(tr("section.kpis"), styles), kpi_tiles(first, styles), Spacer(1, 3 * mm),
            kpi_tiles(second, styles)]


def _unit(value: float | None, unit: str, decimals: int = 1) -> str:
    return DASH if value is None else f"{num(value, decimals)} {unit}"


def _chart_section(engine: Engine, period: Period, site: q.SiteRef | None, styles: Styles,
                   tr: Translator) -> list[Flowable]:
    series = q.period_series(engine, period, site.id if site else 0)
    width = content_width()
    if not len(series.ts):
        return [heading(tr("section.charts"), styles),
                no_data_box(tr("no_data"), "", styles)]
    charts = [
        time_series_chart(series.ts, [(tr("legend.actual"), series.hashrate_ths, palette.ACCENT),
                                      (tr("legend.nominal"), series.nominal_ths, palette.MUTED)],
                          period.start, period.end, tr("chart.hashrate"), styles, width),
        time_series_chart(series.ts, [(tr("chart.power"), series.power_kw, palette.SERIES[1])],
                          period.start, period.end, tr("chart.power"), styles, width),
        time_series_chart(series.ts, [(tr("chart.online"), series.online, palette.SERIES[2])],
                          period.start, period.end, tr("chart.online"), styles, width),
    ]
    out: list[Flowable] = [keep(heading(tr("section.charts"), styles), charts[0])]
    for chart in charts[1:]:
        out += [Spacer(1, 2 * mm), chart]
    return out


_PROBLEM_COLUMNS = ("col.miner", "col.ip", "col.site", "col.rack", "col.model", "col.status",
                    "col.hashrate", "col.nominal_pct", "col.temp_max", "col.power")
_PROBLEM_WIDTHS = (27, 22, 10, 30, 27, 14, 12, 14, 12, 13)  # mm, scaled to the frame


def _problem_section(engine: Engine, period: Period, site: q.SiteRef | None,
                     figures: FleetFigures, styles: Styles, tr: Translator) -> list[Flowable]:
    source = q.sample_source(engine, period)
    when = utc(source.ts) if source else DASH
    out: list[Flowable] = [heading(tr("section.problems", when=when), styles)]
    titles = {"offline": tr("problems.offline"), "degraded": tr("problems.degraded"),
              "hot": tr("problems.hot", limit=q.HOT_LIMIT_DC // 10)}
    scale = content_width() / (sum(_PROBLEM_WIDTHS) * mm)
    widths = [w * mm * scale for w in _PROBLEM_WIDTHS]
    colour = {"offline": palette.BAD, "degraded": palette.WARN, "hot": palette.BAD}
    for kind, title in titles.items():
        rows, total = q.problem_miners(engine, source, site.id if site else None, kind,
                                       PROBLEM_ROWS)
        label = Paragraph(f"<b>{escape(title)}</b> ({total:,})", styles.subheading)
        if not rows:
            out += [label, Paragraph(escape(tr("problems.none")), styles.small),
                    Spacer(1, 2 * mm)]
            continue
        cells = [[r.name, r.ip, r.site, r.rack_position, r.model,
                  tr(f"status.{r.status}"), num(r.hashrate_ths), num(r.pct_nominal),
                  num(r.temp_max_c), DASH if r.power_w is None else f"{r.power_w:,}"]
                 for r in rows]
        tints = {i: colour[kind] for i, r in enumerate(rows)
                 if kind != "hot" or (r.temp_max_c or 0) >= 90}
        table = data_table([tr(c) for c in _PROBLEM_COLUMNS], cells, styles, widths,
                           numeric=(6, 7, 8, 9), row_colours=tints)
        out += [label, table]
        if total > len(rows):
            out.append(Paragraph(escape(tr("problems.more", count=f"{total - len(rows):,}")),
                                 styles.small))
        out.append(Spacer(1, 3 * mm))
    return out


_SITE_COLUMNS = ("col.site", "col.miners", "col.online", "col.avg_hashrate", "col.nominal_pct",
                 "col.avg_power", "col.efficiency", "col.uptime", "col.energy")


def _site_section(engine: Engine, period: Period, site: q.SiteRef | None, styles: Styles,
                  tr: Translator) -> list[Flowable]:
    totals = q.period_totals(engine, period)
    names = q.site_names(engine)
    wanted = [site.id] if site else sorted((s for s in totals if s != 0),
                                           key=lambda s: names.get(s, ""))
    rows = []
    for sid in wanted:
        t = totals.get(sid)
        if t is None:
            continue
        latest = q.latest_cycle(engine, period, sid)
        rows.append([names.get(sid, str(sid)), f"{latest.miners:,}" if latest else DASH,
                     f"{latest.online:,}" if latest else DASH, num(t.avg_hashrate_ths),
                     num(t.pct_nominal), num(t.avg_power_kw), num(t.j_per_th),
                     DASH if t.uptime is None else f"{100 * t.uptime:.2f}",
                     num(t.energy_mwh, 2)])
    out: list[Flowable] = [heading(tr("section.sites"), styles)]
    if not rows:
        return [*out, no_data_box(tr("no_data"), "", styles, height=18 * mm)]
    widths = [content_width() * w for w in (0.2, 0.09, 0.09, 0.11, 0.1, 0.1, 0.09, 0.1, 0.12)]
    return [*out, data_table([tr(c) for c in _SITE_COLUMNS], rows, styles, widths,
                             numeric=range(1, 9))]
