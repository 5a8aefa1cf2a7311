"""The report's stylesheet, inlined into every page (no external resource of any kind)."""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0b5cad;
  --pass: #1a7f37; --pass-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff1c2;
  --fail: #b3261e; --fail-bg: #ffebe9; --skip: #59636e; --skip-bg: #eaeef2;
}
* { box-sizing: border-box; }
html { scroll-behavior: smooth; }
body {
  margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
}
header.top { background: #0f2a44; color: #fff; padding: 28px 0 22px; }
header.top h1 { margin: 0 0 6px; font-size: 26px; font-weight: 650; }
header.top p { margin: 0; color: #c9d6e3; }
header.top code { color: #fff; background: rgba(255, 255, 255, .12); }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
nav.toc {
  position: sticky; top: 0; z-index: 2; background: rgba(255, 255, 255, .96);
  border-bottom: 1px solid var(--line);
}
nav.toc ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0;
  padding: 10px 0; }
nav.toc a { color: var(--accent); text-decoration: none; font-weight: 550; font-size: 14px; }
nav.toc a:hover { text-decoration: underline; }
main { padding: 8px 0 40px; }
section.report { margin: 30px 0 0; padding-top: 6px; scroll-margin-top: 52px; }
section.report > h2 { font-size: 21px; margin: 0 0 10px; padding-bottom: 6px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 8px; }
p.lead { color: var(--muted); margin: 4px 0 12px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
  monospace; font-size: .92em; background: var(--soft); padding: 1px 5px; border-radius: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px;
  margin: 22px 0 6px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: #fff; }
.card .label { color: var(--muted); font-size: 13px; }
.card .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .sub { color: var(--muted); font-size: 12.5px; min-height: 1.2em; }
.nowrap { white-space: nowrap; }
.table-wrap { overflow-x: auto; margin: 8px 0 14px; }
table.data { border-collapse: collapse; font-size: 14px; min-width: 40%; }
table.data caption { text-align: left; color: var(--muted); font-size: 13px; padding: 0 0 6px; }
table.data th, table.data td { padding: 5px 10px; border-bottom: 1px solid var(--line);
  text-align: left; vertical-align: top; }
table.data thead th { background: var(--soft); font-weight: 600; border-bottom: 2px solid
  var(--line); white-space: nowrap; }
table.data tbody th { font-weight: 550; white-space: nowrap; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.data tr.best th, table.data tr.best td { background: #eef6ff; }
table.data tbody tr:hover th, table.data tbody tr:hover td { background: #f3f6fa; }
table.corr td.num { min-width: 64px; }
.aliased { color: var(--muted); font-style: italic; }
.flag { color: var(--fail); font-weight: 600; }
.muted { color: var(--muted); }
.stars { color: var(--muted); font-family: ui-monospace, Menlo, Consolas, monospace; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12.5px;
  font-weight: 650; letter-spacing: .02em; border: 1px solid transparent; white-space: nowrap; }
.badge.pass { color: var(--pass); background: var(--pass-bg); border-color: #aceebb; }
.badge.warn { color: var(--warn); background: var(--warn-bg); border-color: #f5d77c; }
.badge.fail { color: var(--fail); background: var(--fail-bg); border-color: #ffcecb; }
.badge.skip { color: var(--skip); background: var(--skip-bg); border-color: var(--line); }
dl.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr));
  gap: 0 28px; margin: 8px 0; }
dl.stats div { display: flex; justify-content: space-between; gap: 12px; padding: 6px 0;
  border-bottom: 1px solid var(--line); }
dl.stats dt { color: var(--muted); }
dl.stats dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums;
  text-align: right; }
.checks { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(430px, 100%), 1fr));
  gap: 14px; margin: 14px 0; }
.check { border: 1px solid var(--line); border-left-width: 5px; border-radius: 8px;
  padding: 12px 14px; }
.check.pass { border-left-color: var(--pass); }
.check.warn { border-left-color: #d4a72c; }
.check.fail { border-left-color: var(--fail); }
.check.skip { border-left-color: var(--skip); }
.check h3 { margin: 0 0 6px; display: flex; justify-content: space-between; gap: 8px;
  align-items: center; }
.check p { margin: 6px 0; }
.check table.data { font-size: 13px; width: 100%; }
.remedy { background: #fff8e6; border: 1px solid #f5d77c; border-radius: 6px;
  padding: 8px 10px; margin: 8px 0; }
.remedy.none { background: var(--soft); border-color: var(--line); color: var(--muted); }
.notes { color: var(--muted); font-size: 13px; margin: 6px 0 0; padding-left: 18px; }
figure.plot { margin: 14px 0; border: 1px solid var(--line); border-radius: 8px;
  padding: 10px; background: #fff; }
figure.plot svg { display: block; width: 100%; height: auto; }
figure.plot svg * { stroke-linejoin: round; stroke-linecap: butt; }
figure.plot figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.note { color: var(--muted); font-size: 13.5px; }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: 13px;
  padding: 16px 0 30px; }
@media print {
  nav.toc { display: none; }
  header.top { background: #fff; color: var(--ink); }
  header.top p, header.top code { color: var(--ink); }
  section.report { break-inside: avoid-page; }
}
"""
