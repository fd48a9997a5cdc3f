// Names every JavaScript object already has. Hooks are looked up by name on plain objects and payloads
// are read as properties of parsed JSON: a name like `constructor` is "present" even when missing.

export function isPrototypeMember(name: string): boolean {
  return name in Object.prototype;
}

/** `consequence`: what would go wrong, e.g. `a missing hook would not be noticed`. */
export function prototypeMessage(kind: string, name: string, consequence = 'a missing hook would not be noticed'): string {
  return `\`${name}\` cannot be ${kind} name: every JavaScript object already has it, so ${consequence}`;
}
