"""Inline SVG drawn at build time: signs in their official style, and bar charts of counts.

This module computes the geometry (positions, sizes, colours) as values; the drawings themselves
are the macros of ``site_config/templates/svg.html`` (autoescaped like every page). No JavaScript
is needed to see any of it, and every figure carries a text alternative (``<title>`` and an
adjacent table or caption), so colour is never the only signal.

>>> s = sign("红旗", {"text_colour": "红"})
>>> s["ink"], [g["char"] for g in s["glyphs"]]
('#c8102e', ['红', '旗'])
"""

from __future__ import annotations

SERIF = "'Noto Serif CJK SC', 'Songti SC', SimSun, serif"
COLOURS = {"白": "#ffffff", "红": "#c8102e", "黑": "#111111", "蓝": "#1f4e9c", "黄": "#f2c200", "金": "#b8860b"}
# One fill per list kind, but each bar also carries its number and the legend its name.
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def _n(x: float) -> str:
    return f"{x:.1f}"


def sign(text: str, style: dict[str, str], width: int = 64) -> dict:
    """A vertical strip sign (条牌): one character per line on its ground colour.

    Unstated parts fall back to a neutral white ground, black text and a 宋体-like serif; the
    caption beside the drawing says which parts the source states.
    """
    ground = COLOURS.get(style.get("ground_colour", ""), "#ffffff")
    ink = COLOURS.get(style.get("text_colour", ""), "#111111")
    chars = [c for c in text if not c.isspace()] or ["?"]
    size = width * 0.62
    pad = width * 0.35
    height = int(pad * 2 + size * 1.12 * len(chars))
    return {"text": text, "width": width, "height": height, "ground": ground, "ink": ink, "font": SERIF,
            "size": _n(size), "x": _n(width / 2), "inner_w": width - 2, "inner_h": height - 2,
            "glyphs": [{"char": c, "y": _n(pad + size * (1.12 * i + 0.9))} for i, c in enumerate(chars)]}


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int]]], width: int = 640) -> dict:
    """Horizontal stacked bars: one bar per label, one segment per series, totals printed."""
    bar_h, gap, left, right, top = 22, 10, 150, 60, 10
    totals = [sum(vals[i] for _, vals in series) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    scale = (width - left - right) / peak
    legend_h = 24 * ((len(series) + 3) // 4)
    height = top + len(labels) * (bar_h + gap) + legend_h + 10
    bars = []
    for i, label in enumerate(labels):
        y = top + i * (bar_h + gap)
        x = float(left)
        segments = []
        for s, (name, vals) in enumerate(series):
            v = vals[i]
            if not v:
                continue
            w = v * scale
            segments.append({"x": _n(x), "w": _n(w), "fill": PALETTE[s % len(PALETTE)], "name": name, "value": v})
            x += w
        bars.append({"label": label, "y": y, "text_y": _n(y + bar_h * 0.72), "label_x": left - 8,
                     "segments": segments, "total": totals[i], "total_x": _n(x + 6)})
    ly = top + len(labels) * (bar_h + gap) + 6
    legend = [{"x": _n(10 + (s % 4) * ((width - 20) / 4)), "text_x": _n(10 + (s % 4) * ((width - 20) / 4) + 20),
               "y": ly + (s // 4) * 24, "text_y": ly + (s // 4) * 24 + 12, "fill": PALETTE[s % len(PALETTE)], "name": name}
              for s, (name, _) in enumerate(series)]
    return {"title": title, "width": width, "height": height, "bar_h": bar_h, "bars": bars, "legend": legend}
