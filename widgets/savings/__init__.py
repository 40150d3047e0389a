"""Savings simulator: a pure model (model.py) and, separately, its view."""
