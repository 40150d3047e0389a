"""The workshop hub: JupyterHub on the facilitator's machine for a room of participants and a
year of mentoring.

- :mod:`grading.hub.accounts`: one hub account (and one Unix user) per participant and
  facilitator, one-time passwords for the login cards, idempotently.
- :mod:`grading.hub.cards`: the login cards as a PDF, the hub's address as a QR code.
- :mod:`grading.hub.settings`: where the hub keeps its state and how it is started.
- :mod:`grading.hub.config`: the JupyterHub configuration (roles, groups, services) built from
  the settings; ``deploy/hub/jupyterhub_config.py`` applies it.
- :mod:`grading.hub.auth`: the login: the card's one-time password, then her own.
- :mod:`grading.hub.spawner` and :mod:`grading.hub.limits`: each server as its person's Unix
  user, with memory and process limits.
- :mod:`grading.hub.exchange`: the nbgrader exchange shared by everyone, a collect that refuses
  submissions filed under someone else's name, and a submit a form app can call.
- :mod:`grading.hub.dashboard`: the mentoring dashboard as a hub service for facilitators.
- :mod:`grading.hub.cli`: ``python -m grading hub ...`` (``make workshop`` runs ``start``).

The facilitator's guide is ``facilitator_guides/workshop_hub.md``.
"""
