"""The page's stylesheet: system fonts only (nothing to load), tabular figures in numeric
columns, wide tables scrolling inside their box, and a print layout (no navigation, each
scenario on a new page, no figure or table row split across pages)."""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root { --ink: #1a1a1a; --muted: #5a5a5a; --rule: #d0d0d0; --band: #f4f4f2; --bad: #8b1a1a;
  --good: #1f5f2a; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0 auto; max-width: 76rem; padding: 1.5rem 2rem 4rem; color: var(--ink);
  background: #fff; line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.9rem; margin: 0 0 .4rem; line-height: 1.2; }
h2 { font-size: 1.45rem; margin: 2.4rem 0 .8rem; padding-bottom: .25rem;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.2rem; margin: 2.2rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 .4rem; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); }
p { margin: .4rem 0; max-width: 60rem; }
a { color: #0b4f8a; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: .88em; overflow-wrap: break-word; }
.lede { font-size: 1.05rem; color: var(--muted); }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: 1rem 0; padding: .8rem 1rem; background: var(--band); border-radius: 4px;
  font-size: .9rem; }
dl.run dt { font-weight: 600; }
dl.run dd { margin: 0; overflow-wrap: anywhere; }
nav.toc { margin: 1rem 0 0; font-size: .92rem; }
nav.toc ol { margin: .2rem 0; padding-left: 1.4rem; }
nav.toc ol ol { columns: 3 14rem; }
.table-wrap { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
caption { caption-side: top; text-align: left; color: var(--muted); font-size: .85rem;
  padding: 0 0 .4rem; }
th, td { padding: .3rem .55rem; border-bottom: 1px solid var(--rule); vertical-align: top;
  text-align: left; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; vertical-align: bottom; }
tbody th { font-weight: 600; }
tr.group th { background: var(--band); font-weight: 600; padding-top: .5rem; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th.num { white-space: normal; }
.sub { font-weight: 400; color: var(--muted); font-size: .82rem; }
.muted { color: var(--muted); }
.bad { color: var(--bad); }
.good { color: var(--good); }
.flag { font-weight: 700; letter-spacing: .02em; }
td.bad { background: #fbeaea; }
.mark { display: inline-block; border: 1px solid var(--muted); border-radius: 3px;
  padding: 0 .3rem; font-size: .75rem; margin: 0 .2rem .1rem 0; white-space: nowrap; }
.step-note { font-size: .82rem; color: var(--muted); margin: .2rem 0 0; }
table.steps { table-layout: fixed; }
table.steps th, table.steps td { overflow-wrap: anywhere; }
table.steps thead th:nth-child(1) { width: 17%; }
table.steps thead th:nth-child(2) { width: 14%; }
table.steps thead th:nth-child(3) { width: 10%; }
table.steps thead th:nth-child(4) { width: 8%; }
table.steps thead th:nth-child(5) { width: 28%; }
table.swap tbody th { white-space: nowrap; }
q.quote { font-style: italic; }
.note { font-size: .9rem; border-left: 3px solid var(--muted); padding-left: .6rem; }
.summary { font-weight: 600; }
figure.chart { margin: .8rem 0 1.4rem; }
figure.chart svg { display: block; width: 100%; max-width: 62rem; height: auto; }
figure.wide svg { max-width: none; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .3rem; }
article.scenario { border-top: 1px solid var(--rule); margin-top: 2rem; }
footer { margin-top: 3rem; font-size: .85rem; color: var(--muted); }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  article.scenario { break-before: page; page-break-before: always; border-top: none; }
  figure.chart, tr, dl.run { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
  td.bad { background: none; }
}
"""
