// Where output goes: one JSON document or the human view on stdout, progress and errors on stderr.
// No colour when NO_COLOR is set or stdout is not a TTY (DESIGN.md "Command line", no-color.org).

export function colorEnabled(env: NodeJS.ProcessEnv = process.env, stdoutIsTty: boolean = process.stdout.isTTY === true): boolean {
  return stdoutIsTty && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

export function printOut(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printErr(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
