/**
 * The verdicts a stack policy could not reach at preview because a value was unknown, each named by resource and
 * property (never by value). At the end of the run the policy throws {@link PreviewDeferrals.error}: the SDK's own
 * `UnknownValueError`, so the engine shows its "can't run policy … during preview" advisory — with a message that
 * names every resource and property that kept a verdict open, and checks again on update.
 */
export class PreviewDeferrals {
  private readonly entries: string[] = [];
  private first: { readonly error: Error } | undefined;

  /** `read.error` is only built (a stack trace) if the run ends deferred. */
  add(label: string, name: string, property: string, read: { readonly error: Error }): void {
    // A property of the resource itself is named by its path alone ("userData of ECS instance 'web'" → "userData").
    const own = ` of ${label} '${name}'`;
    this.entries.push(`${label} '${name}' (${property.endsWith(own) ? property.slice(0, -own.length) : property})`);
    this.first ??= read;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The error to rethrow, or undefined when nothing was deferred. */
  error(): Error | undefined {
    if (!this.first) return undefined;
    const error = this.first.error;
    const count = this.entries.length;
    error.message =
      `${count === 1 ? "1 verdict waits" : `${count} verdicts wait`} for values unknown at preview: ${this.entries.join(", ")}. ` +
      "They are checked again when the values are known (on update).";
    return error;
  }
}
