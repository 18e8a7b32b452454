/*
 * Prometheus's text exposition format (version 0.0.4), read strictly: every line is a `# HELP`,
 * a `# TYPE` or a sample of a family whose TYPE came before it, as a scraper reads it. A line
 * that is none of these throws, naming it.
 */

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// Prometheus reads values with Go's ParseFloat, which takes NaN and Inf in any case (prom-client writes `Nan`).
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[nN][aA][nN]|[+-]?[iI][nN][fF])';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`, 'u');
const HELP = new RegExp(`^# HELP (${NAME}) .*$`, 'u');
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`, 'u');

/** Each sample's value by its line's series (`name{label="value",…}`, as written); throws on a malformed line. */
export function parsePrometheus(text: string): Map<string, number> {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = TYPE.exec(line);
    if (type) {
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    if (HELP.test(line)) continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`prometheus: not a sample, HELP or TYPE line: ${JSON.stringify(line)}`);
    const name = sample[1] as string;
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/u, '');
    if (!types.has(family)) throw new Error(`prometheus: ${name} has no TYPE line before it`);
    const series = sample[2] ? `${name}{${sample[2]}}` : name;
    if (samples.has(series)) throw new Error(`prometheus: ${series} appears twice`);
    samples.set(series, sampleValue(sample[3] as string));
  }
  return samples;
}

function sampleValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower.endsWith('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}
