"""Headless report builders: PDF (reportlab) and Excel (openpyxl) written from the store.

Nothing here imports Qt, so the CLI, a scheduled job or a GUI worker thread can build
the same files.  Every builder writes atomically (see :mod:`.atomic`).
"""
