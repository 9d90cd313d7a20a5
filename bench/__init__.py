"""Benchmarks of the queue hot path over real HTTP (`make bench`)."""
