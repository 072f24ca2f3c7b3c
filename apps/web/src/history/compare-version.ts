/** Which version to show and which to compare it with, or why the typed number cannot be used. */
export type CompareTarget =
  | { readonly ok: true; readonly version: number; readonly from: number }
  | { readonly ok: false; readonly message: string };

/**
 * The comparison a typed version number asks for, while `viewed` is shown
 * and the document is at `head`. Any version from 0 to head can be compared
 * with the viewed one: an older one becomes the base (`from`); a newer one is
 * shown with its changes since the viewed one, since a diff always runs
 * forward. Anything else gets a message saying what is accepted.
 */
export function compareTarget(input: string, viewed: number, head: number): CompareTarget {
  const text = input.trim();
  const range = `Enter a version number from 0 to ${head}.`;
  if (!/^\d{1,16}$/.test(text)) return { ok: false, message: range };
  const wanted = Number(text);
  if (!Number.isSafeInteger(wanted) || wanted > head)
    return { ok: false, message: `There is no version ${text} yet: the latest is ${head}. ${range}` };
  if (wanted === viewed)
    return {
      ok: false,
      message: `Version ${viewed} is the one shown. Enter another version to compare with.`,
    };
  return wanted < viewed
    ? { ok: true, version: viewed, from: wanted }
    : { ok: true, version: wanted, from: viewed };
}
