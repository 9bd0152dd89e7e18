// Reads a DuckDB file through Evidence's DuckDB connector (@evidence-dev/duckdb, which
// bundles DuckDB 1.4 via @duckdb/node-api), as `npm run sources` does: prints the rows as JSON.
const runQuery = require('@evidence-dev/duckdb');
const plain = (key, value) => (typeof value === 'bigint' ? Number(value) : value);
(async () => {
  const result = await runQuery(process.argv[3], { filename: process.argv[2] });
  const rows = [];
  for await (const batch of result.rows()) rows.push(...batch);
  console.log(JSON.stringify(rows, plain));
})().catch((error) => {
  console.error(String(error));
  process.exit(1);
});
