// Where a text stops being JSON (RFC 8259), as line and column. V8's JSON.parse messages on Node 20 often
// name no position ("Unexpected token '}', \"…\" is not valid JSON"), so a plan file that is not JSON is
// scanned once more here to tell the user where to look. Iterative (no recursion): a file of 100 000
// nested brackets must not overflow the stack.

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like editors count them for BMP text. */
  column: number;
}

/** The offset of the first character that makes `text` invalid JSON, or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = () => { while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++; };
  // Stack of open containers: "{" or "[". `expect` is what may come next.
  const stack: string[] = [];
  type Expect = "value" | "key" | "colon" | "comma-or-close" | "key-or-close" | "value-or-close";
  let expect: Expect = "value";
  for (;;) {
    ws();
    if (expect === "comma-or-close" && stack.length === 0) return i < n ? i : -1;
    if (i >= n) return n;
    const c = text[i]!;
    switch (expect) {
      case "colon":
        if (c !== ":") return i;
        i++; expect = "value"; continue;
      case "comma-or-close": {
        const top = stack[stack.length - 1];
        if (c === ",") { i++; expect = top === "{" ? "key" : "value"; continue; }
        if ((c === "}" && top === "{") || (c === "]" && top === "[")) { i++; stack.pop(); expect = "comma-or-close"; continue; }
        return i;
      }
      case "key": case "key-or-close":
        if (expect === "key-or-close" && c === "}") { i++; stack.pop(); expect = "comma-or-close"; continue; }
        if (c !== "\"") return i;
        { const end = scanString(text, i); if (end < 0) return -end - 1; i = end; }
        expect = "colon"; continue;
      case "value": case "value-or-close":
        if (expect === "value-or-close" && c === "]") { i++; stack.pop(); expect = "comma-or-close"; continue; }
        if (c === "{") { stack.push("{"); i++; expect = "key-or-close"; continue; }
        if (c === "[") { stack.push("["); i++; expect = "value-or-close"; continue; }
        if (c === "\"") { const end = scanString(text, i); if (end < 0) return -end - 1; i = end; expect = "comma-or-close"; continue; }
        {
          const end = scanLiteral(text, i);
          if (end < 0) return -end - 1;
          i = end; expect = "comma-or-close"; continue;
        }
    }
  }
}

/** End offset after the string starting at `start`, or -(offset of the problem) - 1. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -i - 1;
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === undefined) return -(i + 1) - 1;
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 1) - 1;
        i += 6; continue;
      }
      if (!"\"\\/bfnrt".includes(e)) return -(i + 1) - 1;
      i += 2; continue;
    }
    i++;
  }
  return -text.length - 1;
}

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

function scanLiteral(text: string, start: number): number {
  for (const word of ["true", "false", "null"]) {
    if (text.startsWith(word, start)) return start + word.length;
  }
  NUMBER.lastIndex = start;
  const m = NUMBER.exec(text);
  if (m && m[0].length > 0) return start + m[0].length;
  return -start - 1;
}

export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}
