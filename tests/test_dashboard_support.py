"""Helpers shared by the dashboard tests (no tests here): reading Plotly 7 figures back as plain data."""

from __future__ import annotations

import base64
import json

import numpy as np

DTYPES = {
    "f8": "<f8",
    "f4": "<f4",
    "i1": "<i1",
    "u1": "<u1",
    "i2": "<i2",
    "u2": "<u2",
    "i4": "<i4",
    "u4": "<u4",
    "i8": "<i8",
    "u8": "<u8",
}


def plain(obj):
    """Plotly 7 stores numeric arrays as {'dtype': ..., 'bdata': base64}: turn them back into lists."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            values = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=DTYPES[obj["dtype"]])
            if "shape" in obj:
                values = values.reshape([int(n) for n in str(obj["shape"]).split(",")])
            return values.tolist()
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def figure_dict(fig) -> dict:
    """A go.Figure, or the JSON spec Streamlit sends to the browser, as plain Python data."""
    if isinstance(fig, str):
        return plain(json.loads(fig))
    return plain(fig.to_dict())


def chart_spec(at, index: int = 0) -> dict:
    """The figure of the index-th plotly chart an AppTest run drew."""
    charts = at.get("plotly_chart")
    assert len(charts) > index, f"expected a chart, the page drew {len(charts)}"
    return figure_dict(charts[index].proto.spec)


def provinces_in(spec: dict) -> set[str]:
    """The provinces the points of a figure stand for (customdata[2] of every point)."""
    found = set()
    for trace in spec.get("data", []):
        for item in trace.get("customdata") or []:
            cells = item if item and isinstance(item[0], (list, type(None))) else [item]  # heatmap: rows of cells
            for cell in cells:
                if isinstance(cell, list) and len(cell) > 2 and cell[2]:
                    found.add(cell[2])
    return found
