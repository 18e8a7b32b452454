/**
 * The reader's one stylesheet, served as /reader.css (a strict Content-Security-Policy allows
 * no inline style). Chinese typography as the journal prints it: a serif CJK face from the
 * system (no font is fetched), generous leading, justified lines, headings that never break
 * mid-word, and punctuation kept off line starts; page numbers in the margin on a wide
 * screen and inline on a phone; light and dark following the system.
 */
export const READER_CSS = `
:root {
  color-scheme: light dark;
  --text: #1f1d1a; --muted: #6b655c; --bg: #fbfaf7; --rule: #d9d4ca; --mark: #fde68a; --link: #1d4ed8;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "AR PL UMing CN", "Noto Serif", serif;
}
@media (prefers-color-scheme: dark) {
  :root { --text: #e7e3dc; --muted: #a19a8f; --bg: #17161a; --rule: #3a3730; --mark: #6b5314; --link: #93c5fd; }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--text); -webkit-text-size-adjust: 100%; }
body { margin: 0; padding: 1.5rem 1rem 4rem; line-height: 1.9; font-size: 1.0625rem; }
main { max-width: 40em; margin: 0 auto; position: relative; }
a { color: var(--link); }
h1, h2, h3, h4 { line-height: 1.5; word-break: keep-all; overflow-wrap: anywhere; font-weight: 600; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; text-align: center; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; text-align: center; }
h3, h4 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
.meta { text-align: center; color: var(--muted); margin-bottom: 2rem; }
.authors { list-style: none; padding: 0; margin: 0 0 .25rem; text-align: center; }
p.para { text-align: justify; text-justify: inter-character; text-indent: 2em; margin: 0 0 .6em; line-break: strict; overflow-wrap: anywhere; position: relative; }
p.para:target { outline: 2px solid var(--rule); outline-offset: 4px; }
mark { background: var(--mark); color: inherit; padding: 0 .05em; }
/* A link's target opens a third of the way down, with the text before it in view. */
#quoted, :target { scroll-margin-top: 30vh; }
.page { position: absolute; left: -4.5em; width: 3.5em; text-align: right; text-indent: 0; font-size: .75rem; color: var(--muted); font-family: system-ui, sans-serif; }
.pb { font-size: .7rem; color: var(--muted); font-family: system-ui, sans-serif; border-left: 1px solid var(--rule); padding-left: .2em; margin: 0 .2em; text-indent: 0; }
.pid { display: block; font-size: .7rem; color: var(--muted); text-indent: 0; font-family: ui-monospace, monospace; }
sup a { text-decoration: none; font-size: .75em; }
.notes { border-top: 1px solid var(--rule); margin-top: 2.5rem; padding-top: 1rem; font-size: .9rem; line-height: 1.75; }
.notes ol { padding-left: 2.2em; }
.notes li { margin-bottom: .6em; overflow-wrap: anywhere; }
.notes li:target { background: var(--mark); }
.resolved { color: var(--muted); }
.cite { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem 1rem 1rem; margin-top: 2.5rem; font-size: .9rem; }
.cite pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85rem; margin: .25rem 0 1rem; }
.ctl { font-family: ui-monospace, monospace; font-size: .75em; border: 1px solid var(--rule); padding: 0 .2em; }
.toc li { margin-bottom: .75rem; }
form { display: flex; gap: .5rem; margin: 1rem 0 2rem; }
input[type=search] { flex: 1; min-width: 0; font: inherit; padding: .3rem .5rem; }
.hit { border-left: 3px solid var(--rule); padding-left: .75rem; margin-bottom: 1.25rem; overflow-wrap: anywhere; }
.hit .attr { color: var(--muted); font-size: .85rem; }
@media (max-width: 48em) {
  .page { position: static; display: inline; width: auto; margin-right: .4em; }
  .page::after { content: " ·"; }
}
`;
