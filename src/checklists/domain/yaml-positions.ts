/**
 * Maps value paths (["items", 12, "severity"]) to 1-based source lines, using js-yaml's
 * event stream so validation messages can name the line of the offending key.
 */
import * as yaml from 'js-yaml';

export type ValuePath = ReadonlyArray<string | number>;

const keyOf = (path: ValuePath): string => JSON.stringify(path);

export class YamlPositions {
  private constructor(private readonly lines: Map<string, number>) {}

  static build(text: string): YamlPositions {
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
    const lineAt = (offset: number): number => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo + 1;
    };

    const events = yaml.parseEvents(text, {});
    const lines = new Map<string, number>();
    const record = (path: ValuePath, offset: number) => {
      const k = keyOf(path);
      if (offset >= 0 && !lines.has(k)) lines.set(k, lineAt(offset));
    };
    const { EVENT_ID } = yaml;
    let i = 0;

    // Walks one node starting at events[i]; leaves i after the node.
    const walk = (path: ValuePath): void => {
      const ev = events[i++];
      switch (ev.type) {
        case EVENT_ID.SCALAR:
          record(path, ev.valueStart);
          return;
        case EVENT_ID.ALIAS:
          record(path, ev.anchorStart);
          return;
        case EVENT_ID.SEQUENCE: {
          record(path, ev.start);
          let index = 0;
          while (events[i].type !== EVENT_ID.POP) walk([...path, index++]);
          i++;
          return;
        }
        case EVENT_ID.MAPPING: {
          record(path, ev.start);
          while (events[i].type !== EVENT_ID.POP) {
            const keyEvent = events[i];
            if (keyEvent.type === EVENT_ID.SCALAR) {
              const key = yaml.getScalarValue(text, keyEvent);
              record([...path, key], keyEvent.valueStart);
              i++;
              walk([...path, key]);
            } else {
              walk([...path, '?']); // complex key: not used by rule files
              walk([...path, '?']);
            }
          }
          i++;
          return;
        }
        default:
          return;
      }
    };

    while (i < events.length) {
      const ev = events[i];
      if (ev.type === EVENT_ID.DOCUMENT) {
        i++;
        if (i < events.length && events[i].type !== EVENT_ID.POP) walk([]);
        while (i < events.length && events[i].type === EVENT_ID.POP) i++;
      } else {
        i++;
      }
    }
    return new YamlPositions(lines);
  }

  /** Line of the path, or of its nearest recorded ancestor (1 when nothing matches). */
  lineOf(path: ValuePath): number {
    for (let n = path.length; n >= 0; n--) {
      const line = this.lines.get(keyOf(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return 1;
  }
}
