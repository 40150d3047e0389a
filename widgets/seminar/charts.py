"""Charts of the seminar figures. Each function only draws what ``model`` computed.

Every chart names its source under the title.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from widgets.seminar import model


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.2))
    return ax


def plot_deployment(ax=None):
    """Bar chart: overseas workers deployed in 2019 and 2020 (POEA, in the national action plan, I.4)."""
    ax = _axes(ax)
    table = model.figures("deployment")
    summary = model.deployment_summary().iloc[0]
    ax.bar(table["year"].astype(str), table["value"] / 1e6, color=["#2a6fb0", "#d9822b"])
    ax.set_ylabel("million workers")
    ax.set_title(f"Deployment of overseas workers ({summary['change_percent']:.1f}%)\n"
                 "Source: POEA, in the national action plan (I.4)", fontsize=10)
    return ax


def plot_survey(ax=None):
    """Horizontal bars: the IOM assessment of returned workers (national action plan, I.4), in percent."""
    ax = _axes(ax)
    table = model.figures("returnee_survey")
    ax.barh(table["indicator"], table["value"], color="#2a6fb0")
    ax.set_xlim(0, 100)
    ax.set_xlabel("percent of 8,332 returned workers")
    ax.invert_yaxis()
    ax.set_title("Returned overseas Filipino workers after COVID-19\n"
                 "Source: IOM impact assessment, in the national action plan (I.4)", fontsize=10)
    return ax


def plot_coverage(partners, ax=None):
    """Heat map of :func:`model.coverage`: zeros show gaps in support."""
    ax = _axes(ax)
    table = model.coverage(partners)
    ax.imshow(table.values, cmap="Blues")
    ax.set_xticks(range(len(table.columns)), table.columns, rotation=20)
    ax.set_yticks(range(len(table.index)), table.index)
    for i in range(len(table.index)):
        for j in range(len(table.columns)):
            ax.text(j, i, int(table.iat[i, j]), ha="center", va="center", fontsize=9)
    ax.set_title("Partners by support and stage (0 = a gap)", fontsize=10)
    return ax
