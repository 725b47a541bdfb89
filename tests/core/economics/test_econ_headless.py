import subprocess
import sys

MODULES = ["backtest", "blas_threads", "decomposition", "errors", "forecasting", "formulas",
           "grouping", "indicators", "inputs", "market_history", "price_path", "profitability",
           "projection", "replay", "sensitivity", "subsidy", "validation"]


def test_economics_core_imports_neither_qt_nor_the_database():
    code = (
        "import sys\n"
        + "".join(f"import hashinsight_desktop.core.economics.{m}\n" for m in MODULES)
        + "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')]\n"
        + "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_calculator_does_not_load_statsmodels():
    code = ("import sys\nimport hashinsight_desktop.core.economics.profitability\n"
            "import hashinsight_desktop.core.economics.projection\n"
            "print('statsmodels' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
