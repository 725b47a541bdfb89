"""User settings and per-user locations (headless: no Qt, no database)."""
