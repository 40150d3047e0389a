"""Tests of the economic-empowerment course: lessons (nbval) and exercises (nbgrader)."""
