"""Answer forms: exercises and check-ins answered by values, graded by nbgrader.

The format and everything that reads and writes it is in :mod:`widgets.forms.model`.
"""
