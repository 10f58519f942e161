// A table's header row: one column header per name, scoped to its column for screen readers.
import type { ReactNode } from "react";

export function TableHead({ columns }: { columns: ReactNode[] }) {
  return (
    <thead>
      <tr>
        {columns.map((name, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; their order is their identity.
          <th key={i} scope="col">
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}
