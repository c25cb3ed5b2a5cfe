/**
 * One page of a list method (`user.get`): the envelope carries `total` and, while more remain,
 * `next` (the `start` of the following page) beside `result`, and a batch fills its
 * `result_total`/`result_next` from them.
 */
export class ListPage {
  constructor(
    readonly items: readonly unknown[],
    readonly total: number,
    readonly next: number | undefined,
  ) {}
}

/** Bitrix list methods page by 50. */
export const LIST_PAGE_SIZE = 50;

/** The page of `all` that starts at `start` (a negative or unreadable start is the first page). */
export function pageOf(all: readonly unknown[], start: number): ListPage {
  const from = Number.isFinite(start) && start > 0 ? Math.floor(start) : 0;
  const items = all.slice(from, from + LIST_PAGE_SIZE);
  const next = from + LIST_PAGE_SIZE < all.length ? from + LIST_PAGE_SIZE : undefined;
  return new ListPage(items, all.length, next);
}
