// A minimal tsserver client, talking its protocol over stdin/stdout as an
// editor does: requests are JSON lines, responses and events come back framed
// by Content-Length headers.

import { type ChildProcess, spawn } from "node:child_process";

export interface Response {
  readonly success: boolean;
  readonly message?: string;
  readonly body?: unknown;
}

export class TsServer {
  private readonly child: ChildProcess;
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, (r: Response) => void>();
  private stderr = "";

  /** Starts `node <tsserverJs> ...args` in `cwd`. */
  constructor(tsserverJs: string, args: readonly string[], cwd: string) {
    this.child = spawn(process.execPath, [tsserverJs, ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout!.on("data", (chunk: Buffer) => this.read(chunk));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString()) as {
        type: string;
        request_seq?: number;
      } & Response;
      this.buffer = this.buffer.subarray(start + length);
      if (message.type === "response" && message.request_seq !== undefined) {
        this.pending.get(message.request_seq)?.(message);
        this.pending.delete(message.request_seq);
      }
    }
  }

  /** Sends a request that tsserver answers, and waits for the answer. */
  request(command: string, args: unknown): Promise<Response> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tsserver did not answer ${command}; stderr:\n${this.stderr}`)), 60_000);
      this.pending.set(seq, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.send(seq, command, args);
    });
  }

  /** Sends a request tsserver does not answer (open, change). */
  notify(command: string, args: unknown): void {
    this.send(++this.seq, command, args);
  }

  private send(seq: number, command: string, args: unknown): void {
    this.child.stdin!.write(`${JSON.stringify({ seq, type: "request", command, arguments: args })}\n`);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.notify("exit", {});
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
