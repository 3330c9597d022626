// Server paging with opaque cursors (Page.next_cursor): pages are numbered by remembering the
// cursor that opened each one, so "上一页" goes back without the server knowing page numbers.

export interface PageResult<T> {
  items: T[]
  next_cursor: string | null
}

export type PageLoader<T> = (cursor: string | null, limit: number) => Promise<PageResult<T>>

/** Empty pages that still have a next cursor are followed this many times before one is shown. */
export const FOLLOW_EMPTY_PAGES = 5

export class CursorPager<T> {
  items: T[] = []
  /** 0-based index of the page shown. */
  index = 0
  nextCursor: string | null = null
  private cursors: (string | null)[] = [null]
  private latest = 0

  constructor(
    private readonly load: PageLoader<T>,
    public limit = 20,
  ) {}

  get hasPrevious(): boolean {
    return this.index > 0
  }

  get hasNext(): boolean {
    return this.nextCursor !== null
  }

  /** Back to the first page (new filters or page size). */
  first(): Promise<void> {
    this.cursors = [null]
    return this.show(0)
  }

  reload(): Promise<void> {
    return this.show(this.index)
  }

  next(): Promise<void> {
    if (!this.nextCursor) return Promise.resolve()
    this.cursors[this.index + 1] = this.nextCursor
    this.cursors.length = this.index + 2
    return this.show(this.index + 1)
  }

  previous(): Promise<void> {
    return this.index > 0 ? this.show(this.index - 1) : Promise.resolve()
  }

  private async show(index: number): Promise<void> {
    // Only the latest request is shown: a slower answer to an earlier filter must not replace it.
    const request = ++this.latest
    let page = await this.load(this.cursors[index] ?? null, this.limit)
    // A filtered list may answer an empty page that leads on (the server stopped at its bound of
    // reads before finding a match): follow it rather than show nothing.
    for (let followed = 0; !page.items.length && page.next_cursor && followed < FOLLOW_EMPTY_PAGES; followed++) {
      if (request !== this.latest) return
      page = await this.load(page.next_cursor, this.limit)
    }
    if (request !== this.latest) return
    // A page emptied since (cases moved on): fall back to the previous one.
    if (page.items.length === 0 && !page.next_cursor && index > 0) {
      this.cursors.length = index
      return this.show(index - 1)
    }
    this.items = page.items
    this.nextCursor = page.next_cursor
    this.index = index
  }
}
