/** The pages' stylesheet: system fonts only (nothing fetched), tables and tiles like report.html. */
export const APP_CSS = `
* { box-sizing: border-box; }
body { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { display: flex; align-items: center; gap: 1.5em; padding: 0.6em 1.5em; background: #1f2933; color: #fff; }
header .brand { font-weight: bold; letter-spacing: 0.05em; }
header nav a { color: #cbd2d9; margin-right: 1.2em; text-decoration: none; }
header nav a.here, header nav a:hover { color: #fff; text-decoration: underline; }
main { max-width: 1200px; margin: 1.2em auto; padding: 0 1.5em 3em; }
h1 { font-size: 1.5em; margin: 0.3em 0; }
h2 { font-size: 1.1em; margin-top: 1.5em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
a { color: #1f6fb4; }
.sub, .muted { color: #666; }
.error { color: #b00020; font-weight: bold; }
.banner { background: #e8f4fd; border: 1px solid #b6dcf5; padding: 0.6em 1em; border-radius: 4px; }
table { border-collapse: collapse; background: #fff; font-size: 0.92em; }
th, td { border: 1px solid #e1e1e1; padding: 0.35em 0.7em; text-align: left; }
th { background: #f1f3f5; font-weight: normal; color: #444; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.strong { font-weight: bold; }
table.kv th { width: 11em; }
.links a { margin-right: 1.5em; }
.tiles { display: flex; flex-wrap: wrap; gap: 0.6em; margin: 0.8em 0; }
.tile { background: #fff; border: 1px solid #e1e1e1; border-radius: 4px; padding: 0.4em 0.9em; min-width: 8.5em; }
.tile .k { font-size: 0.78em; color: #666; }
.tile .v { font-size: 1.2em; font-variant-numeric: tabular-nums; }
.chart { background: #fff; border: 1px solid #e1e1e1; border-radius: 4px; padding: 0.5em; overflow-x: auto; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr); gap: 2em; }
pre.summary { background: #fff; border: 1px solid #e1e1e1; padding: 0.7em; font-size: 0.78em; overflow-x: auto; font-family: 'DejaVu Sans Mono', Menlo, monospace; line-height: 1.2; }
.gallery figure { margin: 0 0 1.5em; }
.gallery img { max-width: min(100%, 860px); border: 1px solid #e1e1e1; background: #fff; }
figcaption { color: #555; font-size: 0.85em; }
button { font: inherit; padding: 0.35em 1em; border-radius: 4px; border: 1px solid #999; background: #fff; cursor: pointer; }
button:disabled { opacity: 0.5; cursor: default; }
button.stop { background: #c62828; color: #fff; border-color: #8e0000; }
.live-head { display: flex; align-items: center; gap: 1em; }
.live-head h1 { margin-right: auto; }
.pill { padding: 0.2em 0.8em; border-radius: 1em; background: #eee; font-size: 0.9em; }
.pill.training { background: #d7f0db; color: #1b5e20; }
.pill.stopping, .pill.stopped, .pill.interrupted { background: #ffe3e0; color: #8e0000; }
.pill.completed { background: #dbe9f8; color: #0d47a1; }
.progress { height: 6px; background: #e4e7eb; border-radius: 3px; overflow: hidden; }
.progress .bar { height: 100%; width: 0; background: #1f77b4; transition: width 0.3s; }
.live-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(470px, 1fr)); gap: 0.8em; }
.draw { display: flex; gap: 3em; flex-wrap: wrap; }
canvas.pad { border: 2px solid #444; border-radius: 4px; background: #fff; touch-action: none; cursor: crosshair; width: 280px; height: 280px; }
canvas.seen { width: 168px; height: 168px; image-rendering: pixelated; border: 1px solid #444; background: #000; }
ol.top { list-style: none; padding: 0; margin: 0; min-height: 6em; width: 22em; }
ol.top li { display: grid; grid-template-columns: 5em 1fr 4.5em; gap: 0.5em; align-items: center; margin: 0.3em 0; }
ol.top li:first-child { font-weight: bold; font-size: 1.15em; }
ol.top .barbox { background: #e4e7eb; height: 0.9em; border-radius: 2px; overflow: hidden; }
ol.top .fill { display: block; height: 100%; background: #1f77b4; }
ol.top .p { text-align: right; font-variant-numeric: tabular-nums; }
.maps img { max-width: 100%; border: 1px solid #e1e1e1; background: #fff; }
@media (max-width: 800px) { .cols { grid-template-columns: 1fr; } }
`;
