"""The facilitator dashboard: ``model`` (what the page shows) and ``view`` (the widgets)."""
