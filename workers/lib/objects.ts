/**
 * The one place a Durable Object namespace gets its class's type. `wrangler types` writes the
 * bindings as `DurableObjectNamespace /* ClassName *\/` (untyped: the generated file cannot import
 * the Worker's classes), so each feature names its class here instead of casting at every call.
 * `getByName` is `idFromName` + `get` in one call.
 */
export function stubByName<T extends Rpc.DurableObjectBranded>(ns: DurableObjectNamespace, name: string): DurableObjectStub<T> {
  return (ns as DurableObjectNamespace<T>).getByName(name);
}
