"""Brand colours for print: a white page, a dark header band, orange accents."""

from reportlab.lib import colors

BAND = colors.HexColor("#1a1d2e")
ACCENT = colors.HexColor("#f7931a")
INK = colors.HexColor("#1f2333")
MUTED = colors.HexColor("#6b7085")
RULE = colors.HexColor("#d9dbe3")
ZEBRA = colors.HexColor("#f5f6f9")
BAND_TEXT = colors.HexColor("#e6e8f0")
BAD = colors.HexColor("#c0392b")
WARN = colors.HexColor("#d68910")
GOOD = colors.HexColor("#1e8449")
SERIES = (ACCENT, colors.HexColor("#5b6b9a"), colors.HexColor("#2e86c1"),
          colors.HexColor("#27ae60"))
