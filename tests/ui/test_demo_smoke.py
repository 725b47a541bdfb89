"""`hashinsight-desktop --demo --screenshot PATH --quit-after S`: the smoke test of the
whole console: simulator, populate, collector and GUI as separate processes."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_demo_screenshot_smoke(tmp_path: Path, isolated_home: Path) -> None:
    shot = tmp_path / "demo.png"
    env = dict(os.environ, HASHINSIGHT_HOME=str(isolated_home))
    result = subprocess.run(
        [sys.executable, "-m", "hashinsight_desktop.ui.app", "--demo", "--demo-miners", "300",
         "--screenshot", str(shot), "--quit-after", "25"],
        env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 20_000
    con = sqlite3.connect(isolated_home / "data" / "demo.db")
    try:
        assert con.execute("SELECT COUNT(*) FROM miners").fetchone()[0] == 300
        cycles = con.execute("SELECT polled FROM collector_cycles").fetchall()
        assert cycles and cycles[0][0] == 300
    finally:
        con.close()
    # the child processes are gone: no simulator still listening
    leftovers = subprocess.run(["pgrep", "-f", "hashinsight_desktop simulate --miners 300"],
                               capture_output=True, text=True).stdout.strip()
    assert leftovers == ""
