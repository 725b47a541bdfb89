"""The report string catalogue: English and Simplified Chinese.

Reports run headless (CLI, scheduled jobs), so they cannot use Qt's .qm files; a small
dict per language is enough for the few dozen labels a report prints.  A key missing
from a language falls back to English, and an unknown key is a bug (KeyError).
"""

from __future__ import annotations

LANGUAGES = ("en", "zh_CN")

EN: dict[str, str] = {
    "brand": "HashInsight",
    "fleet_status.title": "Fleet status report",
    "fleet_status.subtitle": "{scope} · {period}",
    "scope.fleet": "Whole fleet",
    "scope.site": "Site {site}",
    "footer.page": "Page {page} of {pages}",
    "footer.generated": "Generated {when}",
    "footer.range": "Data {period}",
    "no_data": "No data for this period",
    "no_data.detail": "No collector cycles were recorded between {start} and {end}.",
    "section.kpis": "Key figures",
    "section.charts": "Trends over the period",
    "section.problems": "Problem miners (latest cycle {when})",
    "section.sites": "Per-site summary",
    "kpi.miners": "Miners",
    "kpi.online": "Online now",
    "kpi.hashrate": "Avg hashrate",
    "kpi.nominal_pct": "of nominal",
    "kpi.power": "Avg power",
    "kpi.pct_nominal": "Hashrate vs nominal",
    "kpi.efficiency": "Efficiency",
    "kpi.uptime": "Uptime",
    "kpi.energy": "Energy",
    "chart.hashrate": "Hashrate (TH/s): actual and nominal",
    "chart.power": "Power (kW)",
    "chart.online": "Miners online",
    "legend.actual": "actual",
    "legend.nominal": "nominal",
    "problems.offline": "Offline or in error",
    "problems.degraded": "Degraded",
    "problems.hot": "Hot (max temperature ≥ {limit} °C)",
    "problems.none": "None",
    "problems.more": "… and {count} more (see the Excel export for every miner)",
    "col.miner": "Miner",
    "col.ip": "IP",
    "col.site": "Site",
    "col.rack": "Rack / pos.",
    "col.model": "Model",
    "col.status": "Status",
    "col.hashrate": "TH/s",
    "col.nominal_pct": "% nom.",
    "col.temp_max": "Max °C",
    "col.power": "Power W",
    "col.efficiency": "J/TH",
    "col.client": "Client",
    "col.last_seen": "Last seen (UTC)",
    "col.miners": "Miners",
    "col.online": "Online",
    "col.avg_hashrate": "Avg TH/s",
    "col.avg_power": "Avg kW",
    "col.uptime": "Uptime %",
    "col.energy": "Energy MWh",
    "col.date": "Date (UTC)",
    "col.energy_kwh": "Energy kWh",
    "status.ok": "ok",
    "status.curtailed": "curtailed",
    "status.degraded": "degraded",
    "status.error": "error",
    "status.offline": "offline",
    "status.unknown": "unknown",
    "xlsx.sheet.miners": "Miners",
    "xlsx.sheet.daily": "Daily summary",
    "xlsx.chart.daily": "Average hashrate per day (TH/s)",
    "site.none": "(no site)",
}

ZH_CN: dict[str, str] = {
    "brand": "HashInsight",
    "fleet_status.title": "矿机集群状态报告",
    "fleet_status.subtitle": "{scope} · {period}",
    "scope.fleet": "全部矿场",
    "scope.site": "矿场 {site}",
    "footer.page": "第 {page} 页，共 {pages} 页",
    "footer.generated": "生成于 {when}",
    "footer.range": "数据范围 {period}",
    "no_data": "此期间没有数据",
    "no_data.detail": "{start} 至 {end} 之间没有采集记录。",
    "section.kpis": "关键指标",
    "section.charts": "期间趋势",
    "section.problems": "问题矿机（最近一次采集 {when}）",
    "section.sites": "各矿场汇总",
    "kpi.miners": "矿机数",
    "kpi.online": "当前在线",
    "kpi.hashrate": "平均算力",
    "kpi.nominal_pct": "占额定",
    "kpi.power": "平均功率",
    "kpi.pct_nominal": "算力占额定比例",
    "kpi.efficiency": "能效",
    "kpi.uptime": "在线率",
    "kpi.energy": "耗电量",
    "chart.hashrate": "算力 (TH/s)：实际与额定",
    "chart.power": "功率 (kW)",
    "chart.online": "在线矿机数",
    "legend.actual": "实际",
    "legend.nominal": "额定",
    "problems.offline": "离线或故障",
    "problems.degraded": "性能下降",
    "problems.hot": "高温（最高温度 ≥ {limit} °C）",
    "problems.none": "无",
    "problems.more": "……另有 {count} 台（完整列表见 Excel 导出）",
    "col.miner": "矿机",
    "col.ip": "IP",
    "col.site": "矿场",
    "col.rack": "机架 / 位置",
    "col.model": "型号",
    "col.status": "状态",
    "col.hashrate": "TH/s",
    "col.nominal_pct": "占额定 %",
    "col.temp_max": "最高 °C",
    "col.power": "功率 W",
    "col.efficiency": "J/TH",
    "col.client": "客户",
    "col.last_seen": "最后在线 (UTC)",
    "col.miners": "矿机数",
    "col.online": "在线",
    "col.avg_hashrate": "平均 TH/s",
    "col.avg_power": "平均 kW",
    "col.uptime": "在线率 %",
    "col.energy": "耗电 MWh",
    "col.date": "日期 (UTC)",
    "col.energy_kwh": "耗电 kWh",
    "status.ok": "正常",
    "status.curtailed": "限电",
    "status.degraded": "降级",
    "status.error": "故障",
    "status.offline": "离线",
    "status.unknown": "未知",
    "xlsx.sheet.miners": "矿机",
    "xlsx.sheet.daily": "每日汇总",
    "xlsx.chart.daily": "每日平均算力 (TH/s)",
    "site.none": "（无矿场）",
}

CATALOGUES = {"en": EN, "zh_CN": ZH_CN}


def check_language(lang: str) -> str:
    if lang not in CATALOGUES:
        from hashinsight_desktop.reports.errors import ReportError

        raise ReportError(f"report language {lang!r} is not available; use one of "
                          f"{', '.join(LANGUAGES)}")
    return lang


class Translator:
    """``tr("key", name=value)``: the string for ``lang`` with fields filled in."""

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)
        self._strings = CATALOGUES[lang]

    def __call__(self, key: str, **fields: object) -> str:
        text = self._strings.get(key)
        if text is None:
            text = EN[key]
        return text.format(**fields) if fields else text
