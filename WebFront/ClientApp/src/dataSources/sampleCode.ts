import type { Schemas } from '../lib/api';

/**
 * What the console says about each type in the words of its `DFF.SRC` helper (D2, D3): an example
 * debug command, sample code for the "?" popover, the script code that runs a command typed in the
 * debug panel, and the command that looks into a table (or collection, index...) of the structure.
 * Keyed by the generated type enum, so a new server type does not compile until it is described here.
 */
interface TypeSamples {
  example: string;
  help: (helper: string) => string;
  forCommand: (helper: string, command: string) => string;
  peek?: (name: string) => string;
}

const sql = (peek: (table: string) => string): TypeSamples => ({
  example: peek('some_table'),
  help: helper => `helper = ${helper}\nrows = helper.query('SELECT * FROM some_table WHERE id = ?', [1])`,
  forCommand: (helper, command) => `helper = ${helper}\nrows = helper.query(${pyValue(command)})`,
  peek,
});

/** `METHOD /path` and an optional JSON body on the next lines, as the HTTP types' panel takes it. */
const httpRequest = (example: string, help: TypeSamples['help'], peek?: TypeSamples['peek']): TypeSamples => ({
  example,
  help,
  forCommand: (helper, command) => {
    const [first = '', ...rest] = command.trim().split('\n');
    const [method = 'GET', path = '/'] = first.trim().split(/\s+/, 2);
    const body = rest.join('\n').trim();
    const bodyArgument = body ? `, body=${pyValue(parsedOr(body))}` : '';
    return `helper = ${helper}\nstatus, body = helper.query(${pyValue(method.toUpperCase())}, ${pyValue(path)}${bodyArgument})`;
  },
  peek,
});

/** Commands typed as words (`GET key`) become `query('GET', 'key')`. */
const words = (example: string, help: TypeSamples['help'], peek?: TypeSamples['peek']): TypeSamples => ({
  example,
  help,
  forCommand: (helper, command) => `helper = ${helper}\nresult = helper.query(${splitWords(command).map(pyValue).join(', ')})`,
  peek,
});

const samples: Record<Schemas['DataSourceType'], TypeSamples> = {
  mysql: sql(table => `SELECT * FROM ${quoted(table, '`', '`')} LIMIT 10`),
  postgresql: sql(table => `SELECT * FROM ${quoted(table, '"', '"')} LIMIT 10`),
  clickhouse: sql(table => `SELECT * FROM ${quoted(table, '`', '`')} LIMIT 10`),
  oracle: sql(table => `SELECT * FROM ${quoted(table, '"', '"')} WHERE ROWNUM <= 10`),
  sqlserver: sql(table => `SELECT TOP 10 * FROM ${quoted(table, '[', ']')}`),
  influxdb: {
    example: 'SELECT * FROM some_measurement LIMIT 10',
    help: helper => [
      `helper = ${helper}`,
      `data = helper.query('SELECT * FROM some_measurement LIMIT 10')`,
      `helper.write_point(measurement='some_measurement', fields={'value': 1}, tags={'host': 'web1'})`,
    ].join('\n'),
    forCommand: (helper, command) => `helper = ${helper}\ndata = helper.query(${pyValue(command)})`,
    peek: measurement => `SELECT * FROM ${quoted(measurement, '"', '"')} LIMIT 10`,
  },
  redis: words('GET some_key', helper => `helper = ${helper}\nhelper.query('SET', 'some_key', 'value')\nvalue = helper.query('GET', 'some_key')`,
    key => `TYPE ${shellWord(key)}`),
  memcached: words('get some_key', helper => `helper = ${helper}\nhelper.set('some_key', 'value')\nvalue = helper.get('some_key')`),
  mongodb: {
    example: '{"listCollections": 1}',
    help: helper => `helper = ${helper}\ndata = helper.db('some_database')['some_collection'].find_one()`,
    forCommand: (helper, command) => `helper = ${helper}\nresult = helper.db().command(${pyValue(parsedOr(command))})`,
    peek: collection => JSON.stringify({ find: collection, limit: 10 }),
  },
  elasticsearch: httpRequest('GET /_cat/indices',
    helper => `helper = ${helper}\nstatus, body = helper.query('GET', '/some_index/_search', query={'q': 'some_field:something'})`,
    index => `GET /${encodeURIComponent(index)}/_search`),
  nsq: httpRequest('GET /topics', helper => `helper = ${helper}\nhelper.publish('some_topic', {'some': 'message'})`),
  mqtt: {
    example: 'publish some/topic hello',
    help: helper => `helper = ${helper}\nhelper.publish('some/topic', 'message')`,
    forCommand: (helper, command) => {
      const [, topic = '', message = ''] = splitWords(command);
      return `helper = ${helper}\nhelper.publish(${pyValue(topic)}, ${pyValue(message)})`;
    },
  },
};

/** `DFF.SRC('id')`, or `DFF.SRC('id', database=...)` when the panel switched databases. */
function helperExpression(type: Schemas['DataSourceType'], id: string, database?: string) {
  if (!database) return `DFF.SRC(${pyValue(id)})`;
  const value = type === 'redis' && /^\d+$/.test(database) ? database : pyValue(database);
  return `DFF.SRC(${pyValue(id)}, database=${value})`;
}

export const sampleCode = {
  /** A command to show in the empty debug panel. */
  example: (type: Schemas['DataSourceType']) => samples[type].example,
  /** The "?" popover's sample for a source. */
  help: (source: Schemas['DataSourceView']) => samples[source.type].help(helperExpression(source.type, source.id)),
  /** Script code doing what the debug panel just did. */
  forCommand: (source: Schemas['DataSourceView'], command: string, database?: string) =>
    samples[source.type].forCommand(helperExpression(source.type, source.id, database), command),
  /** A command that shows what a structure item holds, when the type has one. */
  peek: (type: Schemas['DataSourceType'], name: string) => samples[type].peek?.(name),
};

function quoted(name: string, open: string, close: string) {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `${open}${name.replaceAll(close, close + close)}${close}`;
}

function parsedOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Splits a command the way the worker's `shlex.split` does for plain, quoted and escaped words. */
function splitWords(command: string): string[] {
  const found: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== null) found.push(word);
      word = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) found.push(word);
  return found;
}

function shellWord(word: string) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** A Python literal of a JSON value; multi-line text becomes a triple-quoted string. */
function pyValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const escaped = value.replaceAll('\\', '\\\\');
    return value.includes('\n') ? `'''${escaped.replaceAll("'''", "\\'\\'\\'")}'''` : `'${escaped.replaceAll("'", "\\'")}'`;
  }
  if (Array.isArray(value)) return `[${value.map(pyValue).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyValue(k)}: ${pyValue(v)}`).join(', ')}}`;
}
