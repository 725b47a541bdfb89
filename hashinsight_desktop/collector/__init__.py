"""The telemetry collector: poll every miner each interval, write one batch per cycle.

``cycle.run_cycle`` is one cycle (used by ``hashinsight collect --once``);
``runner.CollectorRunner`` repeats it on a worker thread with rollups, retention and
leadership (one collector per database).
"""
