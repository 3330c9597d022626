// Server paging with opaque cursors (Page.next_cursor): pages are numbered by remembering the
// cursor that opened each one, so "上一页" goes back without the server knowing page numbers.

export interface PageResult<T> {
  items: T[]
  next_cursor: string | null
}

export type PageLoader<T> = (cursor: string | null, limit: number) => Promise<PageResult<T>>

export class CursorPager<T> {
  items: T[] = []
  /** 0-based index of the page shown. */
  index = 0
  nextCursor: string | null = null
  private cursors: (string | null)[] = [null]

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
    const page = await this.load(this.cursors[index] ?? null, this.limit)
    // A page emptied since (cases moved on): fall back to the previous one.
    if (page.items.length === 0 && index > 0) {
      this.cursors.length = index
      return this.show(index - 1)
    }
    this.items = page.items
    this.nextCursor = page.next_cursor
    this.index = index
  }
}
