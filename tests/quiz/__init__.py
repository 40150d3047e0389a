"""Tests of the quiz widget (model and headless view)."""
