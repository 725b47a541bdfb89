#!/usr/bin/env python3
"""Build the one-folder bundle with PyInstaller, then smoke-test it.

    .venv/bin/python installers/build.py [--skip-smoke]

Output: dist/HashInsight-<version>/ with ``hashinsight-desktop`` and ``hashinsight``.
The smoke test runs ``--version`` on both and an offscreen ``--screenshot``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from hashinsight_desktop import __version__  # noqa: E402


def main(argv: list[str]) -> int:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build"),
                    str(ROOT / "installers" / "hashinsight.spec")], check=True, cwd=ROOT)
    bundle = ROOT / "dist" / f"HashInsight-{__version__}"
    if "--skip-smoke" in argv:
        return 0
    exe = ".exe" if os.name == "nt" else ""
    for name, expected in (("hashinsight", f"hashinsight {__version__}"),
                           ("hashinsight-desktop", f"hashinsight-desktop {__version__}")):
        out = subprocess.run([str(bundle / f"{name}{exe}"), "--version"], capture_output=True,
                             text=True, check=True).stdout.strip()
        if out != expected:
            print(f"smoke test failed: {name} --version printed {out!r}", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HASHINSIGHT_HOME=home, QT_QPA_PLATFORM="offscreen")
        shot = Path(home) / "shot.png"
        subprocess.run([str(bundle / f"hashinsight-desktop{exe}"), "--db",
                        f"sqlite:///{Path(home) / 'smoke.db'}", "--screenshot", str(shot),
                        "--quit-after", "3"], env=env, check=True, timeout=120)
        if not shot.exists() or shot.stat().st_size < 10_000:
            print("smoke test failed: no screenshot", file=sys.stderr)
            return 1
    print(f"bundle OK: {bundle}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
