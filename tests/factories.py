"""Test data beyond the Berlin dataset: many synthetic measures, created through the bench generator."""

from bench.generate import generate_measures


def add_measures(strategy, count: int, organisations: int = 0, seed: int = 1):
    return generate_measures(strategy, count, organisations=organisations, seed=seed)
