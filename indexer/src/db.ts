// The handlers' database (Ponder's indexing store), typed once for the modules that share it.
import type { ponder } from "ponder:registry";

export type Db = Parameters<Parameters<typeof ponder.on<"CityYuan:Transfer">>[1]>[0]["context"]["db"];
