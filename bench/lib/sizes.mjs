// `--sizes 300,1000`: the source counts a bench runs at, each checked.
export function parseSizes(text) {
  return String(text)
    .split(',')
    .map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1 || n > 100_000)
        throw new Error(`--sizes wants integers 1–100000, got ${s}`);
      return n;
    });
}
