"""One miner in depth: identity, live reading, hashboards, history charts, raw reading, alerts."""
