import type { LoadedContext } from "../config/context.js";
import { buildCatalog, type Catalog } from "./catalog.js";

/** A loaded context with the model catalog its config implies: what CLI commands work with. */
export interface CatalogContext extends LoadedContext {
  readonly catalog: Catalog;
}

/** Adds the catalog built from the context's config. */
export function withCatalog(ctx: LoadedContext): CatalogContext {
  return { ...ctx, catalog: buildCatalog(ctx.loaded.config) };
}
