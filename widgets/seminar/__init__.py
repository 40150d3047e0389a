"""The five-day reintegration seminar: data, logic (``model``) and interactive tools (``view``).

``widgets.seminar.model`` has no user-interface import and can be used anywhere;
``widgets.seminar.view`` wires ipywidgets to it.
"""

from widgets.seminar import model

__all__ = ["model"]
