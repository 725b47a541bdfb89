"""The PDF report framework: page template, styles, tables, charts (reportlab platypus)."""
