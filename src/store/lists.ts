/**
 * The list without the items `remove` picks, or the very same list when it picks none, so that
 * assigning the result back changes nothing and the write-ahead log writes nothing.
 */
export function without<T>(list: T[], remove: (item: T) => boolean): T[] {
  return list.some(remove) ? list.filter((item) => !remove(item)) : list;
}
