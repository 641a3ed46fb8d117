"""Inline SVG drawn at build time: signs in their official style, and bar charts of counts.

No JavaScript is needed to see any of it; every text value is escaped, and every figure carries
a text alternative (``<title>`` and an adjacent table or caption), so colour is never the only
signal.

>>> '<script>' in sign("<script>", {"text_colour": "红"})
False
"""

from __future__ import annotations

from villagecat.site.html import Html, esc

SERIF = "'Noto Serif CJK SC', 'Songti SC', SimSun, serif"
COLOURS = {"白": "#ffffff", "红": "#c8102e", "黑": "#111111", "蓝": "#1f4e9c", "黄": "#f2c200", "金": "#b8860b"}
# One fill per list kind, but each bar also carries its number and the legend its name.
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def sign(text: str, style: dict[str, str], width: int = 64) -> Html:
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
    glyphs = "".join(
        f'<text x="{width / 2:.1f}" y="{pad + size * (1.12 * i + 0.9):.1f}">{esc(c)}</text>'
        for i, c in enumerate(chars))
    return Html(
        f'<svg class="vc-sign" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(text)}">'
        f"<title>{esc(text)}</title>"
        f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" fill="{ground}" stroke="#777" stroke-width="2"/>'
        f'<g fill="{ink}" font-family="{esc(SERIF)}" font-size="{size:.1f}" text-anchor="middle">{glyphs}</g></svg>')


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int]]], width: int = 640) -> Html:
    """Horizontal stacked bars: one bar per label, one segment per series, totals printed."""
    bar_h, gap, left, right, top = 22, 10, 150, 60, 10
    totals = [sum(vals[i] for _, vals in series) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    scale = (width - left - right) / peak
    legend_h = 24 * ((len(series) + 3) // 4)
    height = top + len(labels) * (bar_h + gap) + legend_h + 10
    parts = [f'<svg class="vc-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{esc(title)}"><title>{esc(title)}</title>']
    for i, label in enumerate(labels):
        y = top + i * (bar_h + gap)
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.72:.1f}" text-anchor="end" font-size="13">{esc(label)}</text>')
        x = float(left)
        for s, (name, vals) in enumerate(series):
            v = vals[i]
            if not v:
                continue
            w = v * scale
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[s % len(PALETTE)]}" '
                         f'stroke="#fff"><title>{esc(label)} · {esc(name)}：{v}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_h * 0.72:.1f}" font-size="13">{totals[i]}</text>')
    ly = top + len(labels) * (bar_h + gap) + 6
    for s, (name, _) in enumerate(series):
        lx = 10 + (s % 4) * ((width - 20) / 4)
        yy = ly + (s // 4) * 24
        parts.append(f'<rect x="{lx:.1f}" y="{yy}" width="14" height="14" fill="{PALETTE[s % len(PALETTE)]}"/>'
                     f'<text x="{lx + 20:.1f}" y="{yy + 12}" font-size="12">{esc(name)}</text>')
    parts.append("</svg>")
    return Html("".join(parts))
