"""Hosting billing arithmetic: energy from telemetry rollups, money in integer units.

Headless (numpy only): the services layer loads rows and passes arrays in.
"""
