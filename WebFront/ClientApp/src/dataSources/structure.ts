import { api, unwrap } from '../lib/api';

/**
 * The structure of a data source (D3), a level at a time: databases, then their tables
 * (collections, measurements, keys, indices, topics), then a table's columns or fields.
 */
export interface StructureNode {
  key: string;
  label: string;
  /** The listing's level: "databases", "tables", "columns", "keys"... */
  level: string;
  /** A column's or field's type. */
  detail?: string;
  /** The database the node is in, or is. */
  database?: string;
  /** The table the node is, when it holds columns. */
  table?: string;
  leaf: boolean;
}

/** What the server answers at every level. */
interface Listing {
  level: string;
  items: (string | { name: string; type: string })[];
}

/** Levels whose items hold another level; the items of the others are leaves. */
const opensTo: Record<string, 'database' | 'table'> = { databases: 'database', tables: 'table', measurements: 'table' };

/** The nodes under `parent`, or the top level without one. */
export async function browse(sourceId: string, parent?: StructureNode): Promise<StructureNode[]> {
  const query = { database: parent?.database, table: parent?.table };
  const listing = (await unwrap(api.GET('/api/v1/data-sources/{id}/structure', { params: { path: { id: sourceId }, query } }))) as Listing;
  const opens = opensTo[listing.level];
  return listing.items.map(item => {
    const [name, detail] = typeof item === 'string' ? [item, undefined] : [item.name, item.type];
    return {
      key: [query.database, query.table, name].filter(Boolean).join('/'),
      label: name,
      detail,
      level: listing.level,
      database: opens === 'database' ? name : query.database,
      table: opens === 'table' ? name : undefined,
      leaf: !opens,
    };
  });
}
