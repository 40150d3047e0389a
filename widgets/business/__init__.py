"""Business plan: a pure model (model.py), plan files (planfile.py) and, separately, its view."""
