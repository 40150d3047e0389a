"""Reusable helpers for Homeward's tests."""
