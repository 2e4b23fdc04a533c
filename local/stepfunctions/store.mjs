import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Coalesces the saves of a busy execution: one write per execution at most this often. */
const SAVE_DELAY_MS = 200;

/** Keeps nothing: without --data-dir, executions live as long as the process. */
export class MemoryStore {
  async loadAll() {
    return [];
  }

  saveSoon() {}

  async saveNow() {}

  async flush() {}
}

/**
 * One JSON file per execution under `<dataDir>/executions/`, replaced atomically (write a temporary file, then
 * rename) so a crash never leaves half a record. Writes of one execution are queued so they land in order.
 */
export class FileStore {
  #directory;
  #log;
  #dirty = new Map();
  #timer;
  #writes = new Map();
  #sequence = 0;

  constructor(directory, log) {
    this.#directory = directory;
    this.#log = log;
  }

  static async open(dataDir, log) {
    const directory = join(dataDir, 'executions');
    await mkdir(directory, { recursive: true });
    return new FileStore(directory, log);
  }

  async loadAll() {
    const files = (await readdir(this.#directory)).filter((file) => file.endsWith('.json'));
    return Promise.all(files.map(async (file) => JSON.parse(await readFile(join(this.#directory, file), 'utf8'))));
  }

  /** Saves the record within SAVE_DELAY_MS, together with any other changes made meanwhile. */
  saveSoon(record) {
    this.#dirty.set(record.name, record);
    this.#timer ??= setTimeout(() => this.#saveDirty(), SAVE_DELAY_MS);
  }

  /** Saves the record now (a start or a close must not be lost). */
  saveNow(record) {
    this.#dirty.delete(record.name);
    return this.#enqueue(record);
  }

  /** Writes every pending change; for shutdown. */
  async flush() {
    clearTimeout(this.#timer);
    this.#saveDirty();
    await Promise.all(this.#writes.values());
  }

  #saveDirty() {
    this.#timer = undefined;
    const records = [...this.#dirty.values()];
    this.#dirty.clear();
    records.forEach((record) => this.#enqueue(record));
  }

  #enqueue(record) {
    const text = JSON.stringify(record);
    const previous = this.#writes.get(record.name) ?? Promise.resolve();
    const next = previous.then(() => this.#writeAtomically(`${record.name}.json`, text)).catch((error) => {
      this.#log(`could not save execution ${record.name}: ${error.message}`);
    });
    this.#writes.set(record.name, next);
    next.then(() => {
      if (this.#writes.get(record.name) === next) {
        this.#writes.delete(record.name);
      }
    });
    return next;
  }

  async #writeAtomically(file, text) {
    const target = join(this.#directory, file);
    const temporary = `${target}.${process.pid}.${(this.#sequence += 1)}.tmp`;
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, target);
  }
}
