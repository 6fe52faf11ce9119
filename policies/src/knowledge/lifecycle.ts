import lifecycleData from "../../data/lifecycle.json";

export interface OsLifecycle {
  readonly id: string;
  readonly name: string;
  readonly mainstreamSupportEnded: string;
  readonly endOfLife: string;
  readonly migrateTo: string;
  readonly source: string;
}

export function getOsLifecycle(id: string): OsLifecycle {
  const entry = lifecycleData.operatingSystems.find((os) => os.id === id);
  if (!entry) throw new Error(`no lifecycle entry '${id}' in data/lifecycle.json`);
  return entry;
}
